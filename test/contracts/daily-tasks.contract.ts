import type { DailyTasks } from '../../src/domain/ports';

export interface DailyTasksUnderTest {
  /** Daily tasks over fresh, empty storage. */
  readonly tasks: DailyTasks;
  /** Another instance over the same storage (another bot process). */
  readonly anotherInstance: () => DailyTasks;
}

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

/**
 * What every DailyTasks promises (ports.ts): one claimer at a time gets 'claimed', others 'busy' until the claim
 * runs out, and a task marked done answers 'done' for the rest of the day.
 */
export function describeDailyTasksContract(
  name: string,
  makeTasks: () => DailyTasksUnderTest | Promise<DailyTasksUnderTest>,
): void {
  describe(`the DailyTasks contract: ${name}`, () => {
    it('gives the day’s task to exactly one of two instances claiming it at once', async () => {
      const { tasks, anotherInstance } = await makeTasks();
      const now = at('2026-11-30T08:00:00.000Z');
      const answers = await Promise.all([
        tasks.claim('overdue-digest', '2026-11-30', now, HOUR),
        anotherInstance().claim('overdue-digest', '2026-11-30', now, HOUR),
      ]);
      expect([...answers].sort()).toEqual(['busy', 'claimed']);
    });

    it('gives the day’s task to exactly one of many concurrent claimers', async () => {
      const { tasks, anotherInstance } = await makeTasks();
      const instances = [tasks, anotherInstance(), anotherInstance()];
      const now = at('2026-11-30T08:00:00.000Z');
      const answers = await Promise.all(
        Array.from({ length: 9 }, (_, i) =>
          instances[i % 3]!.claim('overdue-digest', '2026-11-30', now, HOUR),
        ),
      );
      expect(answers.filter((a) => a === 'claimed')).toHaveLength(1);
      expect(answers.filter((a) => a === 'busy')).toHaveLength(8);
    });

    it('holds the others back until the claim runs out, then lets the next claimer take it', async () => {
      const { tasks, anotherInstance } = await makeTasks();
      expect(await tasks.claim('overdue-digest', '2026-11-30', at('2026-11-30T08:00:00.000Z'), HOUR)).toBe(
        'claimed',
      );
      const other = anotherInstance();
      expect(await other.claim('overdue-digest', '2026-11-30', at('2026-11-30T08:59:59.000Z'), HOUR)).toBe(
        'busy',
      );
      expect(await other.claim('overdue-digest', '2026-11-30', at('2026-11-30T09:00:01.000Z'), HOUR)).toBe(
        'claimed',
      );
      // The new claim holds the first claimer back in its turn.
      expect(await tasks.claim('overdue-digest', '2026-11-30', at('2026-11-30T09:30:00.000Z'), HOUR)).toBe(
        'busy',
      );
    });

    it('answers done once the task is marked done, for everyone and after any claim ran out', async () => {
      const { tasks, anotherInstance } = await makeTasks();
      const day = '2026-11-30';
      expect(await tasks.claim('overdue-digest', day, at('2026-11-30T08:00:00.000Z'), HOUR)).toBe('claimed');
      await tasks.complete('overdue-digest', day, '2026-11-30T08:01:00.000Z');
      expect(await tasks.claim('overdue-digest', day, at('2026-11-30T08:02:00.000Z'), HOUR)).toBe('done');
      expect(await anotherInstance().claim('overdue-digest', day, at('2026-11-30T23:00:00.000Z'), HOUR)).toBe(
        'done',
      );
      // Marking it done again changes nothing.
      await anotherInstance().complete('overdue-digest', day, '2026-11-30T23:30:00.000Z');
      expect(await tasks.claim('overdue-digest', day, at('2026-11-30T23:45:00.000Z'), HOUR)).toBe('done');
    });

    it('marks a task done that nobody claimed', async () => {
      const { tasks } = await makeTasks();
      await tasks.complete('overdue-digest', '2026-11-30', '2026-11-30T08:00:00.000Z');
      expect(await tasks.claim('overdue-digest', '2026-11-30', at('2026-11-30T09:00:00.000Z'), HOUR)).toBe(
        'done',
      );
    });

    it('keeps days and tasks apart', async () => {
      const { tasks } = await makeTasks();
      const now = at('2026-11-30T08:00:00.000Z');
      await tasks.complete('overdue-digest', '2026-11-30', now.toISOString());
      expect(await tasks.claim('overdue-digest', '2026-12-01', now, HOUR)).toBe('claimed');
      expect(await tasks.claim('weekly-report', '2026-11-30', now, HOUR)).toBe('claimed');
      expect(await tasks.claim('overdue-digest', '2026-11-30', now, HOUR)).toBe('done');
    });
  });
}
