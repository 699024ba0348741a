import { SendPacer } from '../../../src/adapters/teams/pacer';

/** A pacer on a fake clock whose sleep moves the clock. */
function fakePacer() {
  let t = 0;
  const pacer = new SendPacer(
    () => t,
    (ms) => {
      t += ms;
      return Promise.resolve();
    },
  );
  return { pacer, now: () => t, advance: (ms: number) => (t += ms) };
}

describe('SendPacer (Teams rate limits)', () => {
  it('lets 7 messages a second into one conversation, then waits', async () => {
    const { pacer, now } = fakePacer();
    for (let i = 0; i < 7; i++) await pacer.wait('c');
    expect(now()).toBe(0);
    await pacer.wait('c');
    expect(now()).toBeGreaterThanOrEqual(1000);
  });

  it('keeps one conversation at 60 messages per 30 seconds', async () => {
    const { pacer, now } = fakePacer();
    for (let i = 0; i < 61; i++) await pacer.wait('c');
    expect(now()).toBeGreaterThanOrEqual(30_000);
  });

  it('does not slow other conversations down, up to the app limit of 50 a second', async () => {
    const { pacer, now } = fakePacer();
    for (let i = 0; i < 7; i++) await pacer.wait('a');
    for (let i = 0; i < 7; i++) await pacer.wait('b');
    expect(now()).toBe(0);
    for (let i = 0; i < 36; i++) await pacer.wait(`c${i}`);
    expect(now()).toBe(0);
    await pacer.wait('another');
    expect(now()).toBeGreaterThanOrEqual(1000);
  });

  /**
   * Runs `count` sends into one conversation that all arrive at once, as the approval jobs do: a send that
   * would wait more than a second is put off to `deferTo` and comes back then.
   */
  async function burst(count: number, deferTo: (pacer: SendPacer) => number) {
    const { pacer, now, advance } = fakePacer();
    const due: number[] = Array.from({ length: count }, () => 0);
    const sent: number[] = [];
    let deferrals = 0;
    while (due.length > 0) {
      due.sort((a, b) => a - b);
      const at = due.shift()!;
      if (at > now()) advance(at - now());
      if (pacer.conversationDelay('channel') > 1000) {
        deferrals += 1;
        due.push(now() + deferTo(pacer));
        continue;
      }
      await pacer.wait('channel');
      sent.push(now());
    }
    return { sent, deferrals, end: now() };
  }

  it('gives deferred sends one turn each, so a burst into one conversation is put off about once per send', async () => {
    const { sent, deferrals, end } = await burst(300, (pacer) => pacer.nextTurn('channel'));
    expect(sent).toHaveLength(300);
    for (let i = 60; i < sent.length; i++) expect(sent[i]! - sent[i - 60]!).toBeGreaterThanOrEqual(30_000);
    // Put off by the bare wait instead, the same 300 sends came back together and were put off 6,540 times.
    expect(deferrals).toBeLessThanOrEqual(300);
    // 60 per 30 s: the 300th send goes out after about 4 windows, not much later.
    expect(end).toBeLessThan(5 * 30_000 + 1000);
  });

  it('forgets conversations once their windows have passed, so a day of notices does not pile up', async () => {
    const { pacer, advance } = fakePacer();
    // Thousands of threads, one notice each (every conversation a request's thread or its requester's chat).
    for (let i = 0; i < 6000; i++) {
      await pacer.wait(`thread-${i}`);
      pacer.nextTurn(`thread-${i}`);
      advance(20);
    }
    // 120 s of sends: only the conversations of the last one or two windows (30 s) are held.
    expect(pacer.conversations).toBeLessThanOrEqual(2 * (30_000 / 20));
    advance(31_000);
    await pacer.wait('later');
    expect(pacer.conversations).toBe(1);
    // A forgotten conversation starts afresh within its limits.
    for (let i = 0; i < 7; i++) await pacer.wait('thread-1');
  });
});
