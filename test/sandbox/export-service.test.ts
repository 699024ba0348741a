import { randomUUID } from 'node:crypto';
import { AccountSASPermissions, type BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { DEMO_APP_CLIENT_ID, DEMO_APP_CLIENT_SECRET, DEMO_TENANT_ID } from '../../sandbox/demo-tenant';
import type { SandboxOptions, TenantSandbox } from '../../sandbox/tenant-sandbox';
import { BlobExportDestinations } from '../../src/adapters/storage/export-destination';
import { startSandbox, testStorageConnectionString } from '../support/sandbox';
import { blobNames, blobService, newContainer, policySasFor, sasFor } from './containers';

const ADELE = 'c0a70500-0000-4000-8000-000000000102';
const LEE = 'c0a70500-0000-4000-8000-000000000108';

interface GraphErrorBody {
  error: { code: string; message: string; innerError: Record<string, string> };
}

/** A client of one sandbox: its token, a POST of exportPersonalData and a GET of an operation. */
async function clientOf(sandbox: TenantSandbox) {
  const res = await fetch(`${sandbox.authorityHost}/${DEMO_TENANT_ID}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: DEMO_APP_CLIENT_ID,
      client_secret: DEMO_APP_CLIENT_SECRET,
      scope: `${sandbox.graphEndpoint}/.default`,
    }),
  });
  const bearer = ((await res.json()) as { access_token: string }).access_token;
  const headers = { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' };
  return {
    submit: (storageLocation: string | undefined, user = ADELE) =>
      fetch(`${sandbox.graphEndpoint}/v1.0/users/${user}/exportPersonalData`, {
        method: 'POST',
        headers,
        body: JSON.stringify(storageLocation === undefined ? {} : { storageLocation }),
      }),
    get: (urlOrId: string) =>
      fetch(
        urlOrId.startsWith('https:')
          ? urlOrId
          : `${sandbox.graphEndpoint}/v1.0/dataPolicyOperations/${urlOrId}`,
        {
          headers,
        },
      ),
  };
}

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as GraphErrorBody;
  return { status: res.status, code: body.error.code, message: body.error.message };
}

async function operationOf(res: Response) {
  expect(res.status).toBe(200);
  return (await res.json()) as {
    id: string;
    status: string;
    progress: unknown;
    userId: string;
    completedDateTime: string | null;
  };
}

async function requestInfoOf(container: ContainerClient) {
  const blob = container.getBlobClient('RequestInfo.json');
  const properties = await blob.getProperties();
  const info = JSON.parse((await blob.downloadToBuffer()).toString('utf8')) as Record<string, unknown>;
  return { blobType: properties.blobType, info };
}

/** Runs `body` against a sandbox started with `options`, closed afterwards. */
async function withSandbox(
  options: Partial<SandboxOptions>,
  body: (sandbox: TenantSandbox, client: Awaited<ReturnType<typeof clientOf>>) => Promise<void>,
): Promise<void> {
  const sandbox = await startSandbox(options);
  try {
    await body(sandbox, await clientOf(sandbox));
  } finally {
    await sandbox.close();
  }
}

describe('exportPersonalData and dataPolicyOperations, as the export service’s code shows', () => {
  let sandbox: TenantSandbox;
  let client: Awaited<ReturnType<typeof clientOf>>;
  beforeAll(async () => {
    sandbox = await startSandbox({ retryAfterSeconds: 7 });
    client = await clientOf(sandbox);
  });
  afterAll(() => sandbox.close());

  it('answers 202 with an empty body, an absolute Location and Retry-After, and RequestInfo.json is already in the container, an append blob naming the operation as CommandId', async () => {
    const container = await newContainer();
    const res = await client.submit(await sasFor(container, 'cw'));
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    expect(res.headers.get('Retry-After')).toBe('7');
    expect(res.headers.get('Operation-Location')).toBeNull();
    const location = res.headers.get('Location')!;
    expect(location).toMatch(new RegExp(`^${sandbox.origin}/v1\\.0/dataPolicyOperations/[0-9a-f-]{36}$`));
    const operationId = location.split('/').at(-1)!;

    expect(await blobNames(container)).toEqual(['RequestInfo.json']);
    const { blobType, info } = await requestInfoOf(container);
    expect(blobType).toBe('AppendBlob');
    expect(Object.keys(info)).toEqual([
      'Description',
      'CorrelationId',
      'CommandId',
      'Subject',
      'Timestamp',
      'RequestGuid',
    ]);
    expect(info).toMatchObject({
      CommandId: operationId,
      Subject: { ObjectId: ADELE, TenantId: DEMO_TENANT_ID },
      Description: expect.stringMatching(/validate that Microsoft has write access/) as unknown,
      Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00$/) as unknown,
    });
    expect(info.RequestGuid).not.toBe(operationId);
    expect(sandbox.operations.get(operationId)).toMatchObject({ status: 'running', userId: ADELE });
  });

  it('reports running until the export is complete, then complete, with progress a fraction from 0 to 1, and writes one folder per product at completion', async () => {
    const container = await newContainer();
    const location = (await client.submit(await sasFor(container, 'cw'))).headers.get('Location')!;
    const seen: { status: string; progress: unknown }[] = [];
    for (let i = 0; i < 5; i++) {
      const poll = await client.get(location);
      const op = await operationOf(poll);
      expect(op.userId).toBe(ADELE);
      seen.push({ status: op.status, progress: op.progress });
      expect(poll.headers.get('Retry-After')).toBe(op.status === 'complete' ? null : '7');
    }
    expect(seen).toEqual([
      { status: 'running', progress: 0 },
      { status: 'running', progress: 0.2 },
      { status: 'running', progress: 0.7 },
      { status: 'complete', progress: 1 },
      { status: 'complete', progress: 1 },
    ]);
    expect(await blobNames(container)).toEqual([
      'AzureAD/profile.json',
      'Exchange/mailbox-summary.json',
      'OneDrive/files.json',
      'RequestInfo.json',
      'Teams/chats.json',
    ]);
    expect((await requestInfoOf(container)).blobType).toBe('AppendBlob'); // written once, at submission
  });

  it('accepts the SAS the bot mints: a service SAS on the container, from a stored access policy, with create and write only', async () => {
    const destinations = new BlobExportDestinations(testStorageConnectionString(), { now: () => new Date() });
    const destination = await destinations.create(`dsr-${randomUUID()}`);
    expect((await client.submit(destination.sasUrl.reveal())).status).toBe(202);
    const container = blobService().getContainerClient(destination.containerName);
    expect(await blobNames(container)).toEqual(['RequestInfo.json']);
  });

  describe('checks the SAS by using it against storage, in the service’s order, each failure a 400 with its own code', () => {
    const refusal = async (storageLocation: string | undefined) => {
      const res = await client.submit(storageLocation);
      return errorOf(res);
    };
    let service: BlobServiceClient;
    beforeAll(() => {
      service = blobService();
    });

    it('refuses a body without a storageLocation, or one that is not a URL, with StorageLocationInvalid', async () => {
      expect(await refusal(undefined)).toEqual({
        status: 400,
        code: 'StorageLocationInvalid',
        message: 'Storage Location is not valid.',
      });
      expect((await refusal('not a url')).code).toBe('StorageLocationInvalid');
    });

    it('refuses a URL without SAS credentials with SharedAccessSignatureTokenInvalid', async () => {
      const container = await newContainer();
      expect(await refusal(container.url)).toMatchObject({
        status: 400,
        code: 'SharedAccessSignatureTokenInvalid',
      });
      expect(await blobNames(container)).toEqual([]);
    });

    it('refuses an account SAS (it has ss=) with StorageLocationNotServiceSAS, before trying anything', async () => {
      const container = await newContainer();
      const accountSas = new URL(
        service.generateAccountSasUrl(
          new Date(Date.now() + 3600_000),
          AccountSASPermissions.parse('cw'),
          'co',
        ),
      );
      expect(accountSas.searchParams.get('ss')).toBe('b');
      expect(await refusal(`${container.url}${accountSas.search}`)).toMatchObject({
        status: 400,
        code: 'StorageLocationNotServiceSAS',
      });
      expect(await blobNames(container)).toEqual([]);
    });

    it('refuses a path that is not exactly one container with StorageLocationNotAzureBlob', async () => {
      const container = await newContainer();
      const sas = new URL(await sasFor(container, 'cw'));
      const deeper = new URL(sas);
      deeper.pathname = `${sas.pathname}/folder`;
      expect(await refusal(deeper.toString())).toMatchObject({ code: 'StorageLocationNotAzureBlob' });
      const accountOnly = new URL(sas);
      accountOnly.pathname = new URL(service.url).pathname;
      expect(await refusal(accountOnly.toString())).toMatchObject({ code: 'StorageLocationNotAzureBlob' });
    });

    it('refuses a list-enabled SAS with StorageLocationShouldNotAllowListAccess, writing nothing', async () => {
      const container = await newContainer();
      expect(await refusal(await sasFor(container, 'cwl'))).toEqual({
        status: 400,
        code: 'StorageLocationShouldNotAllowListAccess',
        message: 'Storage destination should not allow list access.',
      });
      expect(await blobNames(container)).toEqual([]);
      // Listing is tried before reading: a SAS that can do both is refused for listing.
      expect((await refusal(await sasFor(container, 'rwl'))).code).toBe(
        'StorageLocationShouldNotAllowListAccess',
      );
    });

    it('refuses a used container (its RequestInfo.json exists) with StorageLocationAlreadyUsed, leaving the file alone', async () => {
      const used = await newContainer();
      await used.getBlockBlobClient('RequestInfo.json').upload('{"CommandId":"earlier"}', 23);
      expect(await refusal(await sasFor(used, 'cw'))).toMatchObject({
        status: 400,
        code: 'StorageLocationAlreadyUsed',
        message: expect.stringContaining("delete 'RequestInfo.json'") as unknown,
      });
      // Even with read and delete granted: the create fails first, so the read check never runs.
      expect((await refusal(await sasFor(used, 'rwd'))).code).toBe('StorageLocationAlreadyUsed');
      expect((await used.getBlobClient('RequestInfo.json').downloadToBuffer()).toString()).toBe(
        '{"CommandId":"earlier"}',
      );

      const fresh = await newContainer();
      const sas = await sasFor(fresh, 'cw');
      expect((await client.submit(sas)).status).toBe(202);
      expect((await refusal(sas)).code).toBe('StorageLocationAlreadyUsed');
    });

    it('refuses a create-only SAS with StorageLocationNeedsWriteAddPermissions (the file is created but cannot be written)', async () => {
      const container = await newContainer();
      expect(await refusal(await sasFor(container, 'c'))).toEqual({
        status: 400,
        code: 'StorageLocationNeedsWriteAddPermissions',
        message: 'Storage destination does not have write/add permissions.',
      });
      // Creating succeeded before appending failed: the empty file now marks the container as used.
      expect(await blobNames(container)).toEqual(['RequestInfo.json']);
      expect((await refusal(await sasFor(container, 'cw'))).code).toBe('StorageLocationAlreadyUsed');
      // Without create or write nothing is created.
      const other = await newContainer();
      expect((await refusal(await sasFor(other, 'a'))).code).toBe('StorageLocationNeedsWriteAddPermissions');
      expect(await blobNames(other)).toEqual([]);
    });

    it('refuses a read-enabled SAS with StorageLocationShouldNotAllowReadAccess and deletes its RequestInfo.json when it may', async () => {
      const container = await newContainer();
      expect(await refusal(await sasFor(container, 'rwd'))).toEqual({
        status: 400,
        code: 'StorageLocationShouldNotAllowReadAccess',
        message: 'Storage destination should not allow read access.',
      });
      expect(await blobNames(container)).toEqual([]);
      // Without delete the file stays, and the container is used from then on.
      const kept = await newContainer();
      expect((await refusal(await sasFor(kept, 'rw'))).code).toBe('StorageLocationShouldNotAllowReadAccess');
      expect(await blobNames(kept)).toEqual(['RequestInfo.json']);
    });

    it('refuses every check’s failure before creating an operation', async () => {
      const before = sandbox.operations.size;
      const container = await newContainer();
      await refusal(await sasFor(container, 'cwl'));
      await refusal(await sasFor(container, 'c'));
      expect(sandbox.operations.size).toBe(before);
    });

    it('answers StorageLocationInvalid when storage fails otherwise (a container that does not exist)', async () => {
      const container = service.getContainerClient(`dsr-${randomUUID()}`);
      expect((await refusal(await sasFor(container, 'cw'))).code).toBe('StorageLocationInvalid');
    });
  });

  it('simulates a premium block-blob account (no append blobs): StorageLocationShouldSupportAppendBlobs, writing nothing', async () => {
    await withSandbox({ appendBlobs: false }, async (_premium, premiumClient) => {
      const container = await newContainer();
      const res = await premiumClient.submit(await sasFor(container, 'cw'));
      expect(await errorOf(res)).toEqual({
        status: 400,
        code: 'StorageLocationShouldSupportAppendBlobs',
        message: expect.stringContaining('You might be using premium storage') as unknown,
      });
      expect(await blobNames(container)).toEqual([]);
      // The checks before it still run first.
      expect((await errorOf(await premiumClient.submit(await sasFor(container, 'cwl')))).code).toBe(
        'StorageLocationShouldNotAllowListAccess',
      );
    });
  });

  describe('reads an operation by id', () => {
    it('answers 400 OperationNotFound (not 404) for an id it does not know', async () => {
      expect(await errorOf(await client.get(randomUUID()))).toEqual({
        status: 400,
        code: 'OperationNotFound',
        message: 'Cannot find any operations with the input Id.',
      });
    });

    it('answers OperationNotFound for another tenant’s operation', async () => {
      const id = randomUUID();
      sandbox.operations.set(id, {
        id,
        tenantId: randomUUID(),
        userId: ADELE,
        storageLocation: 'https://elsewhere.blob.core.windows.net/c?sig=x',
        submittedDateTime: new Date().toISOString(),
        completedDateTime: null,
        polls: 0,
        status: 'running',
        progress: 0,
      });
      expect((await errorOf(await client.get(id))).code).toBe('OperationNotFound');
    });

    it('answers 400 for an id that is not a GUID', async () => {
      expect(await errorOf(await client.get('not-a-guid'))).toMatchObject({
        status: 400,
        code: 'BadRequest',
      });
    });
  });

  it('completes with a lower success rate, not failed, when the SAS can no longer write at completion (revoked access policy)', async () => {
    await withSandbox(
      { exportSchedule: [{ status: 'running', progress: 0.5 }, { status: 'complete' }] },
      async (_isolated, isolatedClient) => {
        const container = await newContainer();
        const res = await isolatedClient.submit(await policySasFor(container, 'cw'));
        expect(res.status).toBe(202);
        const location = res.headers.get('Location')!;
        expect((await operationOf(await isolatedClient.get(location))).status).toBe('running');
        await container.setAccessPolicy(undefined, []); // revoke
        const done = await operationOf(await isolatedClient.get(location));
        expect(done).toMatchObject({ status: 'complete', progress: 0 });
        expect(done.completedDateTime).not.toBeNull();
        // Only what the service wrote when it took the export; no product data after the revocation.
        expect(await blobNames(container)).toEqual(['RequestInfo.json']);
      },
    );
  });

  describe('options for the documented variants', () => {
    const statuses = async (c: Awaited<ReturnType<typeof clientOf>>, location: string, polls: number) => {
      const seen: { status: string; progress: unknown }[] = [];
      for (let i = 0; i < polls; i++) {
        const op = await operationOf(await c.get(location));
        seen.push({ status: op.status, progress: op.progress });
      }
      return seen;
    };

    it('answers an explicit exportSchedule as given: notStarted, percentages, strings, failed', async () => {
      await withSandbox(
        {
          exportSchedule: [
            { status: 'notStarted' },
            { status: 'running', progress: '40' },
            { status: 'running', progress: 70 },
            { status: 'failed' },
          ],
        },
        async (_s, c) => {
          const location = (await c.submit(await sasFor(await newContainer(), 'cw'))).headers.get(
            'Location',
          )!;
          expect(await statuses(c, location, 5)).toEqual([
            { status: 'notStarted', progress: 0 },
            { status: 'running', progress: '40' },
            { status: 'running', progress: 70 },
            { status: 'failed', progress: 70 },
            { status: 'failed', progress: 70 },
          ]);
        },
      );
    });

    it('shapes the default schedule by variant: notStarted first, 0–100 as strings, ending failed', async () => {
      await withSandbox(
        {
          variant: {
            notStartedFirst: true,
            progressScale: 'percent',
            progressAsString: true,
            finalStatus: 'failed',
          },
        },
        async (_s, c) => {
          const location = (await c.submit(await sasFor(await newContainer(), 'cw'))).headers.get(
            'Location',
          )!;
          expect(await statuses(c, location, 4)).toEqual([
            { status: 'notStarted', progress: '0' },
            { status: 'running', progress: '20' },
            { status: 'running', progress: '70' },
            { status: 'failed', progress: '70' },
          ]);
        },
      );
    });

    it('runs a timed export by the injected clock: running with a growing fraction, then complete at 1 (or notStarted for its first tenth)', async () => {
      let t = Date.now();
      const now = () => new Date(t);
      await withSandbox({ exportDurationMs: 10_000, now }, async (_s, c) => {
        const location = (await c.submit(await sasFor(await newContainer(), 'cw'))).headers.get('Location')!;
        expect(await operationOf(await c.get(location))).toMatchObject({ status: 'running', progress: 0 });
        t += 4_000;
        expect(await operationOf(await c.get(location))).toMatchObject({ status: 'running', progress: 0.4 });
        t += 6_000;
        expect(await operationOf(await c.get(location))).toMatchObject({ status: 'complete', progress: 1 });
      });
      await withSandbox(
        { exportDurationMs: 10_000, now, variant: { notStartedFirst: true, progressScale: 'percent' } },
        async (_s, c) => {
          const location = (await c.submit(await sasFor(await newContainer(), 'cw'))).headers.get(
            'Location',
          )!;
          expect(await operationOf(await c.get(location))).toMatchObject({
            status: 'notStarted',
            progress: 0,
          });
          t += 5_000;
          expect(await operationOf(await c.get(location))).toMatchObject({ status: 'running', progress: 50 });
        },
      );
    });

    it('names the operation in Operation-Location instead of Location, or in both', async () => {
      await withSandbox({ locationHeader: 'Operation-Location' }, async (s, c) => {
        const res = await c.submit(await sasFor(await newContainer(), 'cw'));
        expect(res.status).toBe(202);
        expect(res.headers.get('Location')).toBeNull();
        const location = res.headers.get('Operation-Location')!;
        expect(location).toMatch(new RegExp(`^${s.origin}/v1\\.0/dataPolicyOperations/`));
        expect((await operationOf(await c.get(location))).status).toBe('running');
      });
      await withSandbox({ locationHeader: 'both' }, async (_s, c) => {
        const res = await c.submit(await sasFor(await newContainer(), 'cw'));
        expect(res.headers.get('Location')).toBe(res.headers.get('Operation-Location'));
        expect(res.headers.get('Location')).toBeTruthy();
      });
    });

    it('can leave Retry-After off unfinished operations, as the service’s controller does', async () => {
      await withSandbox({ retryAfterOnOperation: false }, async (_s, c) => {
        const location = (await c.submit(await sasFor(await newContainer(), 'cw'))).headers.get('Location')!;
        const poll = await c.get(location);
        expect((await operationOf(poll)).status).toBe('running');
        expect(poll.headers.get('Retry-After')).toBeNull();
      });
    });
  });

  describe('throttles submissions per subject and per tenant', () => {
    it('answers 429 TooManyRequests with Retry-After once a subject had its POSTs in the window, without touching the container; other subjects pass', async () => {
      let t = Date.now();
      await withSandbox(
        { now: () => new Date(t), postThrottle: { perSubject: 2, windowMs: 60_000 } },
        async (s, c) => {
          expect((await c.submit(await sasFor(await newContainer(), 'cw'))).status).toBe(202);
          t += 10_000;
          expect((await c.submit(await sasFor(await newContainer(), 'cw'))).status).toBe(202);
          const third = await newContainer();
          const throttled = await c.submit(await sasFor(third, 'cw'));
          expect(await errorOf(throttled)).toMatchObject({ status: 429, code: 'TooManyRequests' });
          expect(throttled.headers.get('Retry-After')).toBe('50');
          expect(await blobNames(third)).toEqual([]); // the throttle comes before the storage checks
          expect(s.operations.size).toBe(2);

          expect((await c.submit(await sasFor(await newContainer(), 'cw'), LEE)).status).toBe(202);
          t += 50_000;
          expect((await c.submit(await sasFor(third, 'cw'))).status).toBe(202); // the same container, now
        },
      );
    });

    it('counts the tenant’s POSTs together when a per-tenant limit is set', async () => {
      await withSandbox({ postThrottle: { perTenant: 1, windowMs: 60_000 } }, async (_s, c) => {
        expect((await c.submit(await sasFor(await newContainer(), 'cw'))).status).toBe(202);
        const res = await c.submit(await sasFor(await newContainer(), 'cw'), LEE);
        expect((await errorOf(res)).status).toBe(429);
        expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
      });
    });

    it('keeps fault injection working beside it: an injected 429 on the POST is answered as before', async () => {
      sandbox.inject({
        method: 'POST',
        path: /exportPersonalData$/,
        status: 429,
        retryAfterSeconds: 3,
        times: 1,
      });
      const container = await newContainer();
      const res = await client.submit(await sasFor(container, 'cw'));
      expect(res.status).toBe(429);
      expect(res.headers.get('Retry-After')).toBe('3');
      expect(await blobNames(container)).toEqual([]);
    });
  });
});
