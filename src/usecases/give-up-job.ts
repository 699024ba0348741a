import type { Job } from '../domain/jobs';
import { describeError, type Logger } from '../logger';
import type { ApplyEventDeps } from './apply-event';

export interface GiveUpDeps extends Pick<ApplyEventDeps, 'audit' | 'jobs' | 'clock'> {
  /** When an export job that keeps failing comes back (the poll cap). */
  readonly retryExportAfterMs: number;
  readonly log: Logger;
}

/**
 * What happens to a job that failed again and again: it is recorded; an export job is never dropped: the
 * thread is told and it comes back later. `job` is undefined when the message could not be read at all.
 */
export async function giveUpJob(
  deps: GiveUpDeps,
  job: Job | undefined,
  text: string,
  error: unknown,
): Promise<void> {
  deps.log.error('Gave up on a job after repeated failures', {
    job: text.slice(0, 200),
    error: describeError(error),
  });
  const requestId = job && 'requestId' in job ? job.requestId : undefined;
  const why = String(describeError(error).message);
  await deps.audit.append({
    at: deps.clock.now().toISOString(),
    action: 'notification.failed',
    actor: { name: 'DSR export bot' },
    outcome: 'refused',
    ...(requestId ? { requestId } : {}),
    detail: `gave up on ${job?.type ?? 'an unreadable job'} after repeated failures: ${why}`,
  });
  if (job && (job.type === 'submitExport' || job.type === 'checkSubmission' || job.type === 'pollExport')) {
    // An export is never dropped: say so in the channel and try again later.
    const later = new Date(deps.clock.now().getTime() + deps.retryExportAfterMs);
    await deps.jobs.enqueue(job, later);
    await deps.jobs.enqueue({
      type: 'replyInThread',
      requestId: job.requestId,
      key: `stuck-${job.type}-${job.at}`,
      notice: {
        kind: 'exportStuck',
        requestId: job.requestId,
        job: job.type,
        why,
        retryAt: later.toISOString(),
      },
    });
  }
}
