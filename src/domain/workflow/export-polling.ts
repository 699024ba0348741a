import type { ExportState } from '../export-request';
import { pollDelayMs, pollErrorDelayMs } from '../policies';
import { audit, fail, later, ok, operationId, type AttemptStep } from './attempt';
import { stale, type EventOf, type TransitionResult } from './types';

/** A read of the operation: done, failed, or still running (the next read is paced by its age). */
export function polled(step: AttemptStep, event: EventOf<'polled'>): TransitionResult {
  const { request, x, id, at, policy } = step;
  if (request.status !== 'exporting') return stale;
  const checked: ExportState = {
    ...x,
    polls: x.polls + 1,
    pollErrors: 0,
    lastCheckedAt: at,
    operationStatus: event.status,
    progress: event.progress ?? x.progress,
  };
  if (event.status === 'complete') {
    // The export service's progress is its completion success rate: below 100 % some products' data is
    // missing (for example when the container stopped taking writes).
    const partial = event.progress !== undefined && event.progress < 100 ? event.progress : undefined;
    const done: ExportState = {
      ...checked,
      nextAt: undefined,
      progress: partial ?? 100,
      completedAt: event.completedAt ?? at,
      ...(event.contents ? { contents: event.contents } : {}),
    };
    const notice = {
      kind: 'exportCompleted',
      requestId: id,
      subject: request.subject.displayName,
      dueDate: request.dueDate,
      completionRate: partial,
      ...(event.contents ? { contents: event.contents } : {}),
      ...step.place,
    } as const;
    return ok({ ...request, status: 'completed', export: done }, [
      audit(
        'export.completed',
        `the export of ${id} completed after ${done.polls} status reads${partial === undefined ? '' : ` with a completion rate of ${partial} %`}; the data is in ${step.where}${event.contents ? ` (${event.contents.files} files, ${event.contents.bytes} bytes in ${event.contents.folders.length} folders)` : ''}`,
      ),
      { type: 'updateApprovalCard' },
      { type: 'replyInThread', key: `completed-${x.attempt}`, notice },
      { type: 'notifyRequester', key: `completed-${x.attempt}`, notice },
      { type: 'revokeSas', attempt: x.attempt },
    ]);
  }
  if (event.status === 'failed') {
    return fail(
      step,
      checked,
      'OperationFailed',
      'Microsoft Graph reported the export operation as failed (it gives no reason).',
    );
  }
  // notStarted, running, unknownFutureValue or anything Graph adds later: not finished.
  const retryAfterMs = (event.retryAfterSeconds ?? 0) * 1000;
  const age = Date.parse(at) - Date.parse(x.submittedAt ?? at);
  const nextAt = later(step, pollDelayMs(age, retryAfterMs, policy.pollCapMs));
  const statusChanged = event.status !== x.operationStatus;
  const progressChanged = checked.progress !== x.progress;
  const cardDue =
    statusChanged ||
    (progressChanged && Date.parse(at) - Date.parse(x.cardUpdatedAt ?? '1970-01-01') >= policy.cardEveryMs);
  const watchAt = watchBefore(step, nextAt);
  const state: ExportState = {
    ...checked,
    notBefore: later(step, retryAfterMs),
    nextAt,
    watchAt,
    ...(cardDue ? { cardUpdatedAt: at } : {}),
  };
  return ok({ ...request, export: state }, [
    ...(statusChanged
      ? [
          audit(
            'export.statusChanged',
            `the export of ${id} is ${event.status} (was ${x.operationStatus ?? 'submitted'})`,
          ),
        ]
      : []),
    ...(cardDue ? [{ type: 'updateApprovalCard' } as const] : []),
    { type: 'pollExport', attempt: x.attempt, at: nextAt },
    ...(watchAt ? [{ type: 'watchExport', attempt: x.attempt, at: watchAt } as const] : []),
  ]);
}

/** The next look into the container, when the next read is further off than a look's interval. */
function watchBefore(step: AttemptStep, nextAt: string): string | undefined {
  const watchAt = later(step, step.policy.watchEveryMs);
  return watchAt < nextAt ? watchAt : undefined;
}

/**
 * A look into the container: the export's files there bring Graph's read forward to now (or to Graph's last
 * Retry-After); none, and the next look is set (while the read is still further off). Only the look the
 * attempt waits for acts. Graph's status stays the truth: this never completes anything.
 */
export function watched(step: AttemptStep, event: EventOf<'watched'>): TransitionResult {
  const { request, x, at } = step;
  if (request.status !== 'exporting' || x.watchAt !== event.at || !x.nextAt) return stale;
  if (event.filesSeen) {
    const readAt = x.notBefore && x.notBefore > at ? x.notBefore : at;
    if (readAt >= x.nextAt) return ok({ ...request, export: { ...x, watchAt: undefined } }, []);
    return ok({ ...request, export: { ...x, nextAt: readAt, watchAt: undefined } }, [
      { type: 'pollExport', attempt: x.attempt, at: readAt },
    ]);
  }
  const watchAt = watchBefore(step, x.nextAt);
  return ok({ ...request, export: { ...x, watchAt } }, [
    ...(watchAt ? [{ type: 'watchExport', attempt: x.attempt, at: watchAt } as const] : []),
  ]);
}

/** A read failed: back off; the channel is told once, after a few failures in a row. */
export function pollFailed(step: AttemptStep, event: EventOf<'pollFailed'>): TransitionResult {
  const { request, x, id, policy } = step;
  if (request.status !== 'exporting') return stale;
  const errors = x.pollErrors + 1;
  const nextAt = later(
    step,
    pollErrorDelayMs(errors, (event.retryAfterSeconds ?? 0) * 1000, policy.pollCapMs),
  );
  const report = errors === policy.pollErrorsToReport;
  return ok({ ...request, export: { ...x, pollErrors: errors, nextAt } }, [
    ...(report
      ? [
          audit(
            'export.pollFailing',
            `${errors} reads in a row of the export of ${id} failed: ${event.detail}`,
          ),
          {
            type: 'replyInThread',
            key: `poll-errors-${x.attempt}-${x.polls}`,
            notice: { kind: 'pollFailing', requestId: id, failures: errors, detail: event.detail },
          } as const,
        ]
      : []),
    { type: 'pollExport', attempt: x.attempt, at: nextAt },
  ]);
}

/** Graph no longer knows the operation: stop following it; the channel may resubmit. */
export function operationLost(step: AttemptStep, event: EventOf<'operationLost'>): TransitionResult {
  const { request, x, id, at } = step;
  if (request.status !== 'exporting') return stale;
  const state: ExportState = {
    ...x,
    nextAt: undefined,
    unknown: { since: at, detail: event.detail, checks: 0, evidence: false, askedAt: at },
  };
  return ok({ ...request, status: 'outcomeUnknown', export: state }, [
    audit(
      'export.unknown',
      `Graph does not know operation ${operationId(x.operationUrl ?? '')} of ${id} any more: ${event.detail}`,
    ),
    { type: 'updateApprovalCard' },
    {
      type: 'replyInThread',
      key: `lost-${x.attempt}`,
      notice: { kind: 'operationLost', requestId: id, detail: event.detail, ...step.place },
    },
  ]);
}
