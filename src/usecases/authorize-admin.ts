import { isHomeTenant } from '../domain/identity';
import type { Actor } from '../domain/export-request';
import type { AuditAction } from '../domain/audit';
import type { AuditLog, Clock, Directory } from '../domain/ports';
import { mayActAsAdmin } from '../domain/policies';
import type { Caller } from './who-am-i';

export type Authorization =
  | {
      readonly ok: true;
      readonly actor: Actor;
      readonly tenantId: string;
      readonly heldRoleIds: readonly string[];
    }
  | { readonly ok: false; readonly reason: 'otherTenant' | 'unknownCaller' | 'noRole' };

export interface AuthorizeDeps {
  readonly directory: Directory;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly homeTenantId: string;
  readonly allowedRoleIds: readonly string[];
}

/**
 * Checks that the caller (as Teams identified them) belongs to the home tenant and holds an allowed admin
 * role now. A refusal is recorded in the audit trail as `refusedAction`, and nothing else is written.
 */
export async function authorizeAdmin(
  deps: AuthorizeDeps,
  caller: Caller,
  refusedAction: AuditAction,
  what: string,
): Promise<Authorization> {
  const refuse = async (
    reason: 'otherTenant' | 'unknownCaller' | 'noRole',
    detail: string,
  ): Promise<Authorization> => {
    await deps.audit.append({
      at: deps.clock.now().toISOString(),
      action: refusedAction,
      actor: { aadObjectId: caller.aadObjectId, name: caller.name, tenantId: caller.tenantId },
      outcome: 'refused',
      detail: `${what}: ${detail}`,
    });
    return { ok: false, reason };
  };
  if (!isHomeTenant(caller.tenantId, deps.homeTenantId)) {
    return refuse(
      'otherTenant',
      `caller is from tenant ${caller.tenantId ?? 'unknown'}, not the home tenant`,
    );
  }
  if (!caller.aadObjectId) return refuse('unknownCaller', 'the activity carries no Entra object id');
  const held = await deps.directory.heldRoles(caller.aadObjectId, deps.allowedRoleIds);
  if (!mayActAsAdmin(held)) return refuse('noRole', 'caller holds none of the allowed roles now');
  return {
    ok: true,
    actor: { aadObjectId: caller.aadObjectId, name: caller.name ?? caller.aadObjectId },
    tenantId: caller.tenantId ?? deps.homeTenantId,
    heldRoleIds: held,
  };
}
