import { DEMO_APP_CLIENT_ID, DEMO_APP_CLIENT_SECRET, DEMO_TENANT_ID } from '../../sandbox/demo-tenant';
import type { TenantSandbox } from '../../sandbox/tenant-sandbox';

/** Calls to a tenant sandbox as the bot makes them: a token from its Entra ID, then Graph with it. */

export const ADELE = 'c0a70500-0000-4000-8000-000000000102';

/** POSTs the client credentials flow for the demo app; `form` overrides or adds fields. */
export async function token(sandbox: TenantSandbox, form: Record<string, string> = {}): Promise<Response> {
  return fetch(`${sandbox.authorityHost}/${DEMO_TENANT_ID}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: DEMO_APP_CLIENT_ID,
      client_secret: DEMO_APP_CLIENT_SECRET,
      scope: `${sandbox.graphEndpoint}/.default`,
      ...form,
    }),
  });
}

export async function accessToken(sandbox: TenantSandbox): Promise<string> {
  const res = await token(sandbox);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A fetch of a Graph path (`/v1.0/…`) with the bearer token and a JSON content type. */
export function callGraph(
  sandbox: TenantSandbox,
  bearer: string,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  return fetch(`${sandbox.graphEndpoint}${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${bearer}`,
      'Content-Type': 'application/json',
      ...(init.headers as object),
    },
  });
}
