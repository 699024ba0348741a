import { randomUUID } from 'node:crypto';
import selfsigned from 'selfsigned';
import {
  DEMO_APP,
  DEMO_APP_CLIENT_ID,
  DEMO_APP_CLIENT_SECRET,
  DEMO_TENANT,
  DEMO_TENANT_ID,
} from '../../sandbox/demo-tenant';
import type { TenantSandbox } from '../../sandbox/tenant-sandbox';
import { createGraphClient, createGraphCredential } from '../../src/adapters/graph/graph-client';
import { GraphDirectory } from '../../src/adapters/graph/graph-directory';
import { readConfig } from '../../src/config';
import { sandboxEnv, startSandbox, waitFor } from '../support/sandbox';
import { newContainer, sasFor } from './containers';

const ADELE = 'c0a70500-0000-4000-8000-000000000102';

async function token(sandbox: TenantSandbox, form: Record<string, string> = {}): Promise<Response> {
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

async function accessToken(sandbox: TenantSandbox): Promise<string> {
  const res = await token(sandbox);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('the tenant sandbox', () => {
  let sandbox: TenantSandbox;
  let bearer: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ retryAfterSeconds: 7 });
    bearer = await accessToken(sandbox);
  });
  afterAll(() => sandbox.close());

  const graph = (path: string, init: RequestInit = {}) =>
    fetch(`${sandbox.graphEndpoint}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${bearer}`,
        'Content-Type': 'application/json',
        ...(init.headers as object),
      },
    });

  describe('as Entra ID', () => {
    it('publishes OpenID metadata for the tenant', async () => {
      const res = await fetch(
        `${sandbox.authorityHost}/${DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration`,
      );
      const body = (await res.json()) as Record<string, string>;
      expect(body.token_endpoint).toBe(`${sandbox.origin}/${DEMO_TENANT_ID}/oauth2/v2.0/token`);
      expect(body.jwks_uri).toMatch(/discovery\/v2.0\/keys$/);
      expect(body.issuer).toContain(DEMO_TENANT_ID);
    });

    it('issues a token that carries the app roles granted with admin consent', async () => {
      const res = await token(sandbox);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { token_type: string; expires_in: number; access_token: string };
      expect(body.token_type).toBe('Bearer');
      const claims = JSON.parse(
        Buffer.from(body.access_token.split('.')[1]!, 'base64url').toString(),
      ) as Record<string, unknown>;
      expect(claims).toMatchObject({ tid: DEMO_TENANT_ID, appid: DEMO_APP_CLIENT_ID, roles: DEMO_APP.roles });
    });

    it.each([
      [{ client_secret: 'wrong' }, 401, 'invalid_client', 7000215],
      [{ client_id: randomUUID() }, 400, 'unauthorized_client', 700016],
      [{ scope: 'User.Read.All' }, 400, 'invalid_scope', 1002012],
    ])('refuses %o with %i %s (AADSTS%i) in Entra ID’s error shape', async (form, status, error, code) => {
      const res = await token(sandbox, form);
      expect(res.status).toBe(status);
      const body = (await res.json()) as { error: string; error_description: string; error_codes: number[] };
      expect(body.error).toBe(error);
      expect(body.error_codes).toEqual([code]);
      expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: .*Trace ID: .*Correlation ID: `));
    });

    it('does not know other tenants', async () => {
      const res = await fetch(`${sandbox.authorityHost}/${randomUUID()}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_APP_CLIENT_ID }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error_codes: number[] }).error_codes).toEqual([90002]);
    });
  });

  describe('as Microsoft Graph', () => {
    it('refuses a request without a token with 401 InvalidAuthenticationToken in Graph’s error shape', async () => {
      const res = await fetch(`${sandbox.graphEndpoint}/v1.0/users`);
      expect(res.status).toBe(401);
      const body = (await res.json()) as {
        error: { code: string; message: string; innerError: Record<string, string> };
      };
      expect(body.error.code).toBe('InvalidAuthenticationToken');
      expect(body.error.innerError['request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      expect(res.headers.get('request-id')).toBeTruthy();
    });

    it('refuses a forged token', async () => {
      const [h, p] = bearer.split('.');
      const res = await fetch(`${sandbox.graphEndpoint}/v1.0/users`, {
        headers: { Authorization: `Bearer ${h}.${p}.AAAA` },
      });
      expect(res.status).toBe(401);
    });

    it('answers 404 Request_ResourceNotFound for an unknown user, on v1.0 and beta', async () => {
      for (const version of ['v1.0', 'beta']) {
        const res = await graph(`/${version}/users/${randomUUID()}`);
        expect(res.status).toBe(404);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
          'Request_ResourceNotFound',
        );
      }
    });

    it('filters by userPrincipalName, mail and startswith(displayName)', async () => {
      const q = encodeURIComponent("startswith(displayName,'adele') or mail eq 'leeg@contoso.com'");
      const res = await graph(`/v1.0/users?$filter=${q}&$select=displayName`);
      const body = (await res.json()) as { value: { displayName: string }[] };
      expect(body.value.map((u) => u.displayName).sort()).toEqual(['Adele Vance', 'Adele Varga', 'Lee Gu']);
      expect(Object.keys(body.value[0]!)).toEqual(['displayName']);
    });

    const names = async (res: Response) => {
      expect(res.status).toBe(200);
      return ((await res.json()) as { value: { displayName: string }[] }).value
        .map((u) => u.displayName)
        .sort();
    };
    const errorOf = async (res: Response) => ({
      status: res.status,
      code: ((await res.json()) as { error: { code: string } }).error.code,
    });

    it("parses $filter as OData after URL-decoding: ' or ' inside a string literal is data (defect: literals were split on ' or ')", async () => {
      const q = encodeURIComponent(
        "mail eq 'x'' or 1 eq 1 or mail eq ''y' or userPrincipalName eq 'x'' or 1 eq 1'",
      );
      expect(await names(await graph(`/v1.0/users?$filter=${q}`))).toEqual([]);
      const grouped = encodeURIComponent(
        "(startswith(displayName,'adele') and mail eq 'ADELEV@contoso.com') or id eq 'nobody'",
      );
      expect(await names(await graph(`/v1.0/users?$filter=${grouped}`))).toEqual(['Adele Vance']);
    });

    it('decodes the query string as Graph does: %27 is a quote, %2B a plus, an unencoded + a space', async () => {
      expect(await names(await graph('/v1.0/users?$filter=mail%20eq%20%27leeg%40contoso.com%27'))).toEqual([
        'Lee Gu',
      ]);
      expect(await names(await graph("/v1.0/users?$filter=mail+eq+'leeg%40contoso.com'"))).toEqual([
        'Lee Gu',
      ]);
      expect(await names(await graph("/v1.0/users?$filter=mail%20eq%20'lee%2Bg%40contoso.com'"))).toEqual([]);
    });

    it.each([
      ["mail eq 'x"],
      ["mail eq 'x' or"],
      ["mail eq 'x' garbage"],
      ['1 eq 1'],
      ["jobTitle eq 'x'"],
      ["startswith(displayName,'a'"],
    ])('answers 400 to the malformed or unsupported $filter %j', async (filter) => {
      const res = await graph(`/v1.0/users?$filter=${encodeURIComponent(filter)}`);
      expect((await errorOf(res)).status).toBe(400);
    });

    it('refuses a query option given twice, as Graph does (a split query string must not pass unnoticed)', async () => {
      expect(await errorOf(await graph('/v1.0/users?$top=1&$top=999'))).toEqual({
        status: 400,
        code: 'BadRequest',
      });
    });

    it('parses $search clauses joined by AND and OR, and refuses anything else', async () => {
      const search = (s: string) =>
        graph(`/v1.0/users?$search=${encodeURIComponent(s)}`, { headers: { ConsistencyLevel: 'eventual' } });
      expect(await names(await search('"displayName:adele" AND "displayName:vance"'))).toEqual([
        'Adele Vance',
      ]);
      expect(await names(await search('"displayName:lee" OR "displayName:nestor"'))).toEqual([
        'Lee Gu',
        'Nestor Wilke',
      ]);
      expect(await names(await search('"displayName:a&$top=999"'))).toEqual([]);
      for (const bad of [
        '"displayName:adele',
        '"displayName:a" junk',
        'displayName:adele',
        '"displayName:a" OR',
      ]) {
        expect({ bad, ...(await errorOf(await search(bad))) }).toEqual({
          bad,
          status: 400,
          code: 'Request_UnsupportedQuery',
        });
      }
    });

    it('requires ConsistencyLevel: eventual for $search, as Graph does', async () => {
      const search = encodeURIComponent('"displayName:adele"');
      const without = await graph(`/v1.0/users?$search=${search}`);
      expect(without.status).toBe(400);
      expect(((await without.json()) as { error: { code: string } }).error.code).toBe(
        'Request_UnsupportedQuery',
      );
      const withHeader = await graph(`/v1.0/users?$search=${search}&$count=true`, {
        headers: { ConsistencyLevel: 'eventual' },
      });
      expect(((await withHeader.json()) as { '@odata.count': number })['@odata.count']).toBe(2);
    });

    it('answers 403 Authorization_RequestDenied when the token lacks the permission', async () => {
      const isolated = await startSandbox();
      try {
        isolated.setAppRoles(DEMO_APP_CLIENT_ID, ['User.Read.All']);
        const t = await accessToken(isolated);
        const res = await fetch(`${isolated.graphEndpoint}/v1.0/users/${ADELE}/exportPersonalData`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ storageLocation: 'https://example.blob.core.windows.net/c?sig=x' }),
        });
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
          'Authorization_RequestDenied',
        );
      } finally {
        await isolated.close();
      }
    });
  });

  describe('fault injection', () => {
    it('answers 429 with Retry-After for the chosen calls, a given number of times', async () => {
      const remove = sandbox.inject({
        method: 'GET',
        path: '/users/',
        status: 429,
        retryAfterSeconds: 3,
        times: 1,
      });
      const first = await graph(`/v1.0/users/${ADELE}`);
      expect(first.status).toBe(429);
      expect(first.headers.get('Retry-After')).toBe('3');
      expect(((await first.json()) as { error: { code: string } }).error.code).toBe('TooManyRequests');
      expect((await graph(`/v1.0/users/${ADELE}`)).status).toBe(200);
      remove();
    });

    it('answers 503 in Graph’s error shape until the rule is removed', async () => {
      const remove = sandbox.inject({ path: /checkMemberObjects$/, status: 503 });
      const call = () =>
        graph(`/v1.0/users/${ADELE}/checkMemberObjects`, {
          method: 'POST',
          body: JSON.stringify({ ids: [] }),
        });
      for (let i = 0; i < 2; i++) {
        const res = await call();
        expect(res.status).toBe(503);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ServiceUnavailable');
      }
      remove();
      expect((await call()).status).toBe(200);
    });

    it('can drop the connection after the export was accepted (the caller cannot know)', async () => {
      const container = await newContainer();
      const before = sandbox.operations.size;
      sandbox.inject({ method: 'POST', path: /exportPersonalData$/, drop: 'after', times: 1 });
      await expect(
        graph(`/v1.0/users/${ADELE}/exportPersonalData`, {
          method: 'POST',
          body: JSON.stringify({ storageLocation: await sasFor(container, 'cw') }),
        }),
      ).rejects.toThrow();
      await waitFor(() => sandbox.operations.size === before + 1, 'the operation to exist');
      expect(sandbox.requests.at(-1)?.status).toBe(-1);
    });

    it('can slow an answer down', async () => {
      sandbox.inject({ method: 'GET', path: `/users/${ADELE}`, delayMs: 300, times: 1 });
      const started = Date.now();
      expect((await graph(`/v1.0/users/${ADELE}`)).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });
  });
});

describe('the certificate credential against the sandbox', () => {
  it('gets a token with a client assertion signed by a registered certificate', async () => {
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'dsr-bot-test' }], {
      keySize: 2048,
    });
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const certPath = path.join(mkdtempSync(path.join(tmpdir(), 'cert-')), 'app.pem');
    writeFileSync(certPath, `${pems.private}\n${pems.cert}`);
    const tenant = { ...DEMO_TENANT, apps: [{ ...DEMO_APP, certificates: [pems.cert] }] };
    const sandbox = await startSandbox({ tenant });
    try {
      const env = sandboxEnv(sandbox);
      delete (env as Record<string, string | undefined>).AAD_APP_CLIENT_SECRET;
      const config = readConfig({ ...env, AAD_APP_CERTIFICATE_PATH: certPath });
      expect(config.auth.credential.kind).toBe('certificate');
      const directory = new GraphDirectory(createGraphClient(config, createGraphCredential(config)), {
        graph: config.graph.endpoint,
        authority: config.auth.authorityHost,
      });
      expect((await directory.findUser(ADELE))?.displayName).toBe('Adele Vance');

      const other = await selfsigned.generate([{ name: 'commonName', value: 'stranger' }], { keySize: 2048 });
      writeFileSync(certPath, `${other.private}\n${other.cert}`);
      const stranger = readConfig({ ...env, AAD_APP_CERTIFICATE_PATH: certPath });
      const err = await new GraphDirectory(createGraphClient(stranger, createGraphCredential(stranger)), {
        graph: stranger.graph.endpoint,
        authority: stranger.auth.authorityHost,
      })
        .findUser(ADELE)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toMatchObject({ source: 'authority', code: 'AADSTS700027' });
    } finally {
      await sandbox.close();
    }
  });

  it('names AAD_APP_CERTIFICATE_PATH when the file cannot be read', () => {
    const config = readConfig({
      AAD_APP_TENANT_ID: DEMO_TENANT_ID,
      AAD_APP_CLIENT_ID: DEMO_APP_CLIENT_ID,
      AAD_APP_CERTIFICATE_PATH: '/nonexistent/app.pem',
    });
    expect(() => createGraphCredential(config)).toThrow(
      /^AAD_APP_CERTIFICATE_PATH: cannot read \/nonexistent\/app.pem \(ENOENT\)/,
    );
  });
});
