import type { Clock, Directory } from '../../domain/ports';

const FIVE_MINUTES = 5 * 60 * 1000;

/**
 * Positive role answers from live checks, per user and role list, for `ttlMs` (at most five minutes by
 * policy). A negative answer forgets the user at once: someone whose role was just withdrawn is never
 * remembered as an admin, and someone who just activated a PIM role is asked again.
 */
export class RecentRoles {
  private readonly answers = new Map<string, { roles: string[]; until: number }>();
  /** Per key, the order of the latest ask whose answer was "no role": an older ask's "yes" arriving later is stale. */
  private readonly refusedAt = new Map<string, number>();
  private asks = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = FIVE_MINUTES,
  ) {
    if (ttlMs > FIVE_MINUTES) throw new Error('Role answers may be cached for at most five minutes.');
  }

  /** The roles a live check found in the last `ttlMs`, or undefined (none remembered). */
  recall(userId: string, roleTemplateIds: readonly string[]): string[] | undefined {
    const hit = this.answers.get(keyOf(userId, roleTemplateIds));
    return hit && hit.until > this.clock.now().getTime() ? [...hit.roles] : undefined;
  }

  /**
   * What a live check asked at `askedAt` (its order among asks, and the time) answered. Answers can arrive out
   * of order (a slow check given up on answers late): a "yes" from an ask older than the latest "no" is ignored,
   * and the five minutes count from when the question was asked.
   */
  remember(
    userId: string,
    roleTemplateIds: readonly string[],
    roles: readonly string[],
    askedAt: { readonly order: number; readonly at: number } = this.ask(),
  ): void {
    const key = keyOf(userId, roleTemplateIds);
    if (roles.length === 0) {
      this.answers.delete(key);
      this.refusedAt.set(key, Math.max(askedAt.order, this.refusedAt.get(key) ?? 0));
      return;
    }
    if (askedAt.order < (this.refusedAt.get(key) ?? 0)) return;
    if (this.answers.size >= 10_000) this.answers.clear();
    if (this.refusedAt.size >= 10_000) this.refusedAt.clear();
    const until = askedAt.at + this.ttlMs;
    const held = this.answers.get(key);
    if (held && held.until >= until) return; // a newer ask's answer is already here
    this.answers.set(key, { roles: [...roles], until });
  }

  /** `directory` with its role checks still live, each answer remembered here. */
  recording(directory: Directory): Directory {
    return {
      findUser: (q) => directory.findUser(q),
      searchByDisplayName: (t, n) => directory.searchByDisplayName(t, n),
      heldRoles: async (userId, roleTemplateIds) => {
        const askedAt = this.ask();
        const roles = await directory.heldRoles(userId, roleTemplateIds);
        this.remember(userId, roleTemplateIds, roles, askedAt);
        return roles;
      },
    };
  }

  private ask(): { readonly order: number; readonly at: number } {
    return { order: ++this.asks, at: this.clock.now().getTime() };
  }
}

const keyOf = (userId: string, roleTemplateIds: readonly string[]) =>
  `${userId.toLowerCase()}|${[...roleTemplateIds].sort().join(',')}`;

/**
 * `directory` answering role checks from `memory` while a positive answer is recent, live otherwise (and
 * remembering that answer). For intake and card views only; decisions ask live.
 */
export function withRoleCache(
  directory: Directory,
  clock: Clock,
  ttlMs = FIVE_MINUTES,
  memory = new RecentRoles(clock, ttlMs),
): Directory {
  const live = memory.recording(directory);
  return {
    ...live,
    heldRoles: async (userId, roleTemplateIds) =>
      memory.recall(userId, roleTemplateIds) ?? live.heldRoles(userId, roleTemplateIds),
  };
}
