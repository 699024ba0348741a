import type { Job } from '../domain/jobs';
import { applyEvent, type ApplyEventDeps } from './apply-event';

/**
 * The remind and expire jobs: the timer fired. The workflow decides (a request decided meanwhile, or a timer
 * of an earlier round, is stale) and arms the next reminder itself.
 */
export async function fireTimer(
  deps: ApplyEventDeps,
  job: Extract<Job, { type: 'remind' | 'expire' }>,
): Promise<void> {
  await applyEvent(deps, job.requestId, { type: job.type, ...(job.at !== undefined ? { at: job.at } : {}) });
}

/**
 * The deadline job: a reminder 7 days or 1 day before the due date, or once it passed. Only the reminder the
 * request waits for acts (an extension or a finished request makes older timers stale); the workflow arms the
 * next one and says it once per step and due date.
 */
export async function fireDeadline(
  deps: ApplyEventDeps,
  job: Extract<Job, { type: 'deadline' }>,
): Promise<void> {
  await applyEvent(deps, job.requestId, { type: 'deadlineDue', step: job.step, at: job.at });
}
