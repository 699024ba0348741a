import type { DailyTasks } from '../../../src/domain/ports';
import { Faults } from './faults';

type DailyTasksOps = {
  claim: [task: string, day: string, now: Date, holdMs: number];
  complete: [task: string, day: string, at: string];
};

/**
 * Daily tasks in memory, as {@link TableDailyTasks}: of concurrent claimers exactly one gets 'claimed', the
 * others 'busy' until the claim runs out; a task done stays done that day.
 */
export class FakeDailyTasks implements DailyTasks {
  readonly faults = new Faults<DailyTasksOps>();
  private readonly rows = new Map<string, { claimedUntil?: string; doneAt?: string }>();

  async claim(task: string, day: string, now: Date, holdMs: number): Promise<'claimed' | 'done' | 'busy'> {
    await this.faults.check('claim', task, day, now, holdMs);
    const key = `${task}/${day}`;
    const row = this.rows.get(key);
    if (row?.doneAt) return 'done';
    if (row?.claimedUntil && row.claimedUntil > now.toISOString()) return 'busy';
    this.rows.set(key, { ...row, claimedUntil: new Date(now.getTime() + holdMs).toISOString() });
    return 'claimed';
  }

  async complete(task: string, day: string, at: string): Promise<void> {
    await this.faults.check('complete', task, day, at);
    const key = `${task}/${day}`;
    const row = this.rows.get(key);
    if (!row?.doneAt) this.rows.set(key, { ...row, doneAt: at });
  }

  /** When the day's task was marked done (for assertions). */
  doneAt(task: string, day: string): string | undefined {
    return this.rows.get(`${task}/${day}`)?.doneAt;
  }
}
