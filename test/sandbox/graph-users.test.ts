import { randomUUID } from 'node:crypto';
import { DEMO_APP_CLIENT_ID } from '../../sandbox/demo-tenant';
import type { TenantSandbox } from '../../sandbox/tenant-sandbox';
import { startSandbox } from '../support/sandbox';
import { accessToken, ADELE, callGraph } from './sandbox-calls';

describe('the tenant sandbox', () => {
  let sandbox: TenantSandbox;
  let bearer: string;
  beforeAll(async () => {
    sandbox = await startSandbox();
    bearer = await accessToken(sandbox);
  });
  afterAll(() => sandbox.close());

  const graph = (path: string, init: RequestInit = {}) => callGraph(sandbox, bearer, path, init);

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
});
