import { formInputs } from '../policies';
import { channelOf } from '../access';
import { assertNever } from '../export-request';
import { sameId } from '../identity';
import { isExpired, type IntakeDraft } from '../intake-draft';
import { DEFAULT_APPROVAL_TIMERS, type ApprovalTimers } from '../workflow';
import type { IntakeClicked, IntakeEvent, IntakeStarted, IntakeStep } from './intake-event';
import type { IntakeAction } from './intake-reply';
import { ask, reply, UNKNOWN, claimedId } from './step';
import { chosen, findSubject, findTyped, openRequestsRead, userFound, usersSearched } from './subject';
import { created, draftClaimed, finishSubmission, raced, submit, writeRequest } from './submission';

/**
 * Intake as a state machine: the draft's next state, the effects to run and the answer (or the one question
 * whose answer continues the turn) for an event at `now`. Pure and total: every stage transition, every
 * reply and every audit record of intake is decided here (refused rights are recorded where rights are
 * checked, as for every admin action); the use cases only run the ports.
 *
 * The stages (see {@link IntakeDraft}): `choosing` → `confirming` → `submitting` → `submitted`, or
 * `cancelled`. Only the requester, in the conversation they asked in, moves their draft; a draft in
 * `choosing` or `confirming` expires after a day; a Submit claims the draft at the version read (so of two
 * concurrent clicks one acts), and a Submit repeated on a claimed draft finishes the request and answers the
 * same.
 */
export function advance(
  draft: IntakeDraft | undefined,
  event: IntakeEvent,
  now: Date,
  timers: ApprovalTimers = DEFAULT_APPROVAL_TIMERS,
): IntakeStep {
  /** Events that continue a turn on a draft; there is none when a stray answer arrives. */
  const onDraft = (next: (draft: IntakeDraft) => IntakeStep): IntakeStep =>
    draft ? next(draft) : reply(undefined, UNKNOWN);
  switch (event.type) {
    case 'started':
      return ask(undefined, { type: 'authorize', by: event.by, then: event });
    case 'clicked':
      return clicked(draft, event, now);
    case 'authorized': {
      const then = event.then;
      if (then.type === 'started') {
        return findSubject(openDraft(then, event.actor, event.tenantId, now), then.subject);
      }
      return onDraft((d) => act(d, then.action, now));
    }
    case 'refused':
      return reply(draft, { kind: 'refused', reason: event.reason });
    case 'userFound':
      return onDraft((d) => userFound(d, event.user, event.origin, event.idUpnOrMail));
    case 'usersSearched':
      return onDraft((d) => usersSearched(d, event.text, event.users));
    case 'openRequestsRead':
      return onDraft((d) => openRequestsRead(d, event.open, event.then, now));
    case 'requestIdAllocated':
      return onDraft((d) => {
        // Claim the draft with its ETag before writing the request: of two concurrent clicks, one wins.
        const claimed: IntakeDraft = {
          ...d,
          stage: 'submitting',
          requestId: event.requestId,
          form: formInputs(event.form),
        };
        return ask(claimed, { type: 'claimDraft', draft: claimed });
      });
    case 'draftClaimed':
      return onDraft((d) => draftClaimed(d, now));
    case 'draftRaced':
      return raced(event.current);
    case 'requestRead':
      return onDraft((d) =>
        event.request ? created(d, event.request, false) : writeRequest(d, now, timers),
      );
    case 'requestWritten':
      return onDraft((d) => created(d, event.request, event.wroteIt));
    case 'approvalsChannelRead':
      return reply(draft, { kind: 'created', request: event.request, approvalsChannelSet: event.set });
    default:
      return assertNever(event);
  }
}

function openDraft(started: IntakeStarted, requester: IntakeDraft['requester'], tenantId: string, now: Date) {
  const draft: IntakeDraft = {
    id: started.draftId,
    createdAt: now.toISOString(),
    requester,
    tenantId,
    requestedIn: started.conversation,
    stage: 'choosing',
    regime: started.regime,
    candidates: [],
    subject: undefined,
    duplicateOf: undefined,
    requestId: undefined,
    form: {},
  };
  return draft;
}

/** Only the requester continues their draft, and only in the conversation they asked in. */
function isTheirs(draft: IntakeDraft, click: IntakeClicked): boolean {
  return (
    sameId(click.by.aadObjectId, draft.requester.aadObjectId) &&
    sameId(click.by.tenantId, draft.tenantId) &&
    channelOf(click.conversationId) === channelOf(draft.requestedIn.id)
  );
}

function clicked(draft: IntakeDraft | undefined, click: IntakeClicked, now: Date): IntakeStep {
  if (!draft) return reply(undefined, UNKNOWN);
  if (!isTheirs(draft, click)) {
    // Recorded (within the audit log's refusal budget); the answer names nobody.
    return reply(draft, { kind: 'notYours' }, [
      {
        type: 'audit',
        event: {
          at: now.toISOString(),
          action: 'card.refused',
          actor: { aadObjectId: click.by.aadObjectId, name: click.by.name, tenantId: click.by.tenantId },
          outcome: 'refused',
          detail: `tried to continue export request draft ${draft.id}, which is not theirs or not in this conversation`,
        },
      },
    ]);
  }
  switch (draft.stage) {
    case 'submitting':
    case 'submitted':
      // The same click delivered twice (Teams retries slow invokes), or a retry after a crash: finish and repeat.
      return click.action.verb === 'submit'
        ? finishSubmission(draft)
        : reply(draft, { kind: 'submittedElsewhere', requestId: claimedId(draft) });
    case 'cancelled':
      return reply(draft, { kind: 'stale', why: 'cancelled' });
    case 'choosing':
    case 'confirming':
      if (isExpired(draft, now)) return reply(draft, { kind: 'stale', why: 'expired' });
      if (click.action.verb === 'cancel') return cancel(draft);
      // The requester's rights are checked again before anything moves forward (roles may have changed).
      return ask(draft, { type: 'authorize', by: click.by, then: click });
    default:
      return assertNever(draft.stage);
  }
}

/** A click the requester may make, their rights confirmed. */
function act(draft: IntakeDraft, action: IntakeAction, now: Date): IntakeStep {
  switch (action.verb) {
    case 'find':
      return findTyped(draft, typeof action.query === 'string' ? action.query : '');
    case 'pick': {
      const subject = Number.isInteger(action.choice) ? draft.candidates[action.choice] : undefined;
      if (draft.stage !== 'choosing' || !subject) return reply(draft, UNKNOWN);
      return chosen(draft, subject);
    }
    case 'acknowledgeDuplicate':
      if (!draft.subject) return reply(draft, UNKNOWN);
      return ask(draft, {
        type: 'readOpenRequests',
        subjectId: draft.subject.id,
        then: { step: 'acknowledge' },
      });
    case 'submit':
      return submit(draft, action.inputs, now);
    case 'cancel':
      return cancel(draft);
    default:
      return assertNever(action);
  }
}

/** Cancelling claims the draft: a Submit that got there first wins, and is named. */
function cancel(draft: IntakeDraft): IntakeStep {
  const cancelled: IntakeDraft = { ...draft, stage: 'cancelled' };
  return ask(cancelled, { type: 'claimDraft', draft: cancelled });
}
