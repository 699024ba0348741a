import type { Job } from '../../src/domain/jobs';
import type { Clock, JobQueue } from '../../src/domain/ports';
import { silentLogger } from '../../src/logger';
import { createWorker } from '../../src/worker/worker';
import type { JobConsumer } from '../support/fakes';
import { rejectionOf } from './fixtures';

export interface JobQueueUnderTest {
  /** The port the use cases enqueue through. */
  readonly jobs: JobQueue;
  /** The side the worker takes jobs from. */
  readonly consumer: JobConsumer;
  /** The clock the queue judges due times by. */
  readonly clock: Clock;
  /** Lets `ms` pass for the queue (moves a fake clock; waits on a real queue). */
  advance(ms: number): Promise<void>;
}

const job = (requestId: string): Job => ({ type: 'postApprovalCard', requestId });
const ids = (timers: readonly { message?: { payload: Job } | undefined }[]) =>
  timers.map((t) => (t.message?.payload as { requestId?: string } | undefined)?.requestId);

/** Never resolves: the worker's lease keeper then waits for the job alone (no extension here). */
const never = () => new Promise<void>(() => undefined);

/**
 * What every job queue promises (JobQueue in ports.ts, and TimerQueue's side used by the worker): a job is not
 * handed out before it is due; a job handed out is hidden for its lease and comes back, counted, unless it is
 * completed; completing, extending and postponing need the receipt of the latest hand-out. Leases here are
 * one second, so a real queue runs this in seconds.
 */
export function describeJobQueueContract(
  name: string,
  makeQueue: () => JobQueueUnderTest | Promise<JobQueueUnderTest>,
): void {
  describe(`the JobQueue contract: ${name}`, () => {
    it('hands out a job enqueued without a due time at once, as it was enqueued, counted once', async () => {
      const q = await makeQueue();
      const reply: Job = {
        type: 'replyInThread',
        requestId: 'DSR-1',
        key: 'approved',
        text: 'Approved «ok»',
      };
      await q.jobs.enqueue(reply);
      const taken = await q.consumer.takeDue(10, 30);
      expect(taken).toHaveLength(1);
      expect(taken[0]?.message?.payload).toEqual(reply);
      expect(taken[0]?.dequeueCount).toBe(1);
    });

    it('does not hand out a job before its due time, and does once it is due', async () => {
      const q = await makeQueue();
      const due = q.clock.now().getTime() + 5000;
      await q.jobs.enqueue(job('later'), new Date(due));
      await q.jobs.enqueue(job('past'), new Date(q.clock.now().getTime() - 60_000));
      const first = await q.consumer.takeDue(10, 30);
      expect(ids(first)).toEqual(['past']);
      await q.consumer.complete(first[0]!);
      await q.advance(1000);
      // In real time a loaded machine may take seconds to get here: the job must not come while it is clearly
      // not due yet (the emulator counts visibility in whole seconds, hence the margin).
      if (q.clock.now().getTime() < due - 2000) expect(await q.consumer.takeDue(10, 30)).toEqual([]);
      await q.advance(Math.max(0, due - q.clock.now().getTime()) + 1300);
      expect(ids(await q.consumer.takeDue(10, 30))).toEqual(['later']);
    });

    it('hides a job it handed out for the lease, and hands it out again, counted, when it was not completed', async () => {
      const q = await makeQueue();
      await q.jobs.enqueue(job('a'));
      expect(ids(await q.consumer.takeDue(10, 1))).toEqual(['a']);
      expect(await q.consumer.takeDue(10, 1)).toEqual([]);
      await q.advance(1300);
      const again = await q.consumer.takeDue(10, 30);
      expect(ids(again)).toEqual(['a']);
      expect(again[0]?.dequeueCount).toBe(2);
    });

    it('forgets a completed job for good', async () => {
      const q = await makeQueue();
      await q.jobs.enqueue(job('a'));
      const [taken] = await q.consumer.takeDue(10, 1);
      await q.consumer.complete(taken!);
      await q.advance(1300);
      expect(await q.consumer.takeDue(10, 30)).toEqual([]);
    });

    it('refuses to complete a job with the receipt of an earlier hand-out (another instance holds it now)', async () => {
      const q = await makeQueue();
      await q.jobs.enqueue(job('a'));
      const [first] = await q.consumer.takeDue(10, 1);
      await q.advance(1300);
      const [second] = await q.consumer.takeDue(10, 30);
      expect(await rejectionOf(q.consumer.complete(first!))).toBeInstanceOf(Error);
      await q.consumer.complete(second!);
      expect(await q.consumer.takeDue(10, 30)).toEqual([]);
    });

    it('keeps a job hidden while its lease is extended, and completes it with the new receipt only', async () => {
      const q = await makeQueue();
      await q.jobs.enqueue(job('a'));
      const [taken] = await q.consumer.takeDue(10, 1);
      const extendedAt = q.clock.now().getTime();
      const extended = await q.consumer.extend(taken!, 5);
      await q.advance(1300);
      // Past the first lease (1 s), within the extended one (5 s): checked while clearly within it (in real
      // time, a loaded machine may take seconds to get here; the fake clock always checks).
      if (q.clock.now().getTime() < extendedAt + 3500) expect(await q.consumer.takeDue(10, 30)).toEqual([]);
      expect(await rejectionOf(q.consumer.complete(taken!))).toBeInstanceOf(Error);
      await q.consumer.complete(extended);
      expect(await q.consumer.takeDue(10, 30)).toEqual([]);
    });

    it('hands out at most `max` jobs at a time; the others wait for the next take', async () => {
      const q = await makeQueue();
      await q.jobs.enqueue(job('a'));
      await q.jobs.enqueue(job('b'));
      await q.jobs.enqueue(job('c'));
      const some = await q.consumer.takeDue(2, 30);
      expect(some).toHaveLength(2);
      const rest = await q.consumer.takeDue(10, 30);
      expect([...ids(some), ...ids(rest)].sort()).toEqual(['a', 'b', 'c']);
    });

    it('serves the worker: a failing job comes back after its lease and is given up after its last attempt', async () => {
      const q = await makeQueue();
      const handled: number[] = [];
      const givenUp: (Job | undefined)[] = [];
      const worker = createWorker<Job>({
        queue: q.consumer,
        handle: (_job, delivery) => {
          handled.push(delivery.dequeueCount);
          return Promise.reject(new Error('Teams answered 502'));
        },
        giveUp: (j) => {
          givenUp.push(j);
          return Promise.resolve();
        },
        sleep: never,
        log: silentLogger,
        maxAttempts: 2,
        leaseSeconds: 1,
      });
      await q.jobs.enqueue(job('a'));
      expect(await worker.runOnce()).toBe(1);
      expect(givenUp).toEqual([]);
      expect(await worker.runOnce()).toBe(0); // hidden for its lease
      await q.advance(1300);
      expect(await worker.runOnce()).toBe(1);
      expect(handled).toEqual([1, 2]);
      expect(givenUp).toEqual([job('a')]);
      await q.advance(1300);
      expect(await worker.runOnce()).toBe(0);
    });
  });
}
