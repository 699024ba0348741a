import { isoDate } from '../../domain/policies';
import type { AuditLog, Clock, DailyTasks, JobQueue } from '../../domain/ports';
import type { RequestScan } from '../../domain/records-ports';
import { draftCutoff, retentionSteps, type RetentionPolicy } from '../../domain/retention';
import type { DraftPurge, LinkPurge } from '../../domain/retention-ports';

export interface SweepDeps {
  readonly requests: RequestScan;
  readonly drafts: DraftPurge;
  readonly links: LinkPurge;
  readonly daily: DailyTasks;
  readonly jobs: JobQueue;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly policy: RetentionPolicy;
  /** How long one instance's claim on the day's sweep holds others back. */
  readonly claimMs: number;
}

/** What a round did: another instance has today's, or how many requests got a job and drafts went. */
export type SweepOutcome =
  | { readonly kind: 'elsewhere' }
  | { readonly kind: 'swept'; readonly requests: number; readonly drafts: number; readonly links: number };

const TASK = 'retention';
/** Drafts purged per round at most (the rest go the next day). */
const MAX_DRAFTS = 5000;

/**
 * The daily retention sweep: once a day, on one instance (claimed; a crashed sweep is taken over when its claim
 * runs out), every request is read a page at a time and each one with something due (or a deletion a crash
 * interrupted) gets a durable `retention` job; intake drafts past their time are deleted, and how many is
 * recorded; download links a day past their expiry are deleted. The jobs do the work and are safe to run twice.
 */
export async function sweepRetention(deps: SweepDeps): Promise<SweepOutcome> {
  const now = deps.clock.now();
  const day = isoDate(now);
  if ((await deps.daily.claim(TASK, day, now, deps.claimMs)) !== 'claimed') return { kind: 'elsewhere' };
  let requests = 0;
  for await (const request of deps.requests.scan()) {
    if (!request.retention?.deleting && retentionSteps(request, now, deps.policy).length === 0) continue;
    await deps.jobs.enqueue({ type: 'retention', requestId: request.id });
    requests++;
  }
  let drafts = 0;
  for (const id of await deps.drafts.draftsBefore(draftCutoff(now, deps.policy), MAX_DRAFTS))
    if (await deps.drafts.removeDraft(id)) drafts++;
  if (drafts > 0)
    await deps.audit.append(
      {
        at: now.toISOString(),
        action: 'draft.purged',
        actor: { name: 'DSR export bot' },
        outcome: 'ok',
        detail: `${drafts} intake draft(s) older than ${deps.policy.draftHours} hours deleted`,
      },
      `drafts-${day}`,
    );
  // Download links a day after they expired: used or not, they have nothing left to open.
  const links = await deps.links.purgeExpired(
    new Date(now.getTime() - 24 * 3600_000).toISOString(),
    MAX_DRAFTS,
  );
  await deps.daily.complete(TASK, day, deps.clock.now().toISOString());
  return { kind: 'swept', requests, drafts, links };
}
