import { QueueClient } from '@azure/storage-queue';
import type { Clock } from '../../domain/ports';

/** Azure Queue Storage hides a message for at most 7 days; a longer timer is re-armed when it fires early. */
const MAX_VISIBILITY_SECONDS = 7 * 24 * 3600;

export interface TimerMessage<T> {
  /** When the timer is due (ISO 8601). A message that surfaces earlier is re-armed, not handled. */
  readonly due: string;
  readonly payload: T;
}

export interface DueTimer<T> {
  /** The timer, or undefined when the message text is not a timer (reported by the caller, never dropped silently). */
  readonly message: TimerMessage<T> | undefined;
  readonly text: string;
  readonly messageId: string;
  readonly popReceipt: string;
  /** How many times this message has been handed out, this time included. */
  readonly dequeueCount: number;
}

function parseTimer<T>(text: string): TimerMessage<T> | undefined {
  try {
    const m = JSON.parse(text) as Partial<TimerMessage<T>>;
    return typeof m.due === 'string' && !Number.isNaN(Date.parse(m.due)) && 'payload' in m
      ? (m as TimerMessage<T>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Durable timers on an Azure Storage queue: a message is made visible at its due time (visibility timeout),
 * so whichever instance looks next takes it, and it comes back if that instance dies before completing it.
 */
export class TimerQueue<T> {
  private ready: Promise<unknown> | undefined;

  constructor(
    private readonly client: QueueClient,
    private readonly clock: Clock,
    /** Longest a message stays hidden before it is looked at again (tests that move the clock use 0). */
    private readonly maxVisibilitySeconds = MAX_VISIBILITY_SECONDS,
    /**
     * How many times faster `clock` runs than the queue service's own (a soak on a compressed clock): a timer
     * due in d seconds of `clock` hides for d ÷ speed real seconds. 1 in production.
     */
    private readonly clockSpeed = 1,
  ) {}

  static fromConnectionString<T>(
    connectionString: string,
    queue: string,
    clock: Clock,
    maxVisibilitySeconds?: number,
    clockSpeed?: number,
  ): TimerQueue<T> {
    return new TimerQueue<T>(
      new QueueClient(connectionString, queue),
      clock,
      maxVisibilitySeconds,
      clockSpeed,
    );
  }

  ensureQueue(): Promise<unknown> {
    this.ready ??= this.client.createIfNotExists().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private delaySeconds(due: Date): number {
    const seconds = Math.ceil((due.getTime() - this.clock.now().getTime()) / 1000 / this.clockSpeed);
    return Math.max(0, Math.min(seconds, this.maxVisibilitySeconds));
  }

  /** Arms a timer that fires at `due` (or at once if `due` has passed). */
  async schedule(payload: T, due: Date): Promise<void> {
    await this.ensureQueue();
    const message: TimerMessage<T> = { due: due.toISOString(), payload };
    await this.client.sendMessage(JSON.stringify(message), {
      visibilityTimeout: this.delaySeconds(due),
      messageTimeToLive: -1,
    });
  }

  /**
   * Takes up to `max` due timers, hiding each for `leaseSeconds` while it is handled. Timers that surfaced
   * before their due time are re-armed and not returned.
   */
  async takeDue(max: number, leaseSeconds: number): Promise<DueTimer<T>[]> {
    await this.ensureQueue();
    const { receivedMessageItems } = await this.client.receiveMessages({
      numberOfMessages: Math.max(1, Math.min(max, 32)),
      visibilityTimeout: leaseSeconds,
    });
    const due: DueTimer<T>[] = [];
    for (const item of receivedMessageItems) {
      const base = {
        text: item.messageText,
        messageId: item.messageId,
        popReceipt: item.popReceipt,
        dequeueCount: item.dequeueCount,
      };
      const message = parseTimer<T>(item.messageText);
      if (!message) {
        due.push({ ...base, message: undefined });
        continue;
      }
      if (Date.parse(message.due) > this.clock.now().getTime()) {
        const remaining = this.delaySeconds(new Date(message.due));
        await this.client.updateMessage(item.messageId, item.popReceipt, undefined, remaining);
        continue;
      }
      due.push({ ...base, message });
    }
    return due;
  }

  /** Keeps a timer in hand hidden for another `seconds`; the returned timer carries the new receipt. */
  async extend(timer: DueTimer<T>, seconds: number): Promise<DueTimer<T>> {
    const { popReceipt } = await this.client.updateMessage(
      timer.messageId,
      timer.popReceipt,
      undefined,
      Math.max(1, Math.ceil(seconds)),
    );
    if (!popReceipt) throw new Error('The queue returned no receipt for an extended lease');
    return { ...timer, popReceipt };
  }

  /** The timer was handled: remove it. */
  async complete(timer: DueTimer<T>): Promise<void> {
    await this.client.deleteMessage(timer.messageId, timer.popReceipt);
  }
}
