import type { Directory, DirectoryUser } from '../../src/domain/ports';
import { whoAmI } from '../../src/usecases/who-am-i';

const HOME = '11111111-2222-4333-8444-555555555555';
const GA = '62e90394-69f5-4237-9190-012177145e10';
const CA = '17315797-102d-40b4-93e0-432062caca18';
const alex: DirectoryUser = {
  id: 'u1',
  displayName: 'Alex',
  userPrincipalName: 'alex@contoso.com',
  mail: null,
  jobTitle: null,
  department: null,
};

/** An in-memory Directory that records what it was asked. */
function fakeDirectory(users: Record<string, { user: DirectoryUser; roles: string[] }>) {
  const calls: string[] = [];
  const directory: Directory = {
    findUser: (id) => {
      calls.push(`findUser ${id}`);
      return Promise.resolve(users[id]?.user);
    },
    searchByDisplayName: () => Promise.resolve([]),
    heldRoles: (id, ids) => {
      calls.push(`heldRoles ${id}`);
      return Promise.resolve(ids.filter((r) => users[id]?.roles.includes(r)));
    },
  };
  return { directory, calls };
}

describe('whoAmI', () => {
  it('reports the allowed roles the caller holds, in the allow-list order', async () => {
    const { directory } = fakeDirectory({ u1: { user: alex, roles: [CA, GA] } });
    const answer = await whoAmI(
      { directory, homeTenantId: HOME, allowedRoleIds: [GA, CA] },
      { aadObjectId: 'u1', tenantId: HOME, name: 'Alex' },
    );
    expect(answer).toEqual({ kind: 'known', user: alex, heldRoleIds: [GA, CA] });
  });

  it('does not look up a caller from another tenant, or one without an object id', async () => {
    const { directory, calls } = fakeDirectory({ u1: { user: alex, roles: [GA] } });
    const deps = { directory, homeTenantId: HOME, allowedRoleIds: [GA] };
    expect(await whoAmI(deps, { aadObjectId: 'u1', tenantId: 'other', name: 'Alex' })).toEqual({
      kind: 'otherTenant',
      callerTenantId: 'other',
    });
    expect(
      await whoAmI(deps, { aadObjectId: undefined, tenantId: undefined, name: undefined }),
    ).toMatchObject({
      kind: 'otherTenant',
    });
    expect(await whoAmI(deps, { aadObjectId: undefined, tenantId: HOME, name: 'x' })).toEqual({
      kind: 'notInDirectory',
    });
    expect(calls).toEqual([]);
  });

  it('compares tenant ids without regard to case', async () => {
    const { directory } = fakeDirectory({ u1: { user: alex, roles: [] } });
    const answer = await whoAmI(
      { directory, homeTenantId: HOME, allowedRoleIds: [GA] },
      { aadObjectId: 'u1', tenantId: HOME.toUpperCase(), name: 'Alex' },
    );
    expect(answer).toEqual({ kind: 'known', user: alex, heldRoleIds: [] });
  });
});
