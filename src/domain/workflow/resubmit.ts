import type { ExportRequest } from '../export-request';
import { sameId } from '../identity';
import type { ExportPolicy } from '../policies';
import { attemptStep, audit, following, newAttempt, ok, operationId } from './attempt';
import {
  approvalRound,
  MAX_ATTEMPTS_PER_APPROVAL,
  type ApprovalTimers,
  type EventOf,
  type TransitionResult,
} from './types';

/**
 * An admin's Retry (after a failure) or Resubmit (after an unknown outcome the channel was asked about): a new
 * attempt in a new container; or, when a last look found Graph's export after all, following that one; or,
 * when the approval's attempts are used up, a new approval round.
 */
export function resubmit(
  request: ExportRequest,
  event: EventOf<'resubmit'>,
  now: Date,
  policy: ExportPolicy,
  timers: ApprovalTimers,
): TransitionResult {
  const x = request.export;
  const retryable =
    x !== undefined &&
    (request.status === 'failed' ||
      (request.status === 'outcomeUnknown' && x.unknown?.askedAt !== undefined));
  if (!retryable) return { ok: false, reason: 'notResubmittable' };
  // Four eyes on every export: the requester cannot start one, not even again.
  if (sameId(event.by.aadObjectId, request.requester.aadObjectId))
    return { ok: false, reason: 'selfApproval' };
  const step = attemptStep(request, x, now, policy);
  const { id, at } = step;
  if (request.status === 'outcomeUnknown' && event.evidence?.found && event.evidence.operationUrl) {
    // Graph did take it after all: follow that export instead of starting a second one.
    const operationUrl = event.evidence.operationUrl;
    const state = following(x, operationUrl, at);
    return ok({ ...request, status: 'exporting', export: state }, [
      audit(
        'export.recovered',
        `${event.by.name} asked to resubmit ${id}, but a last look found Graph's RequestInfo.json in ${step.where} (operation ${operationId(operationUrl)}): following it, not submitting again`,
        event.by,
      ),
      { type: 'updateApprovalCard' },
      {
        type: 'replyInThread',
        key: `recovered-${x.attempt}`,
        notice: { kind: 'foundBeforeResubmit', requestId: id, ...step.place },
      },
      { type: 'pollExport', attempt: x.attempt, at },
    ]);
  }
  const approvedAttempts = x.attempt - (request.decision?.firstAttempt ?? 1) + 1;
  if (approvedAttempts >= MAX_ATTEMPTS_PER_APPROVAL) {
    // The approval is used up: the request goes back to the channel for a new decision.
    const round = approvalRound(now, timers);
    return ok(
      {
        ...request,
        status: 'pendingApproval',
        decision: undefined,
        pendingDecision: undefined,
        previousDecisions: [
          ...(request.previousDecisions ?? []),
          ...(request.decision ? [request.decision] : []),
        ],
        nextReminderAt: round.nextReminderAt,
        expiresAt: round.expiresAt,
      },
      [
        audit(
          'request.reapprovalAsked',
          `${event.by.name} asked to export ${id} again after ${approvedAttempts} attempts under one approval: a new approval is needed`,
          event.by,
        ),
        { type: 'updateApprovalCard' },
        {
          type: 'replyInThread',
          key: `reapproval-${x.attempt}`,
          notice: { kind: 'reapprovalNeeded', requestId: id, attempts: approvedAttempts },
        },
        ...(request.status === 'outcomeUnknown' ? [{ type: 'revokeSas', attempt: x.attempt } as const] : []),
        ...round.effects,
      ],
    );
  }
  const attempt = x.attempt + 1;
  const fresh = newAttempt(id, attempt, at, policy.containerPrefix);
  return ok({ ...request, status: 'approved', export: fresh }, [
    audit(
      'export.resubmitted',
      `${event.by.name} asked for attempt ${attempt} of ${id} into the new container ${fresh.containerName} (the previous attempt ${request.status === 'failed' ? 'failed' : 'had an unknown outcome'})`,
      event.by,
    ),
    { type: 'updateApprovalCard' },
    {
      type: 'replyInThread',
      key: `resubmitted-${attempt}`,
      notice: { kind: 'resubmitted', requestId: id, by: event.by.name, container: fresh.containerName },
    },
    ...(request.status === 'outcomeUnknown' ? [{ type: 'revokeSas', attempt: x.attempt } as const] : []),
    { type: 'submitExport', attempt, at },
  ]);
}
