import type { TokenCredential } from '@azure/identity';
import type { GraphPermissionReport } from '../../domain/ports';

// The report is the domain's (the Teams side shows it without knowing Graph); named here too, beside its maker.
export type { GraphPermissionReport } from '../../domain/ports';

/** The application permissions the bot needs on Microsoft Graph. */
export const REQUIRED_GRAPH_PERMISSIONS = ['User.Read.All', 'User.Export.All'] as const;

/**
 * Which application permissions the bot's Graph token really carries: gets a token for `scope` and reads its
 * `roles` claim. The token itself is never kept, logged or shown.
 */
export async function graphPermissions(
  credential: TokenCredential,
  scope: string,
): Promise<GraphPermissionReport> {
  const token = await credential.getToken(scope);
  if (!token) throw new Error('The Graph credential returned no token.');
  const payload = token.token.split('.')[1] ?? '';
  let roles: unknown = [];
  try {
    roles =
      (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { roles?: unknown }).roles ?? [];
  } catch {
    roles = [];
  }
  const granted = Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string').sort() : [];
  return { granted, missing: REQUIRED_GRAPH_PERMISSIONS.filter((p) => !granted.includes(p)) };
}
