import type { Config } from './config';
import type { NoticeLog, Notifier } from './domain/notifier';
import type { AuditLog, Clock, DailyTasks, JobQueue } from './domain/ports';
import { describeError, type Logger } from './logger';
import { delay } from './process-helpers';
import type { TimerQueue } from './adapters/storage/timer-queue';
import type { Job } from './domain/jobs';
import { flushOutbox, OUTBOX_GRACE_MS, sweepOutboxes } from './usecases/apply-event';
import type { DecideDeps } from './usecases/decide-approval';
import { giveUpJob } from './usecases/give-up-job';
import { sendOverdueDigest, type DigestOutcome } from './usecases/overdue-digest';
import type { ExportDeps } from './usecases/run-export';
import type { RequestScan, Tombstones } from './domain/records-ports';
import type { RetentionPolicy } from './domain/retention';
import type { DraftPurge, ExportRemoval, LinkPurge, RecordRemoval } from './domain/retention-ports';
import type { AuditFiles } from './domain/records-ports';
import { sha256 } from './adapters/storage/audit-log';
import { sealAudit, type SealOutcome } from './usecases/seal-audit';
import { sweepRetention, type SweepOutcome } from './usecases/retention/sweep-retention';
import { createJobTable } from './worker/job-table';
import { createPeriodic, type Periodic } from './worker/periodic';
import { createWorker, type Worker } from './worker/worker';

export interface WorkerParts {
  readonly decide: DecideDeps;
  readonly exports: ExportDeps;
  readonly notifier: Notifier;
  readonly notices: NoticeLog;
  /** Once-a-day tasks (the overdue digest), claimed by one instance. */
  readonly daily: DailyTasks;
  readonly jobs: JobQueue & { readonly timers: TimerQueue<Job> };
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** When an export job that keeps failing comes back (the poll cap). */
  readonly retryExportAfterMs: number;
  readonly config: Pick<Config, 'worker'>;
  readonly log: Logger;
  /** What retention reads and deletes through, and how long each class of data is kept. */
  readonly retention: RetentionParts;
  /** The audit container, where the daily seal of every trail goes. */
  readonly auditFiles: AuditFiles;
}

export interface RetentionParts {
  readonly policy: RetentionPolicy;
  readonly scan: RequestScan;
  readonly drafts: DraftPurge;
  readonly links: LinkPurge;
  readonly exports: ExportRemoval;
  readonly records: RecordRemoval;
  readonly tombstones: Tombstones;
}

/**
 * The background half of the composition root: the job table over the use cases, the worker that feeds it
 * from the queue (handing over a redelivered job's waiting effects first), the outbox sweep and the daily
 * overdue digest, the retention sweep and the audit seal.
 */
export function composeWorker(parts: WorkerParts): {
  readonly worker: Worker;
  readonly sweep: Periodic;
  readonly digest: Periodic;
  /** One round of the overdue digest (what the periodic task runs), for tests and operators. */
  readonly overdueDigest: () => Promise<DigestOutcome>;
  /** One round of the daily retention sweep. */
  readonly retentionSweep: () => Promise<SweepOutcome>;
  /** One round of the daily seal of the audit trails (yesterday's, by one instance). */
  readonly sealAudit: () => Promise<SealOutcome>;
} {
  const { decide, exports, jobs, audit, clock, config, log } = parts;
  const handleJob = createJobTable({
    notices: {
      ...decide,
      notifier: parts.notifier,
      notices: parts.notices,
      // Longer than a post can take (Teams' deadline does not cancel the send) plus a lease.
      postClaimMs: config.worker.leaseSeconds * 1000 + 120_000,
      ...(exports.failpoint ? { failpoint: exports.failpoint } : {}),
    },
    decide,
    exports,
    retention: {
      ...decide,
      policy: parts.retention.policy,
      exports: parts.retention.exports,
      records: parts.retention.records,
      tombstones: parts.retention.tombstones,
    },
  });
  const worker = createWorker({
    queue: jobs.timers,
    handle: async (job, delivery) => {
      // Delivered again: the run before may have stopped between storing a transition and handing over its
      // effects. Hand them over first (harmless when there are none).
      if (delivery.dequeueCount > 1 && 'requestId' in job)
        await flushOutbox(decide, job.requestId, OUTBOX_GRACE_MS);
      await handleJob(job);
    },
    giveUp: (job, text, error) =>
      giveUpJob(
        {
          audit,
          jobs,
          clock,
          retryExportAfterMs: (decide.timing ?? exports.timing)?.pollCapMs ?? 3600_000,
          log,
        },
        job,
        text,
        error,
      ),
    sleep: delay,
    leaseSeconds: config.worker.leaseSeconds,
    concurrency: config.worker.concurrency,
    log,
  });
  // Effects that could not be handed over (storage failed right after a decision was stored) go out from
  // here: at start and every minute, on every instance (handing over twice is harmless).
  const sweep = createPeriodic({
    name: 'Outbox sweep',
    everyMs: 60_000,
    sleep: delay,
    log,
    run: async () => {
      const n = await sweepOutboxes(decide, (requestId, error) =>
        log.warn('Could not hand over waiting effects', { requestId, error: describeError(error) }),
      );
      if (n > 0) log.info('Handed over effects that were waiting in request outboxes', { requests: n });
    },
  });
  // The daily overdue digest: every instance looks every ten minutes; the day's post is claimed by one.
  const overdueDigest = () =>
    sendOverdueDigest({
      requests: decide.requests,
      daily: parts.daily,
      notifier: parts.notifier,
      audit,
      clock,
      hourUtc: 8,
      claimMs: 5 * 60_000,
    });
  // The daily retention sweep: queues a job for each request with something due, purges old drafts.
  const retentionSweep = () =>
    sweepRetention({
      requests: parts.retention.scan,
      drafts: parts.retention.drafts,
      links: parts.retention.links,
      daily: parts.daily,
      jobs,
      audit,
      clock,
      policy: parts.retention.policy,
      claimMs: 30 * 60_000,
    });
  // The daily seal: yesterday's heads of every trail, hashed and chained to the day before, in the audit
  // container (WORM in Azure).
  const seal = () =>
    sealAudit({
      audit,
      files: parts.auditFiles,
      tombstones: parts.retention.tombstones,
      daily: parts.daily,
      clock,
      hash: sha256,
      claimMs: 5 * 60_000,
    });
  const digest = createPeriodic({
    name: 'Daily tasks',
    everyMs: 10 * 60_000,
    sleep: delay,
    log,
    // Each task on its own: one that fails (and is logged) does not hold the others back.
    run: async () => {
      const tasks: [string, () => Promise<void>][] = [
        [
          'Overdue digest',
          async () => {
            const outcome = await overdueDigest();
            if (outcome === 'sent' || outcome === 'noChannel') log.info('Overdue digest', { outcome });
          },
        ],
        [
          'Retention sweep',
          async () => {
            const swept = await retentionSweep();
            if (swept.kind === 'swept')
              log.info('Retention sweep', {
                requests: swept.requests,
                drafts: swept.drafts,
                links: swept.links,
              });
          },
        ],
        [
          'Audit seal',
          async () => {
            const sealed = await seal();
            if (sealed.kind === 'tampered')
              log.error('The audit trails no longer hold what the last seal recorded: nothing was sealed', {
                day: sealed.day,
                problems: sealed.check.problems.slice(0, 20),
              });
            if (sealed.kind === 'sealed')
              log.info('Audit trails sealed', { day: sealed.day, trails: sealed.count });
          },
        ],
      ];
      for (const [name, task] of tasks)
        await task().catch((err: unknown) =>
          log.warn(`${name} failed; trying again later`, { error: describeError(err) }),
        );
    },
  });
  return { worker, sweep, digest, overdueDigest, retentionSweep, sealAudit: seal };
}
