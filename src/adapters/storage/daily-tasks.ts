import { AlreadyExistsError, StaleWriteError, type DailyTasks } from '../../domain/ports';
import { TableStore } from './table-store';

/** One task on one day: who may do it until when, and whether it is done. */
interface DayTask {
  readonly claimedUntil?: string;
  readonly doneAt?: string;
}

/** More contenders than instances of the bot will ever run; each conflict means another one wrote. */
const MAX_ATTEMPTS = 20;

/**
 * Daily tasks in an Azure Table (partition = task, row = day), each row written only at the version read
 * (ETag), so that of two instances claiming at once exactly one gets 'claimed'. A claim holds the others back
 * until `claimedUntil`; a claim that ran out (its holder died) can be taken again; a task done stays done.
 */
export class TableDailyTasks implements DailyTasks {
  private readonly table: TableStore<DayTask>;

  constructor(connectionString: string, table = 'dailytasks') {
    this.table = TableStore.fromConnectionString<DayTask>(connectionString, table);
  }

  async claim(task: string, day: string, now: Date, holdMs: number): Promise<'claimed' | 'done' | 'busy'> {
    const claimedUntil = new Date(now.getTime() + holdMs).toISOString();
    const refused = await this.change<'done' | 'busy'>(task, day, (stored) => {
      if (stored?.doneAt) return 'done';
      if (stored?.claimedUntil && stored.claimedUntil > now.toISOString()) return 'busy';
      return { claimedUntil };
    });
    return refused ?? 'claimed';
  }

  async complete(task: string, day: string, at: string): Promise<void> {
    await this.change<'done'>(task, day, (stored) => (stored?.doneAt ? 'done' : { ...stored, doneAt: at }));
  }

  /**
   * Reads the row, asks `decide` for the row to write (or an answer that writes nothing), writes it at the
   * version read, and reads again when another instance wrote first. Undefined once written.
   */
  private async change<A extends string>(
    task: string,
    day: string,
    decide: (stored: DayTask | undefined) => A | DayTask,
  ): Promise<A | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.table.get(task, day);
      const next = decide(stored?.value);
      if (typeof next === 'string') return next;
      try {
        if (stored) await this.table.replace(task, day, next, stored.etag);
        else await this.table.create(task, day, next);
        return undefined;
      } catch (err) {
        if (!(err instanceof StaleWriteError || err instanceof AlreadyExistsError)) throw err;
      }
    }
    throw new Error(
      `The daily task ${task} of ${day} changed ${MAX_ATTEMPTS} times while it was being written; try again.`,
    );
  }
}
