import type { Clock } from '../../../src/domain/ports';

/**
 * A clock the test moves. Nothing here waits for real time: {@link FakeClock.sleep} resolves when the test
 * advances the clock past it (inject it where a use case or worker takes `after`/`sleep`).
 */
export class FakeClock implements Clock {
  private t: number;
  private sleepers: { until: number; wake: () => void }[] = [];
  private watchers: (() => void)[] = [];

  constructor(start: Date | string = '2026-11-22T09:00:00.000Z') {
    this.t = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  /** Moves time on by `ms` and wakes every sleeper that is due. */
  advance(ms: number): void {
    if (ms < 0) throw new Error('A clock does not go back: advance by a positive amount.');
    this.t += ms;
    this.wakeDue();
  }

  /** Moves time on to `when` (never back: an earlier time leaves the clock where it is). */
  advanceTo(when: Date | string): void {
    this.advance(Math.max(0, new Date(when).getTime() - this.t));
  }

  /** Resolves once the clock has been advanced by `ms` from now (at once for 0 or less). */
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((wake) => {
      this.sleepers.push({ until: this.t + ms, wake });
      for (const w of this.watchers.splice(0)) w();
    });
  }

  /** How many sleepers wait for the clock. */
  get sleeping(): number {
    return this.sleepers.length;
  }

  /** Resolves when someone sleeps on this clock (at once if someone does already). */
  someoneSleeps(): Promise<void> {
    if (this.sleepers.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push(resolve));
  }

  private wakeDue(): void {
    const due = this.sleepers.filter((s) => s.until <= this.t);
    this.sleepers = this.sleepers.filter((s) => s.until > this.t);
    for (const s of due) s.wake();
  }
}
