import type { Actor } from '../actor';
import type { AuditAction } from '../audit';
import { daysLate, daysLeft, extensionFor, nextDeadline, originalDueDate } from '../deadline';
import type { Effect } from '../effect';
import { clockRunning, assertNever, type ExportRequest } from '../export-request';
import { sameId } from '../identity';
import type { ClockNotice } from '../notice';
import { isoDate } from '../policies';
import { cleanReason, cleanText } from '../text';
import type { LifecycleEvent, TransitionResult } from './types';

/** Longest note kept with an identity check, a delivery or a closure. */
export const MAX_NOTE = 500;

/** The words of a delivery method and of a closure reason, as notices and cards name them. */
export const DELIVERY_WORDS = {
  secureLink: 'a secure link',
  inPerson: 'in person',
  post: 'by post',
  other: 'another way',
} as const;
export const CLOSURE_WORDS = {
  withdrawn: 'withdrawn by the data subject',
  identityNotVerified: "the subject's identity could not be verified",
  manifestlyUnfounded: 'manifestly unfounded',
  excessive: 'excessive',
} as const;
export const IDENTITY_WORDS = {
  corporateSignIn: 'their own work account (signed-in request)',
  hrRecords: 'matched against HR records',
  governmentId: 'a government-issued ID',
  other: 'another way',
} as const;

/**
 * The legal clock's part of the workflow: identity verification, extensions (GDPR, CCPA), deadline reminders,
 * delivery (stops the clock) and closure without export (proposed by one admin, confirmed by another). The
 * caller checked the actor's admin role live; the workflow checks what the record allows.
 */
export function lifecycleTransition(
  request: ExportRequest,
  event: LifecycleEvent,
  now: Date,
): TransitionResult {
  const at = now.toISOString();
  const today = isoDate(now);
  const id = request.id;
  const running = clockRunning(request.status);
  const ok = (next: ExportRequest, effects: Effect[]): TransitionResult => ({
    ok: true,
    request: next,
    effects,
  });
  const audit = (action: AuditAction, actor: Actor | undefined, detail: string): Effect => ({
    type: 'audit',
    action,
    actor,
    detail,
  });
  /** The thread when there is one, else the requester; the card shows the new state. */
  const tell = (key: string, notice: ClockNotice): Effect[] => [
    { type: 'updateApprovalCard' },
    request.approvalCard ? { type: 'replyInThread', key, notice } : { type: 'notifyRequester', key, notice },
  ];

  switch (event.type) {
    case 'recordIdentity': {
      if (!running) return { ok: false, reason: 'clockStopped' };
      // The check an approval relied on is evidence: it is recorded once, never overwritten.
      if (request.identity) return { ok: false, reason: 'identityRecorded' };
      const note = cleanText(event.note, MAX_NOTE, { multiline: true });
      const next = { ...request, identity: { method: event.method, note, by: event.by, at } };
      return ok(next, [
        audit('identity.recorded', event.by, `identity of the subject of ${id} verified: ${event.method}`),
        ...tell(`identity-${at}`, {
          kind: 'identityRecorded',
          requestId: id,
          by: event.by.name,
          method: IDENTITY_WORDS[event.method],
        }),
      ]);
    }
    case 'extend': {
      const reason = cleanReason(event.reason);
      if (reason === '') return { ok: false, reason: 'noteRequired' };
      // The same click delivered twice (Teams retries slow invokes) must not extend twice.
      if (isRepeatedExtension(request, event.by, reason, now)) return { ok: false, reason: 'stale' };
      const answer = extensionFor(request, today, event.months);
      if (!answer.ok) return { ok: false, reason: 'extensionRefused', why: answer.why };
      const fromDue = request.dueDate;
      const next: ExportRequest = {
        ...request,
        dueDate: answer.toDue,
        extensions: [
          ...(request.extensions ?? []),
          { by: event.by, at, reason, fromDue, toDue: answer.toDue },
        ],
      };
      // The reminders follow the new date: a timer for the old one is stale.
      const deadline = nextDeadline(answer.toDue, now);
      const notice: ClockNotice = {
        kind: 'extended',
        requestId: id,
        by: event.by.name,
        fromDue,
        toDue: answer.toDue,
        reason,
        tellBy: originalDueDate(request),
      };
      return ok(deadline ? { ...next, deadline } : { ...next, deadline: undefined }, [
        audit(
          'deadline.extended',
          event.by,
          `due date of ${id} extended from ${fromDue} to ${answer.toDue}: ${reason}`,
        ),
        ...(deadline ? [{ type: 'deadline', step: deadline.step, at: deadline.at } as const] : []),
        ...tell(`extended-${answer.toDue}`, notice),
        // The requester is reminded that the subject must be told, whatever the thread says.
        ...(request.approvalCard
          ? [{ type: 'notifyRequester', key: `extended-${answer.toDue}`, notice } as const]
          : []),
      ]);
    }
    case 'deliver': {
      if (!running) return { ok: false, reason: 'clockStopped' };
      if (request.status !== 'completed') return { ok: false, reason: 'notDeliverable' };
      // Not in the future, and not before the data existed: the export's completion (retention counts from it).
      const exportedOn = (request.export?.completedAt ?? request.receivedDate).slice(0, 10);
      if (
        !/^\d{4}-\d{2}-\d{2}$/.test(event.date) ||
        event.date > today ||
        event.date < request.receivedDate ||
        event.date < exportedOn
      )
        return { ok: false, reason: 'badDate' };
      const late = daysLate(request.dueDate, event.date);
      const note = cleanText(event.note, MAX_NOTE, { multiline: true });
      const next: ExportRequest = {
        ...request,
        status: 'delivered',
        deadline: undefined,
        delivery: { date: event.date, method: event.method, note, by: event.by, at, daysLate: late },
      };
      return ok(next, [
        audit(
          'request.delivered',
          event.by,
          `${id} delivered to the data subject on ${event.date} (${event.method})${late > 0 ? `, ${late} days late` : ''}`,
        ),
        ...tell('delivered', {
          kind: 'delivered',
          requestId: id,
          by: event.by.name,
          date: event.date,
          method: DELIVERY_WORDS[event.method],
          daysLate: late,
        }),
      ]);
    }
    case 'proposeClosure': {
      if (!running) return { ok: false, reason: 'clockStopped' };
      // Not while an export runs: its data would arrive for a closed request.
      if (request.status === 'approved' || request.status === 'exporting' || request.closure)
        return { ok: false, reason: 'notClosable' };
      const note = cleanReason(event.note);
      if (note === '') return { ok: false, reason: 'noteRequired' };
      const next: ExportRequest = {
        ...request,
        closure: { reason: event.reason, note, proposedBy: event.by, proposedAt: at },
      };
      return ok(next, [
        audit(
          'closure.proposed',
          event.by,
          `closing ${id} without export proposed (${event.reason}): ${note}`,
        ),
        ...tell(`closure-proposed-${at}`, {
          kind: 'closureProposed',
          requestId: id,
          by: event.by.name,
          reason: CLOSURE_WORDS[event.reason],
        }),
      ]);
    }
    case 'withdrawClosure': {
      if (!running) return { ok: false, reason: 'clockStopped' };
      if (!request.closure) return { ok: false, reason: 'noClosureProposed' };
      if (event.proposedAt !== undefined && event.proposedAt !== request.closure.proposedAt)
        return { ok: false, reason: 'stale' };
      return ok({ ...request, closure: undefined }, [
        audit(
          'closure.withdrawn',
          event.by,
          `the proposed closure of ${id} was withdrawn; the request stays open`,
        ),
        ...tell(`closure-withdrawn-${at}`, { kind: 'closureWithdrawn', requestId: id, by: event.by.name }),
      ]);
    }
    case 'confirmClosure': {
      if (!running) return { ok: false, reason: 'clockStopped' };
      const c = request.closure;
      if (!c) return { ok: false, reason: 'noClosureProposed' };
      // Confirm what was shown: a proposal made after the card was rendered needs its own look.
      if (event.proposedAt !== undefined && event.proposedAt !== c.proposedAt)
        return { ok: false, reason: 'stale' };
      if (sameId(c.proposedBy.aadObjectId, event.by.aadObjectId)) return { ok: false, reason: 'sameAdmin' };
      if (request.status === 'approved' || request.status === 'exporting')
        return { ok: false, reason: 'notClosable' };
      const wasPending = request.status === 'pendingApproval';
      const next: ExportRequest = {
        ...request,
        status: 'closed',
        deadline: undefined,
        closure: { ...c, confirmedBy: event.by, confirmedAt: at },
        // A pending approval round ends with the closure: its reminder and expiry timers are stale.
        ...(wasPending
          ? { nextReminderAt: undefined, expiresAt: undefined, pendingDecision: undefined }
          : {}),
      };
      const notice: ClockNotice = {
        kind: 'closed',
        requestId: id,
        proposedBy: c.proposedBy.name,
        by: event.by.name,
        reason: CLOSURE_WORDS[c.reason],
      };
      return ok(next, [
        audit(
          'request.closed',
          event.by,
          `${id} closed without export (${c.reason}), proposed by ${c.proposedBy.name}: ${c.note}`,
        ),
        ...tell('closed', notice),
        ...(request.approvalCard ? [{ type: 'notifyRequester', key: 'closed', notice } as const] : []),
      ]);
    }
    case 'deadlineDue': {
      const d = request.deadline;
      if (!running || !d || d.at !== event.at || d.step !== event.step) return { ok: false, reason: 'stale' };
      const following = nextDeadline(request.dueDate, now, d.step);
      const notice: ClockNotice = {
        kind: 'deadline',
        requestId: id,
        subject: request.subject.displayName,
        step: d.step,
        dueDate: request.dueDate,
        exported: request.status === 'completed',
      };
      const left = daysLeft(request.dueDate, today);
      return ok({ ...request, deadline: following }, [
        audit(
          'deadline.reminded',
          undefined,
          `${id}: ${d.step === 'overdue' ? `overdue since ${request.dueDate}` : `${left} days left to ${request.dueDate}`}`,
        ),
        ...(following ? [{ type: 'deadline', step: following.step, at: following.at } as const] : []),
        request.approvalCard
          ? { type: 'replyInThread', key: `deadline-${d.step}-${request.dueDate}`, notice }
          : { type: 'notifyRequester', key: `deadline-${d.step}-${request.dueDate}`, notice },
        { type: 'updateApprovalCard' },
      ]);
    }
    default:
      return assertNever(event);
  }
}

/** How long an identical extension by the same admin counts as the same click delivered again. */
export const REPEAT_WINDOW_MS = 10 * 60_000;

/** Whether the last extension is this admin's, with this reason, within the repeat window. */
export function isRepeatedExtension(request: ExportRequest, by: Actor, reason: string, now: Date): boolean {
  const last = request.extensions?.at(-1);
  return (
    last !== undefined &&
    sameId(last.by.aadObjectId, by.aadObjectId) &&
    last.reason === reason &&
    now.getTime() - Date.parse(last.at) < REPEAT_WINDOW_MS
  );
}
