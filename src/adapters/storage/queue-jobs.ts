import type { Job } from '../../domain/jobs';
import type { Clock, JobQueue } from '../../domain/ports';
import { TimerQueue } from './timer-queue';

/** The JobQueue port on an Azure Storage queue (a job is a timer due now, or later). */
export class QueueJobs implements JobQueue {
  readonly timers: TimerQueue<Job>;

  constructor(
    connectionString: string,
    queue: string,
    private readonly clock: Clock,
    maxVisibilitySeconds?: number,
    /** See {@link TimerQueue}: 1 in production. */
    clockSpeed?: number,
  ) {
    this.timers = TimerQueue.fromConnectionString<Job>(
      connectionString,
      queue,
      clock,
      maxVisibilitySeconds,
      clockSpeed,
    );
  }

  enqueue(job: Job, due?: Date): Promise<void> {
    return this.timers.schedule(job, due ?? this.clock.now());
  }
}
