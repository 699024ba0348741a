import type { DueTimer } from '../adapters/storage/timer-queue';
import { describeError, type Logger } from '../logger';

export interface WorkerDeps<J> {
  readonly queue: {
    takeDue(max: number, leaseSeconds: number): Promise<DueTimer<J>[]>;
    complete(timer: DueTimer<J>): Promise<void>;
  };
  /** Does one job. Throwing leaves it on the queue: it comes back after its lease, counted. */
  readonly handle: (job: J, delivery: { readonly dequeueCount: number }) => Promise<void>;
  /** Called once for a job that failed `maxAttempts` times or cannot be read; then it is removed. */
  readonly giveUp: (job: J | undefined, text: string, error: unknown) => Promise<void>;
  /** Waits between empty polls; injected so that no timer lives in worker code. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: Logger;
  readonly maxAttempts?: number;
  readonly leaseSeconds?: number;
  /** Jobs taken and run together (at most 32, the queue's batch). Default 16. */
  readonly concurrency?: number;
  readonly idleMs?: number;
}

export interface Worker {
  /** Takes the jobs due now and runs them; resolves with how many were taken. */
  runOnce(): Promise<number>;
  /** Polls until {@link Worker.stop}. */
  start(): void;
  /** Stops polling and waits for the jobs in hand. */
  stop(): Promise<void>;
}

/** Runs due jobs from a durable queue. Several instances may run one each: the queue's leases share the work. */
export function createWorker<J>(deps: WorkerDeps<J>): Worker {
  const maxAttempts = deps.maxAttempts ?? 8;
  const lease = deps.leaseSeconds ?? 60;
  const concurrency = Math.max(1, Math.min(32, deps.concurrency ?? 16));
  let running: Promise<void> | undefined;
  let stopping = false;

  async function handleOne(timer: DueTimer<J>): Promise<void> {
    if (timer.message === undefined) {
      await deps.giveUp(undefined, timer.text, new Error('not a job'));
      await deps.queue.complete(timer);
      return;
    }
    const job = timer.message.payload;
    try {
      await deps.handle(job, { dequeueCount: timer.dequeueCount });
      await deps.queue.complete(timer);
    } catch (err) {
      deps.log.warn('Job failed', {
        attempt: timer.dequeueCount,
        job: jobName(job),
        error: describeError(err),
      });
      if (timer.dequeueCount >= maxAttempts) {
        await deps.giveUp(job, timer.text, err);
        await deps.queue.complete(timer);
      }
    }
  }

  async function runOnce(): Promise<number> {
    const due = await deps.queue.takeDue(concurrency, lease);
    await Promise.all(due.map(handleOne));
    return due.length;
  }

  /**
   * Keeps up to `concurrency` jobs running: a slow job (a Graph call, a wait for Teams) holds one slot, not a
   * whole batch.
   */
  async function pool(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    while (!stopping) {
      const free = concurrency - inFlight.size;
      // Take work in batches: every receive is a storage transaction (and costs the emulator more the more
      // messages wait), so with jobs in hand wait until half the slots are free. Past this, free >= 1.
      if (inFlight.size > 0 && free < Math.ceil(concurrency / 2)) {
        await Promise.race([deps.sleep(deps.idleMs ?? 1000), ...inFlight]);
        continue;
      }
      let taken: DueTimer<J>[] = [];
      try {
        taken = await deps.queue.takeDue(free, lease);
      } catch (err) {
        deps.log.error('Worker poll failed', { error: describeError(err) });
      }
      for (const timer of taken) {
        const p: Promise<void> = handleOne(timer)
          .catch((err: unknown) => deps.log.error('Job handling failed', { error: describeError(err) }))
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      // Nothing (more) due: wait the idle interval before asking again.
      if (taken.length === 0) await deps.sleep(deps.idleMs ?? 1000);
    }
    await Promise.all(inFlight);
  }

  return {
    runOnce,
    start() {
      if (running) return;
      stopping = false;
      running = pool();
    },
    async stop() {
      stopping = true;
      await running;
      running = undefined;
    },
  };
}

function jobName(job: unknown): string {
  return typeof job === 'object' && job !== null && 'type' in job ? String(job.type) : 'job';
}
