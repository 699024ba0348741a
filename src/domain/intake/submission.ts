import { assertNever, type ExportRequest } from '../export-request';
import { type IntakeDraft } from '../intake-draft';
import { isoDate, validateRequestForm } from '../policies';
import { type ApprovalTimers } from '../workflow';
import type { IntakeStep } from './intake-event';
import { newExportRequest, requestCreatedEvent } from './new-export-request';
import { ask, reply, save, UNKNOWN, claimedId } from './step';
import { confirmation } from './subject';

/* Submitting a confirmed draft: claim it, write the request once, hand over its card and timers. */

export function submit(draft: IntakeDraft, inputs: Record<string, unknown>, now: Date): IntakeStep {
  if (draft.stage !== 'confirming' || !draft.subject) return reply(draft, UNKNOWN);
  const result = validateRequestForm(inputs, isoDate(now));
  if (!result.ok) {
    const next: IntakeDraft = { ...draft, form: result.values };
    return reply(next, confirmation(next, draft.subject, result.errors), [save(next)]);
  }
  return ask(draft, {
    type: 'readOpenRequests',
    subjectId: draft.subject.id,
    then: { step: 'submit', form: result.form },
  });
}

export function draftClaimed(draft: IntakeDraft, now: Date): IntakeStep {
  switch (draft.stage) {
    case 'cancelled':
      return reply(draft, { kind: 'cancelled' }, [
        {
          type: 'audit',
          event: {
            at: now.toISOString(),
            action: 'draft.cancelled',
            actor: draft.requester,
            outcome: 'ok',
            ...(draft.subject ? { subjectId: draft.subject.id } : {}),
            detail: 'cancelled before submitting; nothing was stored',
          },
        },
      ]);
    case 'submitting':
      return finishSubmission(draft);
    case 'choosing':
    case 'confirming':
    case 'submitted':
      // Nothing claims a draft into these stages.
      return reply(draft, UNKNOWN);
    default:
      return assertNever(draft.stage);
  }
}

/** Another click moved the draft first: say what became of it. */
export function raced(current: IntakeDraft | undefined): IntakeStep {
  if (!current) return reply(undefined, UNKNOWN);
  switch (current.stage) {
    case 'submitting':
    case 'submitted':
      return reply(current, { kind: 'submittedElsewhere', requestId: claimedId(current) });
    case 'cancelled':
      return reply(current, { kind: 'cancelled' });
    case 'choosing':
    case 'confirming':
      return reply(current, UNKNOWN);
    default:
      return assertNever(current.stage);
  }
}

/** Writes the request a claimed draft stands for (idempotent: safe after a crash or a repeated click). */
export function finishSubmission(draft: IntakeDraft): IntakeStep {
  return ask(draft, { type: 'readRequest', requestId: claimedId(draft) });
}

export function writeRequest(draft: IntakeDraft, now: Date, timers: ApprovalTimers): IntakeStep {
  // The form was validated when the draft was claimed; now is later, so it still passes.
  const form = validateRequestForm(draft.form, isoDate(now));
  if (!form.ok || !draft.subject) throw new Error(`Draft ${draft.id} was claimed without a valid form.`);
  const request = newExportRequest({
    draft,
    subject: draft.subject,
    form: form.form,
    requestId: claimedId(draft),
    now,
    timers,
  });
  return ask(draft, { type: 'writeRequest', request });
}

/** The request is stored: record it (once), hand its approval card and timers over, mark the draft. */
export function created(draft: IntakeDraft, request: ExportRequest, wroteIt: boolean): IntakeStep {
  const submitted: IntakeDraft = draft.stage === 'submitted' ? draft : { ...draft, stage: 'submitted' };
  return ask(submitted, { type: 'readApprovalsChannel', request }, [
    { type: 'audit', event: requestCreatedEvent(request), onceKey: 'created' },
    // Hands over the card and timers if they still wait (a no-op once done: a repeated click arms nothing).
    { type: 'handOverOutbox', requestId: request.id, wroteIt },
    ...(draft.stage === 'submitted'
      ? []
      : [{ type: 'saveDraft', draft: submitted, ifStale: 'ignore' } as const]),
  ]);
}
