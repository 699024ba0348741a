import { RecentRoles, withRoleCache } from '../../../src/adapters/graph/role-cache';
import type { Directory } from '../../../src/domain/ports';

const GA = '62e90394-69f5-4237-9190-012177145e10';

function counting(roles: Record<string, string[]>) {
  let calls = 0;
  const directory: Directory = {
    findUser: () => Promise.resolve(undefined),
    searchByDisplayName: () => Promise.resolve([]),
    heldRoles: (id) => {
      calls++;
      return Promise.resolve(roles[id] ?? []);
    },
  };
  return { directory, calls: () => calls, roles };
}

describe('withRoleCache', () => {
  it('reuses a positive answer for five minutes, then asks Graph again', async () => {
    let now = Date.parse('2026-11-21T10:00:00Z');
    const fake = counting({ alex: [GA] });
    const cached = withRoleCache(fake.directory, { now: () => new Date(now) });
    expect(await cached.heldRoles('alex', [GA])).toEqual([GA]);
    now += 4 * 60 * 1000;
    expect(await cached.heldRoles('alex', [GA])).toEqual([GA]);
    expect(fake.calls()).toBe(1);
    now += 61 * 1000;
    fake.roles.alex = [];
    expect(await cached.heldRoles('alex', [GA])).toEqual([]);
    expect(fake.calls()).toBe(2);
  });

  it('never caches a refusal: a just-activated PIM role counts at once', async () => {
    const fake = counting({ lynne: [] });
    const cached = withRoleCache(fake.directory, { now: () => new Date() });
    expect(await cached.heldRoles('lynne', [GA])).toEqual([]);
    fake.roles.lynne = [GA];
    expect(await cached.heldRoles('lynne', [GA])).toEqual([GA]);
  });

  it('refuses a lifetime above the five minutes policy allows', () => {
    expect(() => withRoleCache(counting({}).directory, { now: () => new Date() }, 6 * 60 * 1000)).toThrow(
      /at most five minutes/,
    );
  });
});

describe('RecentRoles', () => {
  it('remembers what a live check found for five minutes, and asks live every time', async () => {
    let now = Date.parse('2026-11-21T10:00:00Z');
    const fake = counting({ megan: [GA] });
    const recent = new RecentRoles({ now: () => new Date(now) });
    const live = recent.recording(fake.directory);
    expect(recent.recall('megan', [GA])).toBeUndefined();
    expect(await live.heldRoles('megan', [GA])).toEqual([GA]);
    expect(await live.heldRoles('megan', [GA])).toEqual([GA]);
    expect(fake.calls()).toBe(2);
    expect(recent.recall('MEGAN', [GA])).toEqual([GA]);
    now += 5 * 60 * 1000;
    expect(recent.recall('megan', [GA])).toBeUndefined();
  });

  it('forgets someone at once when a live check finds no role', async () => {
    const fake = counting({ megan: [GA] });
    const recent = new RecentRoles({ now: () => new Date() });
    const live = recent.recording(fake.directory);
    await live.heldRoles('megan', [GA]);
    fake.roles.megan = [];
    expect(await live.heldRoles('megan', [GA])).toEqual([]);
    expect(recent.recall('megan', [GA])).toBeUndefined();
  });

  it('shares its memory with the intake cache: a live answer spares intake a call', async () => {
    const fake = counting({ megan: [GA] });
    const clock = { now: () => new Date() };
    const recent = new RecentRoles(clock);
    await recent.recording(fake.directory).heldRoles('megan', [GA]);
    expect(await withRoleCache(fake.directory, clock, undefined, recent).heldRoles('megan', [GA])).toEqual([
      GA,
    ]);
    expect(fake.calls()).toBe(1);
  });

  it("ignores an older ask's late yes once a newer ask said no (a slow check given up on answers late)", async () => {
    const answers: ((roles: string[]) => void)[] = [];
    const directory: Directory = {
      findUser: () => Promise.resolve(undefined),
      searchByDisplayName: () => Promise.resolve([]),
      heldRoles: () => new Promise<string[]>((resolve) => answers.push(resolve)),
    };
    let now = Date.parse('2026-11-30T10:00:00Z');
    const recent = new RecentRoles({ now: () => new Date(now) });
    const live = recent.recording(directory);
    const slow = live.heldRoles('megan', [GA]); // asked while she was still an admin
    const fresh = live.heldRoles('megan', [GA]); // asked after her role was withdrawn
    answers[1]!([]);
    await fresh;
    answers[0]!([GA]);
    await slow;
    expect(recent.recall('megan', [GA])).toBeUndefined();
    // The five minutes count from the question, not from a late answer.
    const later = live.heldRoles('megan', [GA]);
    now += 4 * 60_000;
    answers[2]!([GA]);
    await later;
    now += 61_000;
    expect(recent.recall('megan', [GA])).toBeUndefined();
  });
});
