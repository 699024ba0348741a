import { withRoleCache } from '../../../src/adapters/graph/role-cache';
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
