import { isHomeTenant } from '../domain/identity';
import type { Directory, DirectoryUser } from '../domain/ports';

/** Who is asking, as Teams (not the client) says: the activity's sender and conversation tenant. */
export interface Caller {
  readonly aadObjectId: string | undefined;
  readonly tenantId: string | undefined;
  readonly name: string | undefined;
}

export type WhoAmIAnswer =
  | { readonly kind: 'otherTenant'; readonly callerTenantId: string | undefined }
  | { readonly kind: 'notInDirectory' }
  | { readonly kind: 'known'; readonly user: DirectoryUser; readonly heldRoleIds: readonly string[] };

export interface WhoAmIDeps {
  readonly directory: Directory;
  readonly homeTenantId: string;
  readonly allowedRoleIds: readonly string[];
}

/**
 * Looks the caller up in the home tenant's directory and asks Graph, live, which of the allowed admin roles
 * they hold now. Callers from another tenant are not looked up. Graph failures propagate as explained errors.
 */
export async function whoAmI(deps: WhoAmIDeps, caller: Caller): Promise<WhoAmIAnswer> {
  if (!isHomeTenant(caller.tenantId, deps.homeTenantId)) {
    return { kind: 'otherTenant', callerTenantId: caller.tenantId };
  }
  if (!caller.aadObjectId) return { kind: 'notInDirectory' };
  const user = await deps.directory.findUser(caller.aadObjectId);
  if (!user) return { kind: 'notInDirectory' };
  const heldRoleIds = await deps.directory.heldRoles(user.id, deps.allowedRoleIds);
  return { kind: 'known', user, heldRoleIds };
}
