import type { DueTimer } from '../adapters/storage/timer-queue';
import { describeError, type Logger } from '../logger';

export interface WorkerDeps<J> {
  readonly queue: {
    takeDue(max: number, leaseSeconds: number): Promise<DueTimer<J>[]>;
    complete(timer: DueTimer<J>): Promise<void>;
    /**
     * Hides a timer in hand for another `seconds` and returns it with its new receipt: a job that runs longer
     * than its lease keeps it, so that no other instance takes it meanwhile.
     */
    extend?(timer: DueTimer<J>, seconds: number): Promise<DueTimer<J>>;
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
  /**
   * Stops taking jobs and waits for the jobs in hand, at most `graceMs` when given. Resolves with how many
   * were still running then: they come back after their lease, on this or another instance (every job is
   * safe to run twice).
   */
  stop(graceMs?: number): Promise<number>;
}

/** Runs due jobs from a durable queue. Several instances may run one each: the queue's leases share the work. */
export function createWorker<J>(deps: WorkerDeps<J>): Worker {
  const maxAttempts = deps.maxAttempts ?? 8;
  const lease = deps.leaseSeconds ?? 60;
  const concurrency = Math.max(1, Math.min(32, deps.concurrency ?? 16));
  let running: Promise<void> | undefined;
  let stopping = false;
  const inHand = new Set<Promise<void>>();

  /**
   * Keeps a job's lease while it runs: every half lease, the timer is hidden for another lease. Resolves with
   * the latest receipt once `done` settles.
   */
  async function keepLease(timer: DueTimer<J>, done: Promise<unknown>): Promise<DueTimer<J>> {
    const extend = deps.queue.extend?.bind(deps.queue);
    if (!extend) {
      await done.catch(() => undefined);
      return timer;
    }
    let current = timer;
    let finished = false;
    const settled = done.then(
      () => (finished = true),
      () => (finished = true),
    );
    for (;;) {
      await Promise.race([settled, deps.sleep((lease * 1000) / 2)]);
      if (finished) return current;
      try {
        current = await extend(current, lease);
      } catch (err) {
        deps.log.warn('Could not extend a job lease; another instance may take the job', {
          job: jobName(timer.message?.payload),
          error: describeError(err),
        });
        await settled;
        return current;
      }
    }
  }

  async function handleOne(timer: DueTimer<J>): Promise<void> {
    if (timer.message === undefined) {
      await deps.giveUp(undefined, timer.text, new Error('not a job'));
      await deps.queue.complete(timer);
      return;
    }
    const job = timer.message.payload;
    const work = deps.handle(job, { dequeueCount: timer.dequeueCount });
    const latest = keepLease(timer, work);
    try {
      await work;
      await deps.queue.complete(await latest);
    } catch (err) {
      deps.log.warn('Job failed', {
        attempt: timer.dequeueCount,
        job: jobName(job),
        error: describeError(err),
      });
      if (timer.dequeueCount >= maxAttempts) {
        await deps.giveUp(job, timer.text, err);
        await deps.queue.complete(await latest);
      }
    }
  }

  async function runOnce(): Promise<number> {
    const due = await deps.queue.takeDue(concurrency, lease);
    await Promise.all(due.map(track));
    return due.length;
  }

  /**
   * Wakes the pool: a job in hand ended (a slot is free) or the worker is stopping. One promise for all of them,
   * replaced when it fires; racing the jobs in hand instead would hang a reaction on each of them at every turn
   * of the pool, each kept (and promoted to the old generation) until that job ends.
   */
  let wake = (): void => undefined;
  let woken = new Promise<void>((resolve) => (wake = resolve));
  function wakePool(): void {
    wake();
    woken = new Promise<void>((resolve) => (wake = resolve));
  }

  /** Runs one job, known to {@link Worker.stop} until it ends. */
  function track(timer: DueTimer<J>): Promise<void> {
    const p: Promise<void> = handleOne(timer)
      .catch((err: unknown) => deps.log.error('Job handling failed', { error: describeError(err) }))
      .finally(() => {
        inHand.delete(p);
        wakePool();
      });
    inHand.add(p);
    return p;
  }

  /**
   * Keeps up to `concurrency` jobs running: a slow job (a Graph call, a wait for Teams) holds one slot, not a
   * whole batch.
   */
  async function pool(): Promise<void> {
    while (!stopping) {
      const free = concurrency - inHand.size;
      // Take work in batches: every receive is a storage transaction (and costs the emulator more the more
      // messages wait), so with jobs in hand wait until half the slots are free. Past this, free >= 1.
      if (inHand.size > 0 && free < Math.ceil(concurrency / 2)) {
        await woken;
        continue;
      }
      let taken: DueTimer<J>[] = [];
      try {
        taken = await deps.queue.takeDue(free, lease);
      } catch (err) {
        deps.log.error('Worker poll failed', { error: describeError(err) });
      }
      // Stopped while receiving: these go back to the queue when their lease runs out.
      if (stopping) break;
      for (const timer of taken) void track(timer);
      // Nothing (more) due: wait the idle interval before asking again.
      if (taken.length === 0) await deps.sleep(deps.idleMs ?? 1000);
    }
  }

  return {
    runOnce,
    start() {
      if (running) return;
      stopping = false;
      running = pool();
    },
    async stop(graceMs?: number) {
      stopping = true;
      wakePool();
      await running;
      running = undefined;
      const all = Promise.all(inHand).then(() => 0);
      if (graceMs === undefined) return all;
      return Promise.race([all, deps.sleep(graceMs).then(() => inHand.size)]);
    },
  };
}

function jobName(job: unknown): string {
  return typeof job === 'object' && job !== null && 'type' in job ? String(job.type) : 'job';
}
