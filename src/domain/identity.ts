/**
 * Comparing identities. Entra object ids and tenant ids are GUIDs; Teams, Graph and the stores may spell them
 * in different cases, so every comparison here ignores case. An absent id never equals anything.
 */
export function sameId(a: string | undefined | null, b: string | undefined | null): boolean {
  if (!a || !b) return false;
  return a.toLowerCase() === b.toLowerCase();
}

/** A request, draft or card belongs to the home tenant only: a caller without a tenant is never home. */
export function isHomeTenant(tenantId: string | undefined, homeTenantId: string): boolean {
  return sameId(tenantId, homeTenantId);
}

/** An Entra object id, tenant id or operation id: a GUID in its usual 8-4-4-4-12 form, any case. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}
