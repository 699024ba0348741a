import type { TenantSandbox } from '../../../sandbox/tenant-sandbox';
import { DEMO_APP_CLIENT_ID, ROLE } from '../../../sandbox/demo-tenant';
import { createGraphClient, createGraphCredential } from '../../../src/adapters/graph/graph-client';
import { GraphDirectory } from '../../../src/adapters/graph/graph-directory';
import { GraphCallError } from '../../../src/adapters/graph/graph-errors';
import { freePort } from '../../../src/adapters/storage/embedded-azurite';
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
