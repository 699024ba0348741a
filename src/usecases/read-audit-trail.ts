import type { Actor } from '../domain/actor';
import type { ChainVerification } from '../domain/audit-chain';
import { isHomeTenant } from '../domain/identity';
import { mayActAsAdmin } from '../domain/policies';
import type { AuditTrail, TrailEntry } from '../domain/ports';
import type { LookupDeps } from './look-up-requests';
import { isRequestId } from './look-up-requests';
import type { Caller } from './who-am-i';

/** What reading a trail needs: the lookups' ports and rights (home tenant, an admin role now, checked live). */
export type TrailDeps = LookupDeps;

/** Entries on one page of the trail card. */
export const TRAIL_PAGE_SIZE = 15;

/** Why someone may not read trails: not the home tenant (or unknown), no admin role now, Graph too slow. */
export type TrailRefusal =
  { readonly kind: 'notAvailable' } | { readonly kind: 'noRole' } | { readonly kind: 'roleCheckSlow' };

export type TrailAnswer =
  | {
      readonly kind: 'trail';
      readonly requestId: string;
      /** The entries of this page, in trail order. */
      readonly entries: readonly TrailEntry[];
      readonly verification: ChainVerification;
      /** 0-based, within the pages that exist. */
      readonly page: number;
      readonly pageSize: number;
      /** Entries in the whole trail. */
      readonly total: number;
      /** False when the view could not be written to the trail (e.g. its head row is missing). */
      readonly viewRecorded: boolean;
    }
  /** No request and no trail by that id. */
  | { readonly kind: 'none' }
  | TrailRefusal;

/**
 * Checks that the caller may read audit trails: the home tenant, a known object id and an allowed admin role
 * held now (asked live; Graph gets `roleCheckBudgetMs` to answer). A refusal is recorded as `audit.viewed`
 * refused, naming no request (the same words whether or not the request exists), and answered as its kind.
 */
export async function checkTrailReader(
  deps: TrailDeps,
  caller: Caller,
  what: string,
): Promise<
  { readonly ok: true; readonly actor: Actor } | { readonly ok: false; readonly refusal: TrailRefusal }
> {
  const refuse = async (refusal: TrailRefusal, why: string) => {
    await deps.audit.append({
      at: deps.clock.now().toISOString(),
      action: 'audit.viewed',
      actor: { aadObjectId: caller.aadObjectId, name: caller.name, tenantId: caller.tenantId },
      outcome: 'refused',
      detail: `${what} refused: ${why}`,
    });
    return { ok: false as const, refusal };
  };
  if (!isHomeTenant(caller.tenantId, deps.homeTenantId) || !caller.aadObjectId)
    return refuse({ kind: 'notAvailable' }, 'not the home tenant, or no object id');
  const late = deps.after(deps.roleCheckBudgetMs).then(() => 'late' as const);
  const work = deps.directory.heldRoles(caller.aadObjectId, deps.allowedRoleIds);
  const roles = await Promise.race([work, late]);
  if (roles === 'late') {
    work.catch(() => undefined);
    return refuse({ kind: 'roleCheckSlow' }, 'Graph did not confirm the role in time');
  }
  if (!mayActAsAdmin(roles)) return refuse({ kind: 'noRole' }, 'holds none of the allowed roles now');
  return { ok: true, actor: { aadObjectId: caller.aadObjectId, name: caller.name ?? caller.aadObjectId } };
}

/**
 * A request's trail for an admin, when there is a request or a trail by that id (a request's record may be
 * gone while its trail is kept): read as stored, with its verification (an entry altered, removed or inserted
 * behind the bot's back is reported by the domain's chain check).
 */
export async function trailOf(deps: TrailDeps, requestId: string): Promise<AuditTrail | undefined> {
  const id = requestId.trim().toUpperCase();
  if (!isRequestId(id)) return undefined;
  const [request, trail] = await Promise.all([deps.requests.get(id), deps.audit.trail(id)]);
  return request || trail.entries.length > 0 ? trail : undefined;
}

/**
 * One page (0-based, 15 entries, oldest first) of a request's audit trail, with the chain's verdict, for an
 * admin (home tenant, allowed role now, checked live). The view is recorded (`audit.viewed`, after the read:
 * the page shows the trail as it was found); a trail that refuses new entries is still shown, and says so.
 * Anyone else is refused with the same answer whether or not the request exists, and the refusal recorded.
 */
export async function readAuditTrail(
  deps: TrailDeps,
  caller: Caller,
  requestId: string,
  page: number,
): Promise<TrailAnswer> {
  const access = await checkTrailReader(deps, caller, 'audit trail view');
  if (!access.ok) return access.refusal;
  const id = requestId.trim().toUpperCase();
  const trail = await trailOf(deps, id);
  if (!trail) return { kind: 'none' };
  const total = trail.entries.length;
  const lastPage = Math.max(0, Math.ceil(total / TRAIL_PAGE_SIZE) - 1);
  const shown = Number.isSafeInteger(page) ? Math.min(Math.max(page, 0), lastPage) : 0;
  const viewRecorded = await deps.audit
    .append({
      at: deps.clock.now().toISOString(),
      action: 'audit.viewed',
      actor: { ...access.actor, tenantId: caller.tenantId },
      outcome: 'ok',
      requestId: id,
      detail: `audit trail of ${id}, page ${shown + 1} of ${lastPage + 1}`,
    })
    .then(
      () => true,
      () => false,
    );
  return {
    kind: 'trail',
    requestId: id,
    entries: trail.entries.slice(shown * TRAIL_PAGE_SIZE, (shown + 1) * TRAIL_PAGE_SIZE),
    verification: trail.verification,
    page: shown,
    pageSize: TRAIL_PAGE_SIZE,
    total,
    viewRecorded,
  };
}
