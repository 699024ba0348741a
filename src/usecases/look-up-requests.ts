import type { AuditEvent } from '../domain/audit';
import type { ExportRequest } from '../domain/export-request';
import { isHomeTenant } from '../domain/identity';
import { mayActAsAdmin } from '../domain/policies';
import type { AuditLog, Clock, Directory, RequestStore } from '../domain/ports';
import { cleanText } from '../domain/text';
import type { Caller } from './who-am-i';

export interface LookupDeps {
  readonly requests: RequestStore;
  readonly audit: AuditLog;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly homeTenantId: string;
  readonly allowedRoleIds: readonly string[];
  readonly roleCheckBudgetMs: number;
  readonly after: (ms: number) => Promise<void>;
}

/** Rows on one page of a list. */
export const PAGE_SIZE = 10;
/** Most requests a search by name shows. */
const MAX_MATCHES = 10;

/** What someone asked to see. */
export type LookupQuery =
  | { readonly kind: 'request'; readonly id: string }
  | { readonly kind: 'search'; readonly text: string }
  | { readonly kind: 'open'; readonly page: number }
  | { readonly kind: 'mine'; readonly page: number };

export type LookupAnswer =
  | { readonly kind: 'request'; readonly request: ExportRequest; readonly trail: readonly AuditEvent[] }
  | {
      readonly kind: 'list';
      readonly list: 'open' | 'mine' | 'search';
      readonly items: readonly ExportRequest[];
      readonly total: number;
      readonly page: number;
      readonly pageSize: number;
    }
  /** No request by that id, or none open for that name. */
  | { readonly kind: 'none'; readonly query: LookupQuery }
  /** Not in the home tenant or not known by object id: nothing is said. */
  | { readonly kind: 'notAvailable' }
  | { readonly kind: 'noRole' }
  | { readonly kind: 'roleCheckSlow' };

const REQUEST_ID = /^DSR-\d{4}-\d{4,}$/i;

/** Whether `text` is a request id (DSR-2026-0042), to look it up rather than search by name. */
export function isRequestId(text: string): boolean {
  return REQUEST_ID.test(text.trim());
}

/**
 * Finds requests for an admin: one by id (with its audit trail, for the timeline), open ones by the subject's
 * name or sign-in, every open request by due date, or the caller's own. The same rights as the request card:
 * the home tenant and an allowed admin role now (checked live); anyone else sees nothing of anyone's requests.
 * Each lookup is audited (who looked at what; never the search text, which may name a person).
 */
export async function lookUpRequests(
  deps: LookupDeps,
  caller: Caller,
  query: LookupQuery,
): Promise<LookupAnswer> {
  const actor = { aadObjectId: caller.aadObjectId, name: caller.name, tenantId: caller.tenantId };
  const record = (
    action: 'request.viewed' | 'requests.listed',
    outcome: 'ok' | 'refused',
    detail: string,
    requestId?: string,
  ) =>
    deps.audit.append({
      at: deps.clock.now().toISOString(),
      action,
      actor,
      outcome,
      ...(requestId ? { requestId } : {}),
      detail,
    });
  // Refusals are recorded (the audit log bounds them per caller and hour); they never name a request.
  if (!isHomeTenant(caller.tenantId, deps.homeTenantId) || !caller.aadObjectId) {
    await record('requests.listed', 'refused', `${query.kind} refused: not the home tenant, or no object id`);
    return { kind: 'notAvailable' };
  }
  const late = deps.after(deps.roleCheckBudgetMs).then(() => 'late' as const);
  const work = deps.directory.heldRoles(caller.aadObjectId, deps.allowedRoleIds);
  const roles = await Promise.race([work, late]);
  if (roles === 'late') {
    work.catch(() => undefined);
    await record(
      'requests.listed',
      'refused',
      `${query.kind} refused: Graph did not confirm the role in time`,
    );
    return { kind: 'roleCheckSlow' };
  }
  if (!mayActAsAdmin(roles)) {
    await record('requests.listed', 'refused', `${query.kind} refused: holds none of the allowed roles now`);
    return { kind: 'noRole' };
  }
  switch (query.kind) {
    case 'request': {
      const id = query.id.trim().toUpperCase();
      const request = isRequestId(id) ? await deps.requests.get(id) : undefined;
      if (!request) return { kind: 'none', query };
      await record('request.viewed', 'ok', `status of ${request.id}`, request.id);
      return { kind: 'request', request, trail: await deps.audit.list(request.id) };
    }
    case 'search': {
      const text = cleanText(query.text, 120);
      const items = text === '' ? [] : await deps.requests.findOpenBySubject(text, MAX_MATCHES);
      await record('requests.listed', 'ok', `open requests by subject: ${items.length} found`);
      if (items.length === 0) return { kind: 'none', query };
      if (items.length === 1) {
        const [only] = items as [ExportRequest];
        await record('request.viewed', 'ok', `status of ${only.id}`, only.id);
        return { kind: 'request', request: only, trail: await deps.audit.list(only.id) };
      }
      return { kind: 'list', list: 'search', items, total: items.length, page: 0, pageSize: MAX_MATCHES };
    }
    case 'open':
    case 'mine': {
      const page = Number.isSafeInteger(query.page) && query.page >= 0 ? query.page : 0;
      const found =
        query.kind === 'open'
          ? await deps.requests.openRequests(page, PAGE_SIZE)
          : await deps.requests.requestedBy(caller.aadObjectId, page, PAGE_SIZE);
      await record(
        'requests.listed',
        'ok',
        `${query.kind} requests, page ${page + 1}: ${found.total} in all`,
      );
      return { kind: 'list', list: query.kind, ...found, page, pageSize: PAGE_SIZE };
    }
  }
}
