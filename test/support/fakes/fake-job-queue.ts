import type { DueTimer, TimerMessage } from '../../../src/adapters/storage/timer-queue';
import type { Job } from '../../../src/domain/jobs';
import type { Clock, JobQueue } from '../../../src/domain/ports';
import type { WorkerDeps } from '../../../src/worker/worker';
import { Faults } from './faults';

/** The side of the queue the worker uses (as {@link TimerQueue} offers it). */
export type JobConsumer<J = Job> = Required<WorkerDeps<J>['queue']>;

type JobQueueOps = {
  enqueue: [job: Job, due: Date | undefined];
  takeDue: [max: number, leaseSeconds: number];
  complete: [timer: DueTimer<Job>];
  extend: [timer: DueTimer<Job>, seconds: number];
};

interface Message {
  readonly id: string;
  readonly text: string;
  /** Hidden until then (epoch ms, by the injected clock). */
  visibleAt: number;
  dequeueCount: number;
  /** The receipt of the last hand-out; an older one no longer completes or extends the message. */
  popReceipt: string | undefined;
}

/** The error the queue answers for a receipt that is out of date (another taker, or the job completed). */
export class ReceiptOutOfDateError extends Error {
  constructor(messageId: string) {
    super(
      `The job ${messageId} was handed out again or completed since this receipt was given (404 MessageNotFound).`,
    );
    this.name = 'ReceiptOutOfDateError';
  }
}

/**
 * The durable job queue in memory, on the injected clock, with the promises of {@link QueueJobs} and
 * {@link TimerQueue}: a job enqueued with a due time is not handed out before it; a job handed out is hidden
 * for its lease and comes back, counted, if it is not completed; completing, extending or postponing needs
 * the latest receipt. Jobs travel as JSON text, as on Azure Storage. No real timer runs here.
 */
export class FakeJobQueue implements JobQueue, JobConsumer {
  readonly faults = new Faults<JobQueueOps>();
  private readonly messages: Message[] = [];
  private readonly history: Job[] = [];
  private ids = 0;
  private receipts = 0;

  constructor(private readonly clock: Clock) {}

  async enqueue(job: Job, due?: Date): Promise<void> {
    await this.faults.check('enqueue', job, due);
    const at = due ?? this.clock.now();
    const message: TimerMessage<Job> = { due: at.toISOString(), payload: job };
    this.messages.push({
      id: `job-${++this.ids}`,
      text: JSON.stringify(message),
      visibleAt: Math.max(this.clock.now().getTime(), at.getTime()),
      dequeueCount: 0,
      popReceipt: undefined,
    });
    this.history.push(JSON.parse(JSON.stringify(job)) as Job);
  }

  async takeDue(max: number, leaseSeconds: number): Promise<DueTimer<Job>[]> {
    await this.faults.check('takeDue', max, leaseSeconds);
    const now = this.clock.now().getTime();
    const visible = this.messages
      .filter((m) => m.visibleAt <= now)
      .sort((a, b) => a.visibleAt - b.visibleAt)
      .slice(0, Math.max(1, Math.min(max, 32)));
    const due: DueTimer<Job>[] = [];
    for (const m of visible) {
      m.dequeueCount += 1;
      m.popReceipt = `receipt-${++this.receipts}`;
      m.visibleAt = now + leaseSeconds * 1000;
      const message = JSON.parse(m.text) as TimerMessage<Job>;
      // Surfaced before its due time (cannot happen without a visibility cap): re-armed, not handed out.
      if (Date.parse(message.due) > now) {
        m.visibleAt = Date.parse(message.due);
        continue;
      }
      due.push({
        message,
        text: m.text,
        messageId: m.id,
        popReceipt: m.popReceipt,
        dequeueCount: m.dequeueCount,
      });
    }
    return due;
  }

  async complete(timer: DueTimer<Job>): Promise<void> {
    await this.faults.check('complete', timer);
    const m = this.holding(timer);
    this.messages.splice(this.messages.indexOf(m), 1);
  }

  async extend(timer: DueTimer<Job>, seconds: number): Promise<DueTimer<Job>> {
    await this.faults.check('extend', timer, seconds);
    const m = this.holding(timer);
    m.visibleAt = this.clock.now().getTime() + Math.max(1, Math.ceil(seconds)) * 1000;
    m.popReceipt = `receipt-${++this.receipts}`;
    return { ...timer, popReceipt: m.popReceipt };
  }

  /** The jobs not completed yet, with when each is (next) visible, soonest first (for assertions). */
  waiting(): { readonly job: Job; readonly due: string; readonly visibleAt: string }[] {
    return [...this.messages]
      .sort((a, b) => a.visibleAt - b.visibleAt)
      .map((m) => {
        const { due, payload } = JSON.parse(m.text) as TimerMessage<Job>;
        return { job: payload, due, visibleAt: new Date(m.visibleAt).toISOString() };
      });
  }

  /** Every job ever enqueued, in order (for assertions). */
  enqueued(): readonly Job[] {
    return this.history;
  }

  private holding(timer: DueTimer<Job>): Message {
    const m = this.messages.find((x) => x.id === timer.messageId);
    if (!m || m.popReceipt !== timer.popReceipt) throw new ReceiptOutOfDateError(timer.messageId);
    return m;
  }
}
