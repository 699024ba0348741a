import type { IncomingHttpHeaders } from 'node:http';
import { graphError } from './http-answer';
import { decodeJwt, verifyJwtSignature, type JwtPayload } from './jwt';
import { GRAPH_AUDIENCE, type SandboxState } from './sandbox-state';

/** Any one of these sets of application permissions (the token's `roles`) suffices. */
export type Permissions = readonly (readonly string[])[];

/** Reading users and calling checkMemberObjects. */
export const READ_USERS: Permissions = [
  ['User.Read.All'],
  ['User.ReadWrite.All'],
  ['Directory.Read.All'],
  ['Directory.ReadWrite.All'],
];

/** POST /users/{id}/exportPersonalData. */
export const EXPORT_USERS: Permissions = [['User.Export.All']];

/** GET /dataPolicyOperations/{id}. */
export const READ_OPERATIONS: Permissions = [
  ['User.Export.All', 'User.Read.All'],
  ['User.Export.All', 'Directory.Read.All'],
];

/**
 * Checks a Graph call's bearer token as Graph does: present, signed by this sandbox's Entra ID, not expired,
 * for Graph, for this tenant (401 InvalidAuthenticationToken otherwise), and carrying one of the permission
 * sets (403 Authorization_RequestDenied otherwise). Returns the token's claims.
 */
export function authorizeGraphCall(
  state: SandboxState,
  headers: IncomingHttpHeaders,
  anyOf: Permissions,
): JwtPayload {
  const refuse = (status: number, code: string, message: string) =>
    graphError(state.now(), status, code, message);
  const header = headers.authorization ?? '';
  const token = header.replace(/^Bearer\s+/i, '');
  if (token === '' || token === header) {
    throw refuse(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  }
  const jwt = decodeJwt(token);
  if (!jwt || !verifyJwtSignature(jwt, state.signing.publicKey)) {
    throw refuse(
      401,
      'InvalidAuthenticationToken',
      'IDX14100: JWT is not well formed or its signature is invalid.',
    );
  }
  const p = jwt.payload;
  if (typeof p.exp !== 'number' || p.exp * 1000 < Date.now()) {
    throw refuse(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
  }
  if (p.aud !== GRAPH_AUDIENCE && p.aud !== state.origin) {
    throw refuse(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
  }
  if (p.tid !== state.tenant.id) {
    throw refuse(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid tenant.');
  }
  const roles = Array.isArray(p.roles) ? (p.roles as unknown[]) : [];
  if (!anyOf.some((needed) => needed.every((r) => roles.includes(r)))) {
    throw refuse(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  return p;
}
