import { STORAGE_LOCATION_REFUSALS } from '../../src/adapters/graph/storage-location-errors';
import { person } from '../support/activities';
import { cardText } from '../support/cards';
import { startExportHarness, type ExportHarness } from '../support/export-harness';
import { postedCard } from '../support/flows';

jest.setTimeout(180_000);

/** Issue 12: the bot against the export service as its own code shows it (sandbox/export-service.ts). */
describe('the bot against the export service as its code shows it', () => {
  let x: ExportHarness;
  beforeAll(async () => {
    x = await startExportHarness();
  });
  afterEach(() => x.sandbox.clearFaults());
  afterAll(() => x.close());

  it('recovers a lost 202 through the CommandId in RequestInfo.json: one export, one notice, nobody asked to resubmit', async () => {
    x.sandbox.inject({ method: 'POST', path: 'exportPersonalData', drop: 'after', times: 1 });
    const subject = person('Grady Archie');
    const r = await x.approved(subject);
    const followed = await x.stored(r.id);
    expect(followed.status).toBe('exporting');
    const [operation] = x.operationsFor(r.export!.containerName);
    expect(followed.export!.operationUrl).toContain(operation!.id);
    const done = await x.follow(r.id, (q) => q.status === 'completed');
    await x.h.drain();
    expect(x.submissions(subject.id)).toHaveLength(1);
    expect(x.operationsFor(done.export!.containerName)).toHaveLength(1);
    const thread = x.threadTexts(r);
    expect(thread.filter((t) => t.includes('is complete'))).toHaveLength(1);
    expect(thread.some((t) => /Resubmit|I do not know whether/.test(t))).toBe(false);
    expect(x.requesterTexts(r).filter((t) => t.includes('is complete'))).toHaveLength(1);
  });

  it('reports an operation Graph no longer knows (400 OperationNotFound) as a fault, not as a finished export', async () => {
    const r = await x.approved(person('Johanna Lorenz'));
    const op = x.operationsFor(r.export!.containerName)[0]!;
    x.sandbox.inject({ method: 'GET', path: op.id, status: 400, code: 'OperationNotFound' });
    const lost = await x.follow(r.id, (q) => q.status !== 'exporting');
    expect(lost.status).toBe('outcomeUnknown');
    await x.h.drain();
    expect(x.threadTexts(r).some((t) => t.includes('no longer knows the export operation'))).toBe(true);
    expect(x.threadTexts(r).some((t) => t.includes('is complete'))).toBe(false);
    expect(JSON.stringify(postedCard(x.h, r.id))).toContain('Resubmit into a new container');
    expect((await x.audit(r.id)).map((e) => e.action)).not.toContain('export.completed');
  });

  it.each(Object.keys(STORAGE_LOCATION_REFUSALS))(
    'fails a submission refused with %s in words, with the right next step',
    async (code) => {
      x.sandbox.inject({ method: 'POST', path: 'exportPersonalData', status: 400, code, times: 1 });
      const r = await x.approved(person('Nestor Wilke'));
      expect(r.status).toBe('failed');
      expect(r.export!.failure!.code).toBe(code);
      const next =
        STORAGE_LOCATION_REFUSALS[code]!.kind === 'used'
          ? /Retry exports into a new container/
          : /Fix the export account, then choose Retry/;
      expect(r.export!.failure!.message).toMatch(next);
      await x.h.drain();
      expect(x.threadTexts(r).some((t) => t.includes(code) && next.test(t))).toBe(true);
      expect(cardText(postedCard(x.h, r.id))).toContain(`Export failed (${code})`);
    },
  );
});

describe('the export service variants', () => {
  it('follows an export whose 202 names the operation in Operation-Location only', async () => {
    const x = await startExportHarness({ locationHeader: 'Operation-Location' });
    try {
      const r = await x.approved(person('Lee Gu'));
      expect(r.status).toBe('exporting');
      expect(r.export!.operationUrl).toContain(x.operationsFor(r.export!.containerName)[0]!.id);
      expect((await x.follow(r.id, (q) => q.status === 'completed')).export!.progress).toBe(100);
    } finally {
      await x.close();
    }
  });

  it('waits as Retry-After says when Graph throttles exports of one person (429 per subject)', async () => {
    const x = await startExportHarness({ postThrottle: { perSubject: 1, windowMs: 10 * 60_000 } });
    try {
      const subject = person('Diego Siciliani');
      const first = await x.approved(subject);
      const second = await x.approved(subject);
      expect(first.status).toBe('exporting');
      expect(second.status).toBe('approved');
      expect(second.export!.throttled).toBe(1);
      const started = x.clock.now().getTime();
      const exporting = await x.follow(second.id, (q) => q.status === 'exporting');
      expect(x.clock.now().getTime() - started).toBeGreaterThanOrEqual(9 * 60_000);
      expect(exporting.export!.containerName).toBe(second.export!.containerName); // same empty container
      expect(x.submissions(subject.id).map((q) => q.status)).toEqual([202, 429, 202]);
    } finally {
      await x.close();
    }
  });

  it('says in words when the export account has no append blobs (premium block-blob)', async () => {
    const x = await startExportHarness({ appendBlobs: false });
    try {
      const r = await x.approved(person('Isaiah Langer'));
      expect(r.status).toBe('failed');
      expect(r.export!.failure!.code).toBe('StorageLocationShouldSupportAppendBlobs');
      expect(r.export!.failure!.message).toMatch(/general-purpose v2/);
    } finally {
      await x.close();
    }
  });
});
