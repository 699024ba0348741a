import { randomUUID } from 'node:crypto';
import selfsigned from 'selfsigned';
import { DEMO_APP, DEMO_APP_CLIENT_ID, DEMO_TENANT, DEMO_TENANT_ID } from '../../sandbox/demo-tenant';
import type { TenantSandbox } from '../../sandbox/tenant-sandbox';
import { createGraphClient, createGraphCredential } from '../../src/adapters/graph/graph-client';
import { GraphDirectory } from '../../src/adapters/graph/graph-directory';
import { readConfig } from '../../src/config';
import { sandboxEnv, startSandbox } from '../support/sandbox';
import { ADELE, token } from './sandbox-calls';

describe('the tenant sandbox', () => {
  let sandbox: TenantSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

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
