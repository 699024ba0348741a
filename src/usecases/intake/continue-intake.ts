import type { IntakeAction, IntakeReply } from '../../domain/intake';
import type { Caller } from '../who-am-i';
import { readDraft, runIntake, type IntakeDeps } from './run-intake';
import { submitIntake } from './submit-intake';

/**
 * A click on an intake card: find a person, pick one, create another request beside an open one, cancel (and
 * Submit, see {@link submitIntake}). The draft id comes from the card; who clicked and where come from Teams.
 * Only the requester may continue their draft, in the conversation they asked in (anyone else gets
 * `notYours`, recorded); their rights are checked again before anything moves forward; a draft more than a
 * day old is refused; a click delivered twice gives the same answer without acting twice.
 */
export async function continueIntake(
  deps: IntakeDeps,
  caller: Caller,
  conversationId: string,
  draftId: string,
  action: IntakeAction,
): Promise<IntakeReply> {
  if (action.verb === 'submit') return submitIntake(deps, caller, conversationId, draftId, action.inputs);
  return runIntake(deps, await readDraft(deps, draftId), {
    type: 'clicked',
    by: caller,
    conversationId,
    action,
  });
}
