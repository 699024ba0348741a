import { assertNever, type ExportRequest, type ExportState } from '../export-request';
import { pollDelayMs, type ExportPolicy } from '../policies';
import { attemptStep, audit, fail, following, later, ok, operationId, type AttemptStep } from './attempt';
import { operationLost, pollFailed, polled, watched } from './export-polling';
import { resubmit } from './resubmit';
import { stale, type ApprovalTimers, type EventOf, type ExportEvent, type TransitionResult } from './types';

/**
 * The export's part of the workflow: submission, evidence, polling, completion, retry. Every event but an
 * admin's resubmission names its attempt: an event about another attempt is stale.
 */
export function exportTransition(
  request: ExportRequest,
  event: ExportEvent,
  now: Date,
  policy: ExportPolicy,
  timers: ApprovalTimers,
): TransitionResult {
  if (event.type === 'resubmit') return resubmit(request, event, now, policy, timers);
  const x = request.export;
  if (!x || event.attempt !== x.attempt) return stale;
  const step = attemptStep(request, x, now, policy);
  switch (event.type) {
    case 'submitStarted':
      return submitStarted(step, event);
    case 'submitAccepted':
      return submitAccepted(step, event);
    case 'submitThrottled':
      return submitThrottled(step, event);
    case 'submitRefused':
      if (request.status !== 'approved') return stale;
      return fail(step, { ...x, submitStartedAt: undefined }, event.code, event.message);
    case 'submitUnknown':
      return submitUnknown(step, event);
    case 'evidenceChecked':
      return evidenceChecked(step, event);
    case 'polled':
      return polled(step, event);
    case 'pollFailed':
      return pollFailed(step, event);
    case 'operationLost':
      return operationLost(step, event);
    case 'watched':
      return watched(step, event);
    case 'sasRevoked':
      if (x.sasRevokedAt) return stale;
      // Audited by the revoking job (an older attempt's SAS is revoked too, with no state to change).
      return ok({ ...request, export: { ...x, sasRevokedAt: step.at } }, []);
    default:
      return assertNever(event);
  }
}

function submitStarted(
  { request, x, id, at }: AttemptStep,
  event: EventOf<'submitStarted'>,
): TransitionResult {
  if (request.status !== 'approved' || x.submitStartedAt) return stale;
  return ok({ ...request, export: { ...x, submitStartedAt: at, accountName: event.accountName } }, [
    audit(
      'sas.created',
      `write-only SAS (create, write; no read, list or delete) for container ${x.containerName} in storage account ${event.accountName}, for attempt ${x.attempt} of ${id}`,
    ),
  ]);
}

function submitAccepted(step: AttemptStep, event: EventOf<'submitAccepted'>): TransitionResult {
  const { request, x, id, at, policy } = step;
  if (request.status !== 'approved' && request.status !== 'outcomeUnknown') return stale;
  const retryAfterMs = event.retryAfterSeconds * 1000;
  const nextAt = later(step, pollDelayMs(0, retryAfterMs, policy.pollCapMs));
  const state: ExportState = {
    ...x,
    operationUrl: event.operationUrl,
    submittedAt: at,
    notBefore: later(step, retryAfterMs),
    nextAt,
    unknown: undefined,
    cardUpdatedAt: at,
  };
  return ok({ ...request, status: 'exporting', export: state }, [
    audit(
      'export.submitted',
      `Graph accepted the export of ${id} (attempt ${x.attempt}) into ${step.where}; operation ${operationId(event.operationUrl)}`,
    ),
    { type: 'updateApprovalCard' },
    {
      type: 'replyInThread',
      key: `submitted-${x.attempt}`,
      notice: {
        kind: 'submitted',
        subject: request.subject.displayName,
        ...(step.policy.expectedMs !== undefined ? { expectedMs: step.policy.expectedMs } : {}),
        ...step.place,
      },
    },
    { type: 'pollExport', attempt: x.attempt, at: nextAt },
  ]);
}

function submitThrottled(step: AttemptStep, event: EventOf<'submitThrottled'>): TransitionResult {
  const { request, x, id } = step;
  if (request.status !== 'approved') return stale;
  const nextAt = later(step, Math.max(1000, event.retryAfterSeconds * 1000));
  const state: ExportState = { ...x, submitStartedAt: undefined, throttled: x.throttled + 1, nextAt };
  return ok({ ...request, export: state }, [
    audit(
      'export.throttled',
      `Graph did not take the export of ${id} yet (${event.code}); trying again after ${event.retryAfterSeconds} s as it asked`,
    ),
    ...(x.throttled === 0 ? [{ type: 'updateApprovalCard' } as const] : []),
    { type: 'submitExport', attempt: x.attempt, at: nextAt },
  ]);
}

function submitUnknown(
  { request, x, id, at }: AttemptStep,
  event: EventOf<'submitUnknown'>,
): TransitionResult {
  if (request.status !== 'approved') return stale;
  const state: ExportState = {
    ...x,
    nextAt: at,
    unknown: { since: at, detail: event.detail, checks: 0, evidence: false },
  };
  return ok({ ...request, status: 'outcomeUnknown', export: state }, [
    audit(
      'export.unknown',
      `no answer from Graph to the export of ${id} (attempt ${x.attempt}): ${event.detail}; not submitting again before looking for evidence`,
    ),
    { type: 'updateApprovalCard' },
    { type: 'checkSubmission', attempt: x.attempt, at },
  ]);
}

function evidenceChecked(step: AttemptStep, event: EventOf<'evidenceChecked'>): TransitionResult {
  const { request, x, id, at, policy } = step;
  if (request.status !== 'outcomeUnknown' || !x.unknown || x.unknown.askedAt) return stale;
  if (event.found && event.operationUrl) {
    const state = following(x, event.operationUrl, at);
    return ok({ ...request, status: 'exporting', export: state }, [
      audit(
        'export.recovered',
        `Graph's RequestInfo.json is in ${step.where}: the export of ${id} was accepted (operation ${operationId(event.operationUrl)}); following it, not submitting again`,
      ),
      { type: 'updateApprovalCard' },
      { type: 'pollExport', attempt: x.attempt, at },
    ]);
  }
  const checks = x.unknown.checks + 1;
  if (!event.found && checks < policy.evidenceChecks) {
    const nextAt = later(step, policy.evidenceRecheckMs);
    return ok({ ...request, export: { ...x, nextAt, unknown: { ...x.unknown, checks } } }, [
      { type: 'checkSubmission', attempt: x.attempt, at: nextAt },
    ]);
  }
  const state: ExportState = {
    ...x,
    nextAt: undefined,
    unknown: { ...x.unknown, checks, evidence: event.found, askedAt: at },
  };
  return ok({ ...request, export: state }, [
    audit(
      'export.unknown',
      event.found
        ? `evidence of the export of ${id} found but no operation id; the channel is told`
        : `no evidence of the export of ${id} after ${checks} checks; the channel is asked to confirm a resubmission`,
    ),
    { type: 'updateApprovalCard' },
    {
      type: 'replyInThread',
      key: `unknown-${x.attempt}`,
      notice: event.found
        ? { kind: 'exportUntraceable', requestId: id, ...step.place }
        : { kind: 'outcomeUnknown', requestId: id, detail: x.unknown.detail, ...step.place },
    },
  ]);
}
