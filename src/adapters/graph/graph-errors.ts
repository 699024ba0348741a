import { DirectoryError } from '../../domain/ports';
import { redact } from '../../secret';
import { parseRetryAfter } from './retry-after';
import { explainStorageLocation } from './storage-location-errors';

/** Who failed: the token authority (Entra ID), Graph itself, or the network on the way to either. */
export type GraphFailureSource = 'authority' | 'graph' | 'network';

/**
 * A failed call to Entra ID or Microsoft Graph, explained in words an administrator can act on. `code` is
 * Graph's error code (or the AADSTS code) for branching; never branch on the message. It is the domain's
 * {@link DirectoryError} (Graph is the directory), so the Teams side catches that and never imports Graph;
 * `GraphExporter`'s failures are the same error, from the same service and credential.
 */
export class GraphCallError extends DirectoryError {
  constructor(
    readonly source: GraphFailureSource,
    readonly status: number | undefined,
    code: string,
    message: string,
    readonly requestId: string | undefined,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(code, message);
    this.name = 'GraphCallError';
  }
}

const PERMISSION_HINT: Record<string, string> = {
  users: 'User.Read.All',
  checkMemberObjects: 'User.Read.All',
  exportPersonalData: 'User.Export.All',
  dataPolicyOperations: 'User.Export.All and User.Read.All',
};

function permissionFor(operation: string): string {
  const key = Object.keys(PERMISSION_HINT).find((k) => operation.includes(k));
  return key ? PERMISSION_HINT[key]! : 'the required application permission';
}

interface GraphClientErrorShape {
  statusCode?: number;
  code?: string | null;
  message?: string;
  requestId?: string | null;
  headers?: { get?(name: string): string | null } | null;
  body?: unknown;
}

function networkCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  const text = err instanceof Error ? err.message : String(err);
  const m = /\b(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|EHOSTUNREACH|UND_ERR_\w+)\b/.exec(text);
  if (m) return m[1];
  if (/fetch failed|socket hang up|network/i.test(text)) return 'ENETWORK';
  return undefined;
}

/**
 * Turns whatever the Graph client or @azure/identity threw into a {@link GraphCallError} with an actionable
 * message. `operation` names the call ("GET /users/{id}", "exportPersonalData") and `endpoints` the hosts.
 */
export function explainGraphFailure(
  err: unknown,
  operation: string,
  endpoints: { graph: string; authority: string },
): GraphCallError {
  if (err instanceof GraphCallError) return err;
  const name = (err as { name?: unknown })?.name;
  const text = redact(err instanceof Error ? err.message : String(err));

  // @azure/identity: the credential could not get a token.
  if (name === 'AuthenticationError' || name === 'CredentialUnavailableError' || /AADSTS\d+/.test(text)) {
    const aadsts = /AADSTS(\d+)/.exec(text)?.[1];
    const net = networkCode(err);
    if (!aadsts && net) {
      return new GraphCallError(
        'network',
        undefined,
        net,
        `The token authority ${endpoints.authority} cannot be reached (${net}): check AAD_APP_OAUTH_AUTHORITY_HOST and the network.`,
        undefined,
        undefined,
      );
    }
    const reason: Record<string, string> = {
      '7000215': 'the client secret is wrong: set AAD_APP_CLIENT_SECRET to the secret value (not its id)',
      '7000222': 'the client secret has expired: create a new one and update AAD_APP_CLIENT_SECRET',
      '700016': 'the application is not known in this tenant: check AAD_APP_CLIENT_ID and AAD_APP_TENANT_ID',
      '90002':
        'the tenant does not exist in this cloud: check AAD_APP_TENANT_ID and AAD_APP_OAUTH_AUTHORITY_HOST',
      '700027':
        'the certificate is not registered on the application: upload it or fix AAD_APP_CERTIFICATE_PATH',
    };
    const why =
      (aadsts && reason[aadsts]) ??
      (name === 'CredentialUnavailableError'
        ? 'no credential is available: set AAD_APP_CLIENT_SECRET or AAD_APP_CERTIFICATE_PATH, or run where a managed identity exists'
        : `Entra ID said: ${text.split('\n')[0]?.slice(0, 300)}`);
    return new GraphCallError(
      'authority',
      (err as { statusCode?: number }).statusCode,
      aadsts ? `AADSTS${aadsts}` : typeof name === 'string' ? name : 'AuthenticationError',
      `Entra ID refused the bot's Graph credential${aadsts ? ` (AADSTS${aadsts})` : ''}: ${why}.`,
      undefined,
      undefined,
    );
  }

  const g = err as GraphClientErrorShape;
  const status = typeof g.statusCode === 'number' && g.statusCode > 0 ? g.statusCode : undefined;
  if (status === undefined) {
    const net = networkCode(err) ?? 'ENETWORK';
    return new GraphCallError(
      'network',
      undefined,
      net,
      `Microsoft Graph at ${endpoints.graph} cannot be reached (${net}) for ${operation}: check GRAPH_ENDPOINT and the network, then try again.`,
      undefined,
      undefined,
    );
  }
  const code = g.code ?? `HTTP${status}`;
  const requestId = g.requestId ?? undefined;
  const retryAfterRaw = g.headers?.get?.('Retry-After');
  const retryAfter = parseRetryAfter(retryAfterRaw);
  const ref = requestId ? ` (request-id ${requestId})` : '';
  let message: string;
  if (status === 403 && code === 'Authorization_RequestDenied') {
    message = `Graph refused ${operation} (403 ${code}): grant the application permission ${permissionFor(operation)} and admin consent${ref}.`;
  } else if (status === 401) {
    message = `Graph rejected the bot's token for ${operation} (401 ${code}): check that AAD_APP_TENANT_ID and GRAPH_ENDPOINT belong to the same cloud and tenant${ref}.`;
  } else if (status === 404 && operation.includes('exportPersonalData')) {
    message = `Graph does not know this person any more (404 ${code}): the account may have been deleted or the id is wrong; check it in Entra ID, then make a new request${ref}.`;
  } else if (status === 404) {
    message = `Graph found nothing for ${operation} (404 ${code})${ref}.`;
  } else if (code === 'OperationNotFound') {
    message = `Graph does not know this export operation (${status} ${code}): its id is wrong, or it belongs to another tenant${ref}.`;
  } else if (explainStorageLocation(code)) {
    message = `${explainStorageLocation(code)!.replace(/\.$/, '')} (${status} ${code})${ref}.`;
  } else if (status === 429 || status === 503 || status === 504) {
    message = `Graph is busy and asked the bot to wait${retryAfter !== undefined ? ` ${retryAfter} s` : ''} for ${operation} (${status} ${code}); try again shortly${ref}.`;
  } else {
    message = `Graph answered ${status} ${code} for ${operation}: ${redact(g.message ?? '').slice(0, 300)}${ref}.`;
  }
  return new GraphCallError('graph', status, code, message, requestId, retryAfter);
}
