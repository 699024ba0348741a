import { INPUT, VERB, type LifecycleVerb } from '../../cards/verbs';
import { EXTENSION_RULES } from '../../domain/deadline';
import {
  CLOSURE_REASONS,
  DELIVERY_METHODS,
  IDENTITY_METHODS,
  type ExportRequest,
} from '../../domain/export-request';
import { cleanText } from '../../domain/text';
import type { ActRefusal, LifecycleAction } from '../../usecases/act-on-request';

/** Most characters read of a typed note or reason (the workflow keeps less). */
const TYPED = 2000;

const typed = (value: unknown, multiline = true) => cleanText(value, TYPED, { multiline, ellipsis: '' });

function oneOf<T extends string>(values: readonly T[], value: unknown): T | undefined {
  return values.find((v) => typeof value === 'string' && v.toLowerCase() === value.trim().toLowerCase());
}

/** The closure proposal a Confirm or Keep open button was shown with (absent on older cards). */
function proposal(data: Record<string, unknown>): { proposedAt?: string } {
  const at = data.proposedAt;
  return typeof at === 'string' && at !== '' ? { proposedAt: at.slice(0, 40) } : {};
}

/**
 * The action a lifecycle button asks for, read from what the person typed into its form (card data: checked
 * here, whatever the card allowed), or what is wrong with it in words they can act on.
 */
export function lifecycleActionOf(
  verb: LifecycleVerb,
  data: Record<string, unknown>,
):
  { readonly ok: true; readonly action: LifecycleAction } | { readonly ok: false; readonly problem: string } {
  switch (verb) {
    case VERB.recordIdentity: {
      const method = oneOf(IDENTITY_METHODS, data[INPUT.identityMethod]);
      if (!method) return { ok: false, problem: 'Choose how the identity was verified.' };
      const note = typed(data[INPUT.identityNote]);
      if (method === 'other' && note === '')
        return { ok: false, problem: 'Say how the identity was verified.' };
      return { ok: true, action: { type: 'recordIdentity', method, note } };
    }
    case VERB.extend: {
      const months = Number(data[INPUT.extendMonths] ?? 1);
      return {
        ok: true,
        action: {
          type: 'extend',
          reason: typed(data[INPUT.extendReason]),
          ...(Number.isInteger(months) ? { months } : { months: 0 }),
        },
      };
    }
    case VERB.deliver: {
      const method = oneOf(DELIVERY_METHODS, data[INPUT.deliveryMethod]);
      if (!method) return { ok: false, problem: 'Choose how the data was delivered.' };
      const date = typed(data[INPUT.deliveryDate], false);
      return { ok: true, action: { type: 'deliver', date, method, note: typed(data[INPUT.deliveryNote]) } };
    }
    case VERB.proposeClosure: {
      const reason = oneOf(CLOSURE_REASONS, data[INPUT.closeReason]);
      if (!reason) return { ok: false, problem: 'Choose why the request is closed without export.' };
      return { ok: true, action: { type: 'proposeClosure', reason, note: typed(data[INPUT.closeNote]) } };
    }
    case VERB.confirmClosure:
      return { ok: true, action: { type: 'confirmClosure', ...proposal(data) } };
    case VERB.withdrawClosure:
      return { ok: true, action: { type: 'withdrawClosure', ...proposal(data) } };
  }
}

/** Why a lifecycle action was refused, in words a person can act on. */
export function refusalWords(why: ActRefusal, request: ExportRequest | undefined): string {
  switch (why) {
    case 'notAvailable':
      return 'This request is not available to you.';
    case 'noRole':
      return 'Only admins holding an allowed role right now can do this. If your role is PIM-eligible, activate it and try again.';
    case 'roleCheckSlow':
      return 'Microsoft Graph was too slow to confirm your admin role, so nothing was recorded. Try again in a minute.';
    case 'extensionRefused':
      return request
        ? `This request cannot be extended: ${request.regime} allows ${EXTENSION_RULES[request.regime].label}.`
        : 'This request cannot be extended.';
    case 'notDeliverable':
      return 'A delivery can be recorded once the export is complete.';
    case 'badDate':
      return 'Give the day the data reached the person (YYYY-MM-DD): not before the export completed, not in the future.';
    case 'notClosable':
      return request?.closure
        ? 'A closure is already proposed: another admin can confirm it, or keep the request open.'
        : 'This request cannot be closed while its export runs: wait until it completes or fails.';
    case 'noClosureProposed':
      return 'No closure is proposed for this request (perhaps another admin kept it open).';
    case 'sameAdmin':
      return 'You proposed this closure, so another admin has to confirm it (four eyes).';
    case 'noteRequired':
      return 'Give a reason: it goes into the record (and, for an extension, to the data subject).';
    case 'clockStopped':
      return 'This request is finished: nothing more can be recorded on it.';
    case 'stale':
      return 'The request changed since this card was shown (perhaps another admin acted): look at it again.';
    case 'identityRecorded':
      return "The subject's identity check is recorded already; it is not changed afterwards.";
    case 'held':
      return 'This request is on hold already; release the hold first to change its reason.';
    case 'notHeld':
      return 'This request is not on hold.';
    case 'deletionInProgress':
      return 'Its exported data is being deleted right now (its retention ended), so a hold comes too late for it.';
    case 'identityNotVerified':
    case 'alreadyDecided':
    case 'selfApproval':
    case 'notRequester':
    case 'reasonRequired':
    case 'beingVerified':
    case 'notResubmittable':
      return 'This is not possible on this request now; the card shows where it is.';
  }
}
