import type { Clock, Directory } from '../../domain/ports';

/**
 * Remembers a positive role answer for `ttlMs` (at most five minutes by policy), per user and role list.
 * Negative answers are not cached: someone who just activated a PIM role can ask again at once.
 * For intake only; approvals check live.
 */
export function withRoleCache(directory: Directory, clock: Clock, ttlMs = 5 * 60 * 1000): Directory {
  if (ttlMs > 5 * 60 * 1000) throw new Error('Role answers may be cached for at most five minutes.');
  const cache = new Map<string, { roles: string[]; until: number }>();
  return {
    findUser: (q) => directory.findUser(q),
    searchByDisplayName: (t, n) => directory.searchByDisplayName(t, n),
    async heldRoles(userId, roleTemplateIds) {
      const key = `${userId}|${[...roleTemplateIds].sort().join(',')}`;
      const now = clock.now().getTime();
      const hit = cache.get(key);
      if (hit && hit.until > now) return [...hit.roles];
      const roles = await directory.heldRoles(userId, roleTemplateIds);
      if (roles.length > 0) cache.set(key, { roles, until: now + ttlMs });
      else cache.delete(key);
      if (cache.size > 10_000) cache.clear();
      return roles;
    },
  };
}
