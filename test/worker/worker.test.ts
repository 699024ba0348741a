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
