import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DEMO_TENANT, ROLE } from '../../sandbox/demo-tenant';
import { playgroundConfig } from '../../sandbox/playground-config';

interface PlaygroundUser {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
}

describe('the Agents Playground configuration', () => {
  const committed = parse(
    readFileSync(path.resolve(__dirname, '../../.m365agentsplayground.yml'), 'utf8'),
  ) as {
    tenantId: string;
    currentUser: PlaygroundUser;
    users: PlaygroundUser[];
  };

  it('uses the sandbox tenant and only people the sandbox knows, with the same ids and UPNs', () => {
    expect(committed.tenantId).toBe(DEMO_TENANT.id);
    const people = [committed.currentUser, ...committed.users];
    expect(people.length).toBeGreaterThanOrEqual(5);
    for (const p of people) {
      const u = DEMO_TENANT.users.find((x) => x.id === p.aadObjectId);
      expect(u).toBeDefined();
      expect({ name: p.name, upn: p.userPrincipleName, teamsId: p.id }).toEqual({
        name: u!.displayName,
        upn: u!.userPrincipalName,
        teamsId: u!.teamsId,
      });
    }
  });

  it('offers two Global Administrators, a Compliance Administrator, plain users and a PIM-eligible admin', () => {
    const ids = new Set([committed.currentUser, ...committed.users].map((p) => p.aadObjectId));
    const shown = DEMO_TENANT.users.filter((u) => ids.has(u.id));
    expect(
      shown.filter((u) => u.activeRoles.includes(ROLE.globalAdministrator)).length,
    ).toBeGreaterThanOrEqual(2);
    expect(shown.some((u) => u.activeRoles.includes(ROLE.complianceAdministrator))).toBe(true);
    expect(shown.some((u) => u.activeRoles.length === 0 && u.eligibleRoles.length === 0)).toBe(true);
    expect(
      shown.some((u) => u.activeRoles.length === 0 && u.eligibleRoles.includes(ROLE.globalAdministrator)),
    ).toBe(true);
  });

  it('can be generated for another current user, and refuses someone the Playground does not show', () => {
    const asAdele = parse(playgroundConfig('Adele Vance')) as {
      currentUser: PlaygroundUser;
      users: PlaygroundUser[];
    };
    expect(asAdele.currentUser.name).toBe('Adele Vance');
    expect(asAdele.users.map((u) => u.name)).toContain('Alex Wilber');
    expect(() => playgroundConfig('Nobody Here')).toThrow(/not a Playground user/);
  });
});
