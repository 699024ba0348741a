import type { TenantSandbox } from '../../../sandbox/tenant-sandbox';
import {
  DEMO_APP_CLIENT_ID,
  DEMO_TENANT,
  ROLE,
  type SandboxTenant,
  type SandboxUser,
} from '../../../sandbox/demo-tenant';
import { createGraphClient, createGraphCredential } from '../../../src/adapters/graph/graph-client';
import { GraphDirectory } from '../../../src/adapters/graph/graph-directory';
import { GraphCallError } from '../../../src/adapters/graph/graph-errors';
import { freePort } from '../../../sandbox/embedded-azurite';
import type { Config } from '../../../src/config';
import { sandboxConfig, startSandbox } from '../../support/sandbox';

const ALEX = 'c0a70500-0000-4000-8000-000000000100';
const LYNNE = 'c0a70500-0000-4000-8000-000000000105';
const PATTI = 'c0a70500-0000-4000-8000-000000000104';

function directoryFor(config: Config): GraphDirectory {
  const client = createGraphClient(config, createGraphCredential(config));
  return new GraphDirectory(client, { graph: config.graph.endpoint, authority: config.auth.authorityHost });
}

describe('GraphDirectory against the tenant sandbox (real @azure/identity and Graph client)', () => {
  let sandbox: TenantSandbox;
  let directory: GraphDirectory;

  beforeAll(async () => {
    sandbox = await startSandbox();
    directory = directoryFor(sandboxConfig(sandbox));
  });
  afterAll(() => sandbox.close());

  it('obtains a token from the sandbox authority and attaches it to Graph calls', async () => {
    const user = await directory.findUser(ALEX);
    expect(user).toMatchObject({
      displayName: 'Alex Wilber',
      userPrincipalName: 'alexw@contoso.com',
      department: 'IT',
    });
    const tokenCalls = sandbox.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'));
    expect(tokenCalls.length).toBeGreaterThanOrEqual(1);
    expect(tokenCalls.every((r) => r.status === 200)).toBe(true);
    const graphCall = sandbox.requests.find((r) => r.path === `/v1.0/users/${ALEX}`);
    expect(graphCall?.status).toBe(200);
  });

  it('finds a user by UPN and by mail, case-insensitively, and answers undefined for nobody', async () => {
    expect((await directory.findUser('AdeleV@Contoso.com'))?.displayName).toBe('Adele Vance');
    expect(await directory.findUser("o'brien@contoso.com")).toBeUndefined();
    expect(await directory.findUser('c0a70500-0000-4000-8000-00000000ffff')).toBeUndefined();
  });

  it('searches by display name with ConsistencyLevel: eventual', async () => {
    const found = await directory.searchByDisplayName('adele', 10);
    expect(found.map((u) => u.displayName).sort()).toEqual(['Adele Vance', 'Adele Varga']);
    expect(await directory.searchByDisplayName('"; drop', 10)).toEqual([]);
  });

  it('reports active roles only: a PIM-eligible Global Administrator holds none', async () => {
    const allowed = [ROLE.globalAdministrator, ROLE.complianceAdministrator];
    expect(await directory.heldRoles(ALEX, allowed)).toEqual([ROLE.globalAdministrator]);
    expect(await directory.heldRoles(PATTI, allowed)).toEqual([ROLE.complianceAdministrator]);
    expect(await directory.heldRoles(LYNNE, allowed)).toEqual([]);
  });

  it('says someone the directory does not know holds no role (issue 11: a click by an unknown id was an error)', async () => {
    expect(
      await directory.heldRoles('0badc0de-0000-4000-8000-000000000000', [ROLE.globalAdministrator]),
    ).toEqual([]);
  });

  it('explains a wrong client secret as an Entra ID refusal naming the variable', async () => {
    const wrong = directoryFor(sandboxConfig(sandbox, { AAD_APP_CLIENT_SECRET: 'not-the-secret' }));
    const err = await wrong.findUser(ALEX).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GraphCallError);
    expect(err).toMatchObject({ source: 'authority', code: 'AADSTS7000215' });
    expect((err as Error).message).toMatch(/AAD_APP_CLIENT_SECRET/);
    expect((err as Error).message).not.toContain('not-the-secret');
  });

  it('explains a missing application permission as 403 naming the permission to grant', async () => {
    const isolated = await startSandbox();
    try {
      isolated.setAppRoles(DEMO_APP_CLIENT_ID, ['User.Export.All']);
      const err = await directoryFor(sandboxConfig(isolated))
        .heldRoles(ALEX, [ROLE.globalAdministrator])
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toMatchObject({ source: 'graph', status: 403, code: 'Authorization_RequestDenied' });
      expect((err as Error).message).toMatch(
        /grant the application permission User\.Read\.All and admin consent/,
      );
    } finally {
      await isolated.close();
    }
  });

  it('explains an unreachable Graph as a network failure naming GRAPH_ENDPOINT', async () => {
    const closedPort = await freePort();
    const config = sandboxConfig(sandbox, { GRAPH_ENDPOINT: `https://127.0.0.1:${closedPort}` });
    const err = await directoryFor(config)
      .findUser(ALEX)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toMatchObject({ source: 'network', code: 'ECONNREFUSED' });
    expect((err as Error).message).toMatch(/cannot be reached .*GRAPH_ENDPOINT/);
  });

  it('surfaces Graph throttling with its Retry-After after the client gives up', async () => {
    const remove = sandbox.inject({
      method: 'GET',
      path: `/users/${PATTI}`,
      status: 429,
      retryAfterSeconds: 0,
    });
    try {
      const err = await directory.findUser(PATTI).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ status: 429, code: 'TooManyRequests', retryAfterSeconds: 0 });
    } finally {
      remove();
    }
  });
});

/** A tenant seeded for query hygiene: sign-in names with characters that mean something in a URL or OData. */
function extraUser(n: number, displayName: string, upn: string): SandboxUser {
  return {
    id: `c0a70500-0000-4000-8000-0000000002${String(n).padStart(2, '0')}`,
    displayName,
    givenName: displayName.split(' ')[0]!,
    surname: displayName.split(' ').slice(1).join(' '),
    userPrincipalName: upn,
    mail: upn,
    jobTitle: null,
    department: null,
    activeRoles: [],
    eligibleRoles: [],
  };
}

const PLUS = extraUser(1, 'Adele Dsr', 'adele+dsr@contoso.com');
const QUOTE = extraUser(2, "Conor O'Brien", "o'brien@contoso.com");
const HASH = extraUser(3, 'Hash Tag', 'hash#tag@contoso.com');
const CPP = extraUser(4, 'C++ Guild', 'cppguild@contoso.com');
const HYGIENE_TENANT: SandboxTenant = {
  ...DEMO_TENANT,
  users: [...DEMO_TENANT.users, PLUS, QUOTE, HASH, CPP],
};

describe('GraphDirectory query hygiene: no input widens a $filter or $search (issue 11)', () => {
  let sandbox: TenantSandbox;
  let directory: GraphDirectory;

  beforeAll(async () => {
    sandbox = await startSandbox({ tenant: HYGIENE_TENANT });
    directory = directoryFor(sandboxConfig(sandbox));
  });
  afterAll(() => sandbox.close());

  /** The query options of the last /users list call, as Graph decodes them (URL-decoding, + as space). */
  const lastQuery = () => {
    const call = [...sandbox.requests].reverse().find((r) => r.path === '/v1.0/users');
    return new URLSearchParams(call?.query ?? '');
  };
  const find = (key: string) =>
    directory.findUser(key).then(
      (u) => u?.userPrincipalName,
      (e: unknown) => e,
    );
  const search = (text: string) =>
    directory.searchByDisplayName(text, 10).then(
      (us) => us.map((u) => u.displayName),
      (e: unknown) => e,
    );

  it('finds a sign-in name with + (defect: the unencoded + arrived as a space, so adele+dsr was not found)', async () => {
    expect(await find('adele+dsr@contoso.com')).toBe('adele+dsr@contoso.com');
    expect(lastQuery().get('$filter')).toBe(
      "userPrincipalName eq 'adele+dsr@contoso.com' or mail eq 'adele+dsr@contoso.com'",
    );
    expect(await find('adele dsr@contoso.com')).toBeUndefined();
  });

  it("keeps a quote inside the OData literal: x' or 1 eq 1 or mail eq 'y finds nobody, o'brien is found", async () => {
    expect(await find("x' or 1 eq 1 or mail eq 'y")).toBeUndefined();
    expect(await find("nobody' or startswith(displayName,'A') or mail eq 'x")).toBeUndefined();
    expect(await find("O'Brien@contoso.com")).toBe("o'brien@contoso.com");
  });

  it('sends %27 as data (defect: Graph URL-decoded it into a quote that closed the literal and widened the filter to everyone named A…)', async () => {
    expect(await find('nobody%27 or startswith(displayName,%27A%27) or mail eq %27x')).toBeUndefined();
    expect(await find('%27')).toBeUndefined();
    expect(lastQuery().get('$filter')).toBe("userPrincipalName eq '%27' or mail eq '%27'");
  });

  it('keeps & inside $filter (defect: a&$top=999 split the query string and added a query option)', async () => {
    expect(await find('a&$top=999')).toBeUndefined();
    const q = lastQuery();
    expect(q.getAll('$top')).toEqual(['2']);
    expect(q.getAll('$filter')).toEqual(["userPrincipalName eq 'a&$top=999' or mail eq 'a&$top=999'"]);
  });

  it('keeps # inside $filter (defect: # started a URL fragment and cut the filter off)', async () => {
    expect(await find('hash#tag@contoso.com')).toBe('hash#tag@contoso.com');
    expect(await find('hash#')).toBeUndefined();
  });

  it('answers nobody, not an exception, for text that cannot be URL-encoded (a lone surrogate)', async () => {
    expect(await find('adele\uD800@contoso.com')).toBeUndefined();
    expect(await search('adele\uD800')).toEqual([]);
  });

  it('keeps &, +, # and %27 inside the $search clause (defect: each split, changed or cut the query)', async () => {
    expect(await search('a&$top=999')).toEqual([]);
    let q = lastQuery();
    expect(q.getAll('$top')).toEqual(['10']);
    expect(q.getAll('$search')).toEqual(['"displayName:a&$top=999"']);
    expect(await search('c++')).toEqual(['C++ Guild']);
    expect(lastQuery().get('$search')).toBe('"displayName:c++"');
    expect(await search('hash#')).toEqual([]);
    expect(await search('%27 OR "displayName:adele')).toEqual([]);
    q = lastQuery();
    expect(q.get('$search')).toBe('"displayName:%27 OR displayName:adele"');
  });
});
