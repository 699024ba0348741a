import { AfterTurn } from '../../../src/usecases/after-turn';

describe('AfterTurn: work a turn starts and does not wait for', () => {
  it('runs the work at once, and settles only when it (and what it started meanwhile) has ended', async () => {
    const after = new AfterTurn(() => undefined);
    const done: string[] = [];
    let releaseFirst!: () => void;
    const first = new Promise<void>((r) => (releaseFirst = r));
    after.run(async () => {
      await first;
      done.push('first');
      after.run(async () => {
        await Promise.resolve();
        done.push('second');
      });
    });
    let settled = false;
    const settling = after.settled().then(() => (settled = true));
    for (let turn = 0; turn < 10; turn++) await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    releaseFirst();
    await settling;
    expect(done).toEqual(['first', 'second']);
  });

  it('reports a failure to its handler instead of rejecting, and still settles', async () => {
    const errors: unknown[] = [];
    const after = new AfterTurn((e) => errors.push(e));
    after.run(() => Promise.reject(new Error('queue down')));
    await after.settled();
    expect(errors).toEqual([new Error('queue down')]);
  });
});
