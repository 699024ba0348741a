import { randomUUID } from 'node:crypto';
import { DEMO_APP_CLIENT_ID } from '../../../sandbox/demo-tenant';
import type { TenantSandbox } from '../../../sandbox/tenant-sandbox';
import { createGraphClient, createGraphCredential } from '../../../src/adapters/graph/graph-client';
import { GraphExporter } from '../../../src/adapters/graph/graph-exporter';
import { BlobExportDestinations, containerNameFor } from '../../../src/adapters/storage/export-destination';
import type { Config } from '../../../src/config';
import { sandboxConfig, startSandbox, testStorageConnectionString } from '../../support/sandbox';

const ADELE = 'c0a70500-0000-4000-8000-000000000102';
const destinations = new BlobExportDestinations(testStorageConnectionString(), { now: () => new Date() });
const fresh = () => destinations.create(containerNameFor(`DSR-2026-${randomUUID().slice(0, 8)}`));

function exporterFor(config: Config): GraphExporter {
  return new GraphExporter(
    createGraphClient(config, createGraphCredential(config)),
    config.graph.exportApiVersion,
    {
      graph: config.graph.endpoint,
      authority: config.auth.authorityHost,
    },
  );
}

describe('GraphExporter against the tenant sandbox', () => {
  let sandbox: TenantSandbox;
  let exporter: GraphExporter;
  const posts = () =>
    sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/exportPersonalData'));

  beforeAll(async () => {
    sandbox = await startSandbox({
      retryAfterSeconds: 30,
      exportSchedule: [
        { status: 'running', progress: '40' },
        { status: 'complete', progress: 100 },
      ],
    });
    exporter = exporterFor(sandboxConfig(sandbox));
  });
  afterAll(() => sandbox.close());

  it('submits with the application token and reads 202, the absolute Location and Retry-After, then the operation', async () => {
    const outcome = await exporter.submit(ADELE, (await fresh()).sasUrl);
    expect(outcome).toMatchObject({ kind: 'accepted', retryAfterSeconds: 30 });
    if (outcome.kind !== 'accepted') return;
    expect(outcome.operationUrl).toMatch(new RegExp(`^${sandbox.origin}/v1\\.0/dataPolicyOperations/`));
    expect(await exporter.operation(outcome.operationUrl)).toMatchObject({
      status: 'running',
      progress: 40,
      retryAfterSeconds: 30,
    });
    expect(await exporter.operation(outcome.operationUrl)).toMatchObject({
      status: 'complete',
      progress: 100,
      retryAfterSeconds: undefined,
    });
  });

  it('does not let the Graph client retry the POST: a 429 is one request, reported with its Retry-After', async () => {
    const before = posts().length;
    sandbox.inject({
      method: 'POST',
      path: /exportPersonalData$/,
      status: 429,
      retryAfterSeconds: 7,
      times: 3,
    });
    expect(await exporter.submit(ADELE, (await fresh()).sasUrl)).toEqual({
      kind: 'throttled',
      code: 'TooManyRequests',
      retryAfterSeconds: 7,
    });
    expect(posts().length - before).toBe(1);
    sandbox.clearFaults();
  });

  it('reports a 504 as unknown, not as throttling (issue 11: a gateway timeout may hide an export Graph took)', async () => {
    sandbox.inject({
      method: 'POST',
      path: /exportPersonalData$/,
      status: 504,
      code: 'GatewayTimeout',
      times: 1,
    });
    const outcome = await exporter.submit(ADELE, (await fresh()).sasUrl);
    expect(outcome.kind).toBe('unknown');
    sandbox.clearFaults();
  });

  it('reports a connection dropped after the request as unknown (the export may exist), never as a failure to retry', async () => {
    const before = sandbox.operations.size;
    sandbox.inject({ method: 'POST', path: /exportPersonalData$/, drop: 'after', times: 1 });
    expect(await exporter.submit(ADELE, (await fresh()).sasUrl)).toMatchObject({ kind: 'unknown' });
    expect(sandbox.operations.size).toBe(before + 1);
  });

  it('explains refusals: unknown user, used container, missing permission', async () => {
    expect(await exporter.submit(randomUUID(), (await fresh()).sasUrl)).toMatchObject({
      kind: 'refused',
      status: 404,
      code: 'Request_ResourceNotFound',
    });
    const used = await fresh();
    expect((await exporter.submit(ADELE, used.sasUrl)).kind).toBe('accepted');
    expect(await exporter.submit(ADELE, used.sasUrl)).toMatchObject({
      kind: 'refused',
      code: 'StorageLocationAlreadyUsed',
    });
    const isolated = await startSandbox();
    try {
      isolated.setAppRoles(DEMO_APP_CLIENT_ID, ['User.Read.All']);
      const outcome = await exporterFor(sandboxConfig(isolated)).submit(ADELE, (await fresh()).sasUrl);
      expect(outcome).toMatchObject({ kind: 'refused', status: 403, code: 'Authorization_RequestDenied' });
      expect(outcome.kind === 'refused' && outcome.message).toMatch(
        /grant the application permission User\.Export\.All and admin consent/,
      );
    } finally {
      await isolated.close();
    }
  });

  it('uses beta in national clouds', async () => {
    const config = sandboxConfig(sandbox, { AZURE_CLOUD: 'usgov' });
    expect(config.graph.exportApiVersion).toBe('beta');
    const outcome = await exporterFor(config).submit(ADELE, (await fresh()).sasUrl);
    expect(outcome.kind === 'accepted' && outcome.operationUrl).toMatch(/\/beta\/dataPolicyOperations\//);
  });
});
