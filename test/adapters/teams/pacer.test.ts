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
});
