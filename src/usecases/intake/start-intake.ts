import type { ConversationRef, Regime } from '../../domain/export-request';
import type { IntakeReply, SubjectQuery } from '../../domain/intake';
import type { Caller } from '../who-am-i';
import { runIntake, type IntakeDeps } from './run-intake';

export interface StartIntake {
  readonly caller: Caller;
  readonly conversation: ConversationRef;
  readonly subject: SubjectQuery;
  readonly regime: Regime | undefined;
}

/**
 * "export data for X": checks the requester's rights (a refusal is recorded and stores nothing else), opens
 * a draft and answers with the next step: ask for the person, pick among matches, point at an open request,
 * or the confirmation card.
 */
export function startIntake(deps: IntakeDeps, input: StartIntake): Promise<IntakeReply> {
  return runIntake(deps, undefined, {
    type: 'started',
    by: input.caller,
    draftId: deps.newId(),
    conversation: input.conversation,
    subject: input.subject,
    regime: input.regime,
  });
}
