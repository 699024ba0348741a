import { randomUUID } from 'node:crypto';
import { TimerQueue } from '../../src/adapters/storage/timer-queue';
import { silentLogger } from '../../src/logger';
import { createWorker } from '../../src/worker/worker';
import { testStorageConnectionString, waitFor } from '../support/sandbox';

const queueName = () => `w${randomUUID().replace(/-/g, '').slice(0, 20)}`;

describe('the worker on an Azure Storage queue (Azurite)', () => {
  it('runs due jobs once, leaves failing ones for a retry, and gives up after the last attempt, reporting it', async () => {
    const queue = TimerQueue.fromConnectionString<{ n: number }>(testStorageConnectionString(), queueName(), {
      now: () => new Date(),
    });
    const done: number[] = [];
    const givenUp: unknown[] = [];
    const worker = createWorker<{ n: number }>({
      queue,
      handle: (job) => {
        if (job.n === 2) return Promise.reject(new Error('boom'));
        done.push(job.n);
        return Promise.resolve();
      },
      giveUp: (job) => {
        givenUp.push(job);
        return Promise.resolve();
      },
      sleep: () => Promise.resolve(),
      log: silentLogger,
      maxAttempts: 2,
      leaseSeconds: 1,
    });
    await queue.schedule({ n: 1 }, new Date());
    await queue.schedule({ n: 2 }, new Date());
    expect(await worker.runOnce()).toBe(2);
    expect(done).toEqual([1]);
    expect(givenUp).toEqual([]);
    // The failed job comes back after its lease; on its second failure it is reported and removed.
    await waitFor(async () => (await worker.runOnce()) > 0, 'the failed job to come back', 10000);
    expect(givenUp).toEqual([{ n: 2 }]);
    expect(await worker.runOnce()).toBe(0);
    expect(done).toEqual([1]);
  });

  it('polls in the background until stopped', async () => {
    const queue = TimerQueue.fromConnectionString<string>(testStorageConnectionString(), queueName(), {
      now: () => new Date(),
    });
    const seen: string[] = [];
    const worker = createWorker<string>({
      queue,
      handle: (job) => {
        seen.push(job);
        return Promise.resolve();
      },
      giveUp: () => Promise.resolve(),
      sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))),
      log: silentLogger,
    });
    worker.start();
    await queue.schedule('hello', new Date());
    await waitFor(() => seen.includes('hello'), 'the job to run');
    await worker.stop();
  });

  it('keeps its other slots working while one job is slow', async () => {
    const queue = TimerQueue.fromConnectionString<string>(testStorageConnectionString(), queueName(), {
      now: () => new Date(),
    });
    let releaseSlow: () => void = () => {};
    const slow = new Promise<void>((r) => (releaseSlow = r));
    const seen: string[] = [];
    let slowStarted = false;
    const worker = createWorker<string>({
      queue,
      handle: async (job) => {
        if (job === 'slow') {
          slowStarted = true;
          await slow;
        }
        seen.push(job);
      },
      giveUp: () => Promise.resolve(),
      sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))),
      log: silentLogger,
      concurrency: 2,
      leaseSeconds: 30,
    });
    await queue.schedule('slow', new Date());
    worker.start();
    try {
      await waitFor(() => slowStarted, 'the slow job to start');
      for (const job of ['a', 'b', 'c']) await queue.schedule(job, new Date());
      // With one slot held by the slow job, the other one still runs a, b and c.
      await waitFor(() => ['a', 'b', 'c'].every((j) => seen.includes(j)), 'the quick jobs', 10000);
      expect(seen).not.toContain('slow');
    } finally {
      releaseSlow();
      await worker.stop();
    }
    expect(seen).toContain('slow');
  });
});

describe('the worker with jobs that outlive their lease (issue 11)', () => {
  interface Timer {
    message: { due: string; payload: string };
    text: string;
    messageId: string;
    popReceipt: string;
    dequeueCount: number;
  }

  /** A queue fake that checks receipts as Azure Queue Storage does: only the latest receipt counts. */
  function fakeQueue(jobs: string[]) {
    let receipt = 0;
    const latest = new Map<string, string>();
    const calls: string[] = [];
    return {
      calls,
      takeDue: (max: number) => {
        const taken = jobs.splice(0, max).map((job, i) => {
          const popReceipt = `r${++receipt}`;
          latest.set(`m${i}-${job}`, popReceipt);
          return {
            message: { due: '', payload: job },
            text: job,
            messageId: `m${i}-${job}`,
            popReceipt,
            dequeueCount: 1,
          };
        });
        return Promise.resolve(taken);
      },
      extend: (timer: Timer) => {
        if (latest.get(timer.messageId) !== timer.popReceipt)
          return Promise.reject(new Error('stale receipt'));
        const popReceipt = `r${++receipt}`;
        latest.set(timer.messageId, popReceipt);
        calls.push(`extend ${timer.text}`);
        return Promise.resolve({ ...timer, popReceipt });
      },
      complete: (timer: Timer) => {
        if (latest.get(timer.messageId) !== timer.popReceipt)
          return Promise.reject(new Error('stale receipt'));
        calls.push(`complete ${timer.text}`);
        return Promise.resolve();
      },
    };
  }

  /** A sleep that resolves only when the test says time has passed. */
  function manualSleep() {
    let waiting: (() => void)[] = [];
    return {
      sleep: () => new Promise<void>((resolve) => waiting.push(resolve)),
      pass: async () => {
        const now = waiting;
        waiting = [];
        now.forEach((resolve) => resolve());
        await new Promise((r) => setImmediate(r));
      },
    };
  }

  it('keeps the lease of a long job and completes it with the latest receipt', async () => {
    const queue = fakeQueue(['slow']);
    const clock = manualSleep();
    let finish!: () => void;
    const worker = createWorker<string>({
      queue: queue,
      handle: () => new Promise<void>((resolve) => (finish = resolve)),
      giveUp: () => Promise.resolve(),
      sleep: clock.sleep,
      log: silentLogger,
      leaseSeconds: 60,
    });
    const run = worker.runOnce();
    await new Promise((r) => setImmediate(r));
    await clock.pass(); // half a lease
    await clock.pass(); // a whole lease: without an extension another instance could take the job now
    await clock.pass();
    finish();
    await run;
    expect(queue.calls.filter((c) => c.startsWith('extend'))).toHaveLength(3);
    expect(queue.calls.at(-1)).toBe('complete slow');
  });

  it('on stop, takes no more jobs, waits for those in hand within the grace period, and says how many were left', async () => {
    const queue = fakeQueue(['stuck']);
    const clock = manualSleep();
    const worker = createWorker<string>({
      queue: { takeDue: queue.takeDue, complete: queue.complete },
      handle: () => new Promise<void>(() => undefined),
      giveUp: () => Promise.resolve(),
      sleep: clock.sleep,
      log: silentLogger,
    });
    worker.start();
    await new Promise((r) => setImmediate(r));
    const stopped = worker.stop(5000);
    await clock.pass(); // the idle wait of the pool
    await clock.pass(); // the grace period
    expect(await stopped).toBe(1);
    expect(queue.calls).toEqual([]); // the stuck job was not completed: it comes back after its lease
  });
});
