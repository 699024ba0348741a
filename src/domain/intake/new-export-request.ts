import type { AuditEvent } from '../audit';
import type { DirectoryUser } from '../directory-user';
import type { ExportRequest } from '../export-request';
import type { IntakeDraft } from '../intake-draft';
import { nextDeadline } from '../deadline';
import { dueDate, type RequestForm } from '../policies';
import { approvalRound, type ApprovalTimers, type Effect } from '../workflow';

export interface NewRequestInput {
  /** The claimed draft: who asked, where, and beside which open request. */
  readonly draft: IntakeDraft;
  readonly subject: DirectoryUser;
  /** The draft's form, validated. */
  readonly form: RequestForm;
  /** The id the draft claimed. */
  readonly requestId: string;
  readonly now: Date;
  readonly timers: ApprovalTimers;
}

/**
 * The request a submitted draft stands for, waiting for approval from `now`: its legal due date, its
 * approval round's reminder and expiry (from {@link approvalRound}, as for any new round), and its outbox
 * holding the approval card and the timers, so that whoever writes the request, or finds it written, hands
 * them over and they are armed once however many clicks arrive.
 *
 * The outbox entries are named after the request (`DSR-2026-0042:0` …): the same draft always gives the same
 * request, and no other request has the same id.
 */
export function newExportRequest(input: NewRequestInput): ExportRequest {
  const { draft, form, requestId, now } = input;
  const round = approvalRound(now, input.timers);
  const due = dueDate(form.regime, form.receivedDate);
  const deadline = nextDeadline(due, now);
  const effects: Effect[] = [
    { type: 'postApprovalCard' },
    ...round.effects,
    ...(deadline ? [{ type: 'deadline', step: deadline.step, at: deadline.at } as const] : []),
  ];
  return {
    id: requestId,
    status: 'pendingApproval',
    subject: input.subject,
    requester: draft.requester,
    regime: form.regime,
    receivedDate: form.receivedDate,
    dueDate: due,
    reference: form.reference,
    justification: form.justification,
    createdAt: now.toISOString(),
    requestedIn: draft.requestedIn,
    ...(draft.duplicateOf ? { duplicateOf: draft.duplicateOf } : {}),
    ...(round.nextReminderAt ? { nextReminderAt: round.nextReminderAt } : {}),
    expiresAt: round.expiresAt,
    ...(deadline ? { deadline } : {}),
    ...(form.identity ? { identity: { ...form.identity, by: draft.requester, at: now.toISOString() } } : {}),
    // Stamped, so that a sweep or another click leaves them to the writer for the grace period.
    outbox: effects.map((effect, i) => ({ id: `${requestId}:${i}`, at: now.toISOString(), effect })),
  };
}

/** The audit record of a request's creation (recorded once per request, however often it is answered). */
export function requestCreatedEvent(request: ExportRequest): AuditEvent {
  return {
    at: request.createdAt,
    action: 'request.created',
    actor: request.requester,
    outcome: 'ok',
    requestId: request.id,
    subjectId: request.subject.id,
    detail: `${request.regime} export for ${request.subject.userPrincipalName}, received ${request.receivedDate}, due ${request.dueDate}, reference ${request.reference}${request.duplicateOf ? `, beside open ${request.duplicateOf}` : ''}`,
  };
}
