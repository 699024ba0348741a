import type { IntakeReply } from '../../domain/intake';
import type { Caller } from '../who-am-i';
import { readDraft, runIntake, type IntakeDeps } from './run-intake';

/**
 * Submit on the confirmation card: validates the form on the server (errors go back beside the fields),
 * points at a request for the same person opened since, then claims the draft with its ETag and writes the
 * request with its approval card and timers in its outbox. Of two concurrent clicks one claims the draft and
 * the other is told the id it got; the same click delivered again answers with the same request and acts
 * no more (the request, its audit record and its timers exist once). Only the requester may submit, in the
 * conversation they asked in: anyone else gets `notYours`, recorded.
 */
export async function submitIntake(
  deps: IntakeDeps,
  caller: Caller,
  conversationId: string,
  draftId: string,
  inputs: Record<string, unknown>,
): Promise<IntakeReply> {
  return runIntake(deps, await readDraft(deps, draftId), {
    type: 'clicked',
    by: caller,
    conversationId,
    action: { verb: 'submit', inputs },
  });
}
