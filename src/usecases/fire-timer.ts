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
