import { BlobServiceClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import type { ExportRequest } from '../../src/domain/export-request';
import type { Job } from '../../src/domain/jobs';
import { person } from '../support/activities';
import { startExportHarness, type ExportHarness } from '../support/export-harness';
import { testStorageConnectionString } from '../support/sandbox';

jest.setTimeout(120_000);

/** The tenant sandbox's export service writes one folder per product, and Graph's RequestInfo.json on top. */
const SANDBOX_FOLDERS = ['(top level)', 'AzureAD', 'Exchange', 'OneDrive', 'Teams'];

describe('a completed export is summarised (Azurite, tenant sandbox, moved clock)', () => {
  let x: ExportHarness;
  beforeAll(async () => {
    // The export is complete at the first read of its operation.
    x = await startExportHarness({ exportDurationMs: 0 });
  });
  afterAll(() => x.close());

  const jobQueue = () =>
    new QueueClient(testStorageConnectionString(), `${x.h.tables.requests.replace(/requests$/, '')}jobs`);

  /** Runs the jobs the request waits for, a batch at a time, and stops once it completes: its notices wait. */
  async function completedWithNoticesWaiting(id: string): Promise<ExportRequest> {
    for (let round = 0; round < 50; round++) {
      const r = await x.stored(id);
      if (r.status === 'completed') return r;
      if (r.export?.nextAt) x.clock.set(new Date(r.export.nextAt));
      await x.h.app.worker.runOnce();
    }
    throw new Error(`${id} did not complete`);
  }

  /** The jobs waiting in the bot's queue for one request (every timer is visible: the harness hides none). */
  async function waitingJobs(id: string): Promise<Job[]> {
    const { peekedMessageItems } = await jobQueue().peekMessages({ numberOfMessages: 32 });
    return peekedMessageItems
      .map((m) => (JSON.parse(m.messageText) as { payload: Job }).payload)
      .filter((job) => job.requestId === id);
  }

  it('stores what the container holds (the sandbox’s product folders) and the completion notices carry it', async () => {
    const r = await x.approved(person('Isaiah Langer'));
    expect(r.status).toBe('exporting');
    const done = await completedWithNoticesWaiting(r.id);

    const contents = done.export!.contents!;
    expect(contents.folders.map((f) => f.name)).toEqual(SANDBOX_FOLDERS);
    for (const folder of contents.folders) expect(folder.files).toBe(1);
    expect(contents.files).toBe(5);
    // Kilobytes, as an export's files are, and exactly what the container holds.
    const exchange = contents.folders.find((f) => f.name === 'Exchange')!;
    expect(exchange.bytes).toBeGreaterThan(5000);
    const container = BlobServiceClient.fromConnectionString(
      testStorageConnectionString(),
    ).getContainerClient(done.export!.containerName);
    let listed = 0;
    for await (const blob of container.listBlobsFlat()) listed += blob.properties.contentLength ?? 0;
    expect(contents.bytes).toBe(listed);
    expect(contents.folders.reduce((sum, f) => sum + f.bytes, 0)).toBe(listed);

    const notices = (await waitingJobs(r.id)).filter(
      (j) => (j.type === 'replyInThread' || j.type === 'notifyRequester') && j.key === 'completed-1',
    );
    expect(notices.map((j) => j.type).sort()).toEqual(['notifyRequester', 'replyInThread']);
    for (const job of notices) expect(job).toMatchObject({ notice: { kind: 'exportCompleted', contents } });

    await x.h.drain();
    const completed = (await x.audit(r.id)).find((e) => e.action === 'export.completed');
    expect(completed?.detail).toContain(`(5 files, ${listed} bytes in 5 folders)`);
    expect(x.threadTexts(r).filter((t) => t.startsWith(`The export for ${r.id}`))).toHaveLength(1);
  });
});
