import { randomUUID } from 'node:crypto';
import { QueueClient } from '@azure/storage-queue';
import { TimerQueue } from '../../../src/adapters/storage/timer-queue';
import { testStorageConnectionString, waitFor } from '../../support/sandbox';

const uniqueQueue = () => `q${randomUUID().replace(/-/g, '').slice(0, 20)}`;

describe('TimerQueue on Azurite', () => {
  it('hides a timer until it is due, then hands it out once per lease, until completed', async () => {
    const queue = TimerQueue.fromConnectionString<{ id: string }>(
      testStorageConnectionString(),
      uniqueQueue(),
      {
        now: () => new Date(),
      },
    );
    const start = Date.now();
    await queue.schedule({ id: 'later' }, new Date(start + 2000));
    await queue.schedule({ id: 'now' }, new Date(start - 1000));

    const first = await queue.takeDue(10, 30);
    expect(first.map((t) => t.message?.payload.id)).toEqual(['now']);
    await queue.complete(first[0]!);

    const nextDue = (leaseSeconds: number, what: string) =>
      waitFor(
        async () => {
          const due = await queue.takeDue(10, leaseSeconds);
          return due.length > 0 ? due : undefined;
        },
        what,
        10000,
      );

    const later = await nextDue(1, 'the later timer');
    expect(Date.now() - start).toBeGreaterThanOrEqual(1900);
    expect(later[0]?.message?.payload.id).toBe('later');
    expect(later[0]?.dequeueCount).toBe(1);

    // Not completed: it comes back after its lease, counted.
    const again = await nextDue(30, 'the timer to come back after its lease');
    expect(again[0]?.dequeueCount).toBe(2);
    await queue.complete(again[0]!);
    expect(await queue.takeDue(10, 30)).toEqual([]);
  });

  it('re-arms a timer that surfaces before it is due instead of handing it out', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const name = uniqueQueue();
    const queue = TimerQueue.fromConnectionString<string>(testStorageConnectionString(), name, {
      now: () => now,
    });
    await queue.ensureQueue();
    // A message whose due time is far ahead but that is visible now (as after the 7-day visibility cap).
    const raw = new QueueClient(testStorageConnectionString(), name);
    await raw.sendMessage(JSON.stringify({ due: '2026-02-01T00:00:00Z', payload: 'far' }));
    expect(await queue.takeDue(10, 30)).toEqual([]);
    const peek = await raw.peekMessages({ numberOfMessages: 1 });
    expect(peek.peekedMessageItems).toHaveLength(0); // hidden again, not lost
    expect((await raw.getProperties()).approximateMessagesCount).toBe(1);
  });

  it('hides a timer for its delay divided by the speed of a compressed clock (a soak)', async () => {
    const hourMs = 3600_000;
    // The clock runs 3,600 times faster than the queue service's: an hour of it is a second of the service's.
    const start = Date.now();
    const clock = { now: () => new Date(start + (Date.now() - start) * 3600) };
    const queue = TimerQueue.fromConnectionString<string>(
      testStorageConnectionString(),
      uniqueQueue(),
      clock,
      undefined,
      3600,
    );
    await queue.schedule('in an hour', new Date(clock.now().getTime() + hourMs));
    const due = await waitFor(
      async () => {
        const taken = await queue.takeDue(10, 30);
        return taken.length > 0 ? taken : undefined;
      },
      'the timer due in an hour of the compressed clock',
      10_000,
    );
    expect(due[0]?.message?.payload).toBe('in an hour');
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(start + hourMs);
  });

  it('reports a message that is not a timer instead of dropping it', async () => {
    const name = uniqueQueue();
    const queue = TimerQueue.fromConnectionString<string>(testStorageConnectionString(), name, {
      now: () => new Date(),
    });
    await queue.ensureQueue();
    await new QueueClient(testStorageConnectionString(), name).sendMessage('not json');
    const due = await queue.takeDue(10, 30);
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({ message: undefined, text: 'not json' });
  });
});
