import { QueueJobs } from '../../src/adapters/storage/queue-jobs';
import { systemClock } from '../../src/domain/ports';
import { FakeClock, FakeJobQueue } from '../support/fakes';
import { testStorageConnectionString } from '../support/sandbox';
import { uniqueName } from './fixtures';
import { describeJobQueueContract } from './job-queue.contract';

describeJobQueueContract('in memory on a moved clock (FakeJobQueue)', () => {
  const clock = new FakeClock();
  const queue = new FakeJobQueue(clock);
  return {
    jobs: queue,
    consumer: queue,
    clock,
    advance: (ms) => {
      clock.advance(ms);
      return Promise.resolve();
    },
  };
});

describeJobQueueContract('Azure Storage queue on Azurite, in real time (QueueJobs)', () => {
  const jobs = new QueueJobs(testStorageConnectionString(), uniqueName('jobs'), systemClock);
  return {
    jobs,
    consumer: jobs.timers,
    clock: systemClock,
    advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
});
