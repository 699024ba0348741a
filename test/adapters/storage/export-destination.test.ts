import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { ContainerClient } from '@azure/storage-blob';
import {
  BlobExportDestinations,
  ContainerAlreadyExistsError,
  containerNameFor,
} from '../../../src/adapters/storage/export-destination';
import { DEMO_APP_CLIENT_ID, DEMO_APP_CLIENT_SECRET, DEMO_TENANT_ID } from '../../../sandbox/demo-tenant';
import { startSandbox, testStorageConnectionString } from '../../support/sandbox';

const clock = { now: () => new Date() };
const unique = () => containerNameFor(`DSR-2026-${randomUUID().slice(0, 8)}`);

describe('export destinations on Azurite', () => {
  const destinations = new BlobExportDestinations(testStorageConnectionString(), clock);

  it('names containers after the request, within Azure rules, one per retry', () => {
    expect(containerNameFor('DSR-2026-0042')).toBe('dsr-2026-0042');
    expect(containerNameFor('DSR-2026-0042', 2)).toBe('dsr-2026-0042-r2');
    expect(containerNameFor('x/Y_1')).toBe('dsr-x-y-1');
    expect(containerNameFor('DSR-2026-0042')).toMatch(/^[a-z0-9](?:[a-z0-9]|-(?!-))*$/);
  });

  it('creates a fresh container and a create+write SAS that cannot read, list or delete', async () => {
    const name = unique();
    const destination = await destinations.create(name);
    const sas = new URL(destination.sasUrl.reveal());
    expect(sas.searchParams.get('si')).toBe('export');
    expect(sas.searchParams.get('sp')).toBeNull(); // the rights live in the stored access policy
    expect(Date.parse(destination.expiresOn) - Date.now()).toBeGreaterThan(30 * 24 * 3600 * 1000);
    const viaSas = new ContainerClient(destination.sasUrl.reveal());
    await viaSas.getBlockBlobClient('probe.txt').upload('x', 1);
    await expect(viaSas.getBlobClient('probe.txt').download()).rejects.toMatchObject({ statusCode: 403 });
    await expect(viaSas.listBlobsFlat().next()).rejects.toMatchObject({ statusCode: 403 });
    await expect(viaSas.getBlobClient('probe.txt').delete()).rejects.toMatchObject({ statusCode: 403 });
    expect(`${inspect(destination)} ${JSON.stringify(destination)}`).not.toContain(
      sas.searchParams.get('sig')!,
    );
  });

  it('never reuses a container', async () => {
    const name = unique();
    await destinations.create(name);
    await expect(destinations.create(name)).rejects.toBeInstanceOf(ContainerAlreadyExistsError);
  });

  it('revokes the SAS when the export ends', async () => {
    const name = unique();
    const destination = await destinations.create(name);
    const viaSas = new ContainerClient(destination.sasUrl.reveal());
    await viaSas.getBlockBlobClient('before.txt').upload('x', 1);
    await destinations.revoke(name);
    await destinations.revoke(name); // idempotent
    await expect(viaSas.getBlockBlobClient('after.txt').upload('x', 1)).rejects.toMatchObject({
      statusCode: 403,
    });
  });

  it('summarises append blobs, as Graph writes its files, at their size after every append', async () => {
    const name = unique();
    const viaSas = new ContainerClient((await destinations.prepare(name)).sasUrl.reveal());
    const mailbox = viaSas.getAppendBlobClient('Exchange/mailbox.json');
    await mailbox.create();
    await mailbox.appendBlock('a'.repeat(4096), 4096);
    await mailbox.appendBlock('b'.repeat(100), 100);
    await viaSas.getAppendBlobClient('Exchange/empty.json').create();
    expect(await destinations.summarize(name)).toEqual({
      folders: [{ name: 'Exchange', files: 2, bytes: 4196 }],
      files: 2,
      bytes: 4196,
    });
  });

  it('lets Graph (the tenant sandbox) write the export through the SAS, which is the evidence of acceptance', async () => {
    const sandbox = await startSandbox({ exportSchedule: [{ status: 'complete' }] });
    try {
      const name = unique();
      const destination = await destinations.create(name);
      expect((await destinations.findEvidence(name)).found).toBe(false);
      const token = (await (
        await fetch(`${sandbox.authorityHost}/${DEMO_TENANT_ID}/oauth2/v2.0/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: DEMO_APP_CLIENT_ID,
            client_secret: DEMO_APP_CLIENT_SECRET,
            scope: `${sandbox.graphEndpoint}/.default`,
          }),
        })
      ).json()) as { access_token: string };
      const headers = { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' };
      const submitted = await fetch(
        `${sandbox.graphEndpoint}/v1.0/users/c0a70500-0000-4000-8000-000000000102/exportPersonalData`,
        {
          method: 'POST',
          headers,
          body: JSON.stringify({ storageLocation: destination.sasUrl.reveal() }),
        },
      );
      expect(submitted.status).toBe(202);
      const op = (await (await fetch(submitted.headers.get('Location')!, { headers })).json()) as {
        status: string;
      };
      expect(op.status).toBe('complete');
      expect((await destinations.findEvidence(name)).found).toBe(true);
    } finally {
      await sandbox.close();
    }
  });
});

describe('export destinations checked as the export service checks them (issue 12)', () => {
  it('refuses, before any submission, an account without append blobs (premium block-blob)', async () => {
    const premium = new BlobExportDestinations(testStorageConnectionString(), clock, () =>
      Promise.resolve('BlockBlobStorage'),
    );
    await expect(premium.prepare(unique())).rejects.toMatchObject({
      name: 'DestinationUnfitError',
      message: expect.stringMatching(/premium block-blob account[\s\S]*general-purpose v2/) as unknown,
    });
  });
});
