import { DEMO_USERS, type SandboxUser } from '../../../sandbox/demo-tenant';
import type { Directory, DirectoryUser } from '../../../src/domain/ports';
import { wellFormed } from '../../../src/domain/text';
import { Faults } from './faults';

type DirectoryOps = {
  findUser: [idUpnOrMail: string];
  searchByDisplayName: [text: string, limit: number];
  heldRoles: [userId: string, roleTemplateIds: readonly string[]];
};

/** A demo-tenant person as the directory describes them. */
export function directoryUserOf(u: SandboxUser): DirectoryUser {
  return {
    id: u.id,
    displayName: u.displayName,
    userPrincipalName: u.userPrincipalName,
    mail: u.mail,
    jobTitle: u.jobTitle,
    department: u.department,
  };
}

/** The demo-tenant person of that name, as the directory describes them. */
export function demoUser(name: string): DirectoryUser {
  const u = DEMO_USERS.find((x) => x.displayName === name);
  if (!u) throw new Error(`No ${name} in the demo tenant.`);
  return directoryUserOf(u);
}

/** A person of the fake directory and the directory roles they hold now (active assignments only). */
export interface FakeUser extends DirectoryUser {
  readonly activeRoles?: readonly string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const same = (a: string | null | undefined, b: string) => !!a && a.toLowerCase() === b.toLowerCase();

/**
 * The home tenant's directory in memory, with the contract of {@link GraphDirectory}: a user found by object
 * id, sign-in name or mail (case-insensitive; the sign-in name wins over another's mail), display-name search
 * by word prefixes, and the roles held *now* (someone unknown holds none). Role checks can be made slow
 * ({@link FakeDirectory.slowRoleChecks}) to exercise the approval budget.
 */
export class FakeDirectory implements Directory {
  readonly faults = new Faults<DirectoryOps>();
  /** How many role checks were asked. */
  roleChecks = 0;
  private readonly users = new Map<string, { user: DirectoryUser; roles: Set<string> }>();
  private slow: { readonly gate: Promise<void>; readonly onAsk: () => void } | undefined;

  constructor(users: readonly FakeUser[] = []) {
    for (const u of users) this.add(u);
  }

  /** The sandbox's demo tenant (Alex and Megan Global Administrators, Patti Compliance Administrator …). */
  static demoTenant(): FakeDirectory {
    return new FakeDirectory(DEMO_USERS.map((u) => ({ ...directoryUserOf(u), activeRoles: u.activeRoles })));
  }

  add(user: FakeUser): DirectoryUser {
    const { activeRoles = [], ...rest } = user;
    this.users.set(user.id.toLowerCase(), {
      user: rest,
      roles: new Set(activeRoles.map((r) => r.toLowerCase())),
    });
    return rest;
  }

  has(userId: string): boolean {
    return this.users.has(userId.toLowerCase());
  }

  grant(userId: string, roleTemplateId: string): void {
    this.entry(userId).roles.add(roleTemplateId.toLowerCase());
  }

  /** The role assignment ends now (or a PIM activation ran out). */
  withdraw(userId: string, roleTemplateId: string): void {
    this.entry(userId).roles.delete(roleTemplateId.toLowerCase());
  }

  /**
   * Role checks answer only when released (Graph slow); `asked()` resolves once a check is waiting. Release
   * answers every held check, and later checks answer at once again.
   */
  slowRoleChecks(): { asked(): Promise<void>; release(): void } {
    let release!: () => void;
    let onAsk!: () => void;
    const asked = new Promise<void>((resolve) => (onAsk = resolve));
    const slow = { gate: new Promise<void>((resolve) => (release = resolve)), onAsk };
    this.slow = slow;
    return {
      asked: () => asked,
      release: () => {
        if (this.slow === slow) this.slow = undefined;
        release();
      },
    };
  }

  async findUser(idUpnOrMail: string): Promise<DirectoryUser | undefined> {
    await this.faults.check('findUser', idUpnOrMail);
    const key = idUpnOrMail.trim();
    if (key === '') return undefined;
    if (GUID.test(key)) return this.users.get(key.toLowerCase())?.user;
    const all = [...this.users.values()].map((e) => e.user);
    return all.find((u) => same(u.userPrincipalName, key)) ?? all.find((u) => same(u.mail, key));
  }

  async searchByDisplayName(text: string, limit: number): Promise<DirectoryUser[]> {
    await this.faults.check('searchByDisplayName', text, limit);
    const words = wellFormed(text).replace(/["\\]/g, ' ').toLowerCase().trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    return [...this.users.values()]
      .map((e) => e.user)
      .filter((u) => {
        const own = u.displayName.toLowerCase().split(/[\s@._-]+/);
        return words.every((w) => own.some((o) => o.startsWith(w)));
      })
      .slice(0, Math.max(1, Math.min(limit, 999)));
  }

  async heldRoles(userId: string, roleTemplateIds: readonly string[]): Promise<string[]> {
    await this.faults.check('heldRoles', userId, roleTemplateIds);
    this.roleChecks += 1;
    const slow = this.slow;
    if (slow) {
      slow.onAsk();
      await slow.gate;
    }
    if (roleTemplateIds.length === 0) return [];
    const held = this.users.get(userId.toLowerCase())?.roles ?? new Set<string>();
    return roleTemplateIds.filter((id) => held.has(id.toLowerCase()));
  }

  private entry(userId: string) {
    const e = this.users.get(userId.toLowerCase());
    if (!e) throw new Error(`The fake directory has no user ${userId}.`);
    return e;
  }
}
