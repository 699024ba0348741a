import { TableClient } from '@azure/data-tables';
import {
  REQUESTS,
  TableRequestStore,
  indexTableFor,
  requestColumns,
} from '../../../src/adapters/storage/request-store';
import { TableStore } from '../../../src/adapters/storage/table-store';
import type { ExportRequest } from '../../../src/domain/export-request';
import { requestAbout, uniqueName } from '../../contracts/fixtures';
import { meganActor } from '../../support/requests';
import { testStorageConnectionString } from '../../support/sandbox';

const dueOn = (id: string, dueDate: string, status: ExportRequest['status'] = 'approved'): ExportRequest => ({
  ...requestAbout(id, 'adele', '2026-11-21T10:00:00.000Z', status),
  dueDate,
});
const ids = (requests: readonly ExportRequest[]) => requests.map((r) => r.id);

/** A store over fresh tables, and raw access to both: writes as a crash, or a store without the index, leaves them. */
function tables() {
  const cs = testStorageConnectionString();
  const name = uniqueName('req');
  const store = () => new TableRequestStore(cs, name);
  // Requests written as the store writes them, without the index (as before it existed).
  const raw = TableStore.fromConnectionString<ExportRequest>(cs, name, requestColumns);
  const index = TableClient.fromConnectionString(cs, indexTableFor(name), { allowInsecureConnection: true });
  const rawReplace = async (request: ExportRequest) => {
    const read = (await raw.get(REQUESTS, request.id))!;
    await raw.replace(REQUESTS, request.id, request, read.etag);
  };
  const hasRow = (partition: string, row: string) =>
    index.getEntity(partition, row).then(
      () => true,
      () => false,
    );
  return { store, raw, index, rawReplace, hasRow };
}

describe('the request index of TableRequestStore on Azurite', () => {
  it('names the index table after the requests table', () => {
    expect(indexTableFor('requests')).toBe('requestindex');
    expect(indexTableFor('b1a2requests')).toBe('b1a2requestindex');
    expect(indexTableFor('req0123')).toBe('req0123index');
  });

  it('skips, then removes, the open row of a request whose clock stopped behind the index (a crash after the write)', async () => {
    const t = tables();
    const store = t.store();
    await store.create(dueOn('DSR-2026-0001', '2026-12-01'));
    await store.create(dueOn('DSR-2026-0002', '2026-12-02'));
    await t.rawReplace(dueOn('DSR-2026-0001', '2026-12-01', 'closed'));
    expect(await store.openRequests(0, 10)).toEqual({
      items: [expect.objectContaining({ id: 'DSR-2026-0002' })],
      total: 2,
    });
    expect(await t.hasRow('open', '2026-12-01|DSR-2026-0001')).toBe(false);
    expect((await store.openRequests(0, 10)).total).toBe(1);
  });

  it('lists an extended request once when the row of its old due date was left behind, and removes that row', async () => {
    const t = tables();
    const store = t.store();
    await store.create(dueOn('DSR-2026-0001', '2026-12-01'));
    const read = (await store.getVersioned('DSR-2026-0001'))!;
    const extension = {
      by: meganActor,
      at: 'x',
      reason: 'complex',
      fromDue: '2026-12-01',
      toDue: '2027-01-01',
    };
    await store.replace({ ...read.value, dueDate: '2027-01-01', extensions: [extension] }, read.etag);
    await t.index.upsertEntity({ partitionKey: 'open', rowKey: '2026-12-01|DSR-2026-0001' });

    const listed = await store.openRequests(0, 10);
    expect(listed.items.map((r) => r.dueDate)).toEqual(['2027-01-01']);
    expect(await store.overdue('2026-12-15', 10)).toEqual([]);
    expect(await t.hasRow('open', '2026-12-01|DSR-2026-0001')).toBe(false);
  });

  it('skips, but keeps, a fresh row whose request is not stored yet (a create in flight)', async () => {
    const t = tables();
    const store = t.store();
    const request = dueOn('DSR-2026-0001', '2026-12-01');
    await t.index.createTable();
    await t.index.upsertEntity({ partitionKey: 'open', rowKey: '2026-12-01|DSR-2026-0001' });
    await t.index.upsertEntity({ partitionKey: 'by-alex', rowKey: 'DSR-2026-0001' });
    expect((await store.openRequests(0, 10)).items).toEqual([]);
    expect((await store.requestedBy('alex', 0, 10)).items).toEqual([]);
    expect(await store.overdue('2027-01-01', 10)).toEqual([]);

    await t.raw.create(REQUESTS, request.id, request); // the create lands
    expect(ids((await store.openRequests(0, 10)).items)).toEqual(['DSR-2026-0001']);
    expect(ids((await store.requestedBy('alex', 0, 10)).items)).toEqual(['DSR-2026-0001']);
  });

  it('removes a requester row that points at someone else’s request (a create refused for a taken id)', async () => {
    const t = tables();
    const store = t.store();
    await store.create(dueOn('DSR-2026-0001', '2026-12-01'));
    await expect(
      store.create({ ...dueOn('DSR-2026-0001', '2026-12-24'), requester: meganActor }),
    ).rejects.toThrow(/already exists/);
    expect(await store.requestedBy('megan', 0, 10)).toEqual({ items: [], total: 1 });
    expect(await store.requestedBy('megan', 0, 10)).toEqual({ items: [], total: 0 });
    expect(ids((await store.openRequests(0, 10)).items)).toEqual(['DSR-2026-0001']);
    expect(ids(await store.findOpenBySubject('adele', 10))).toEqual(['DSR-2026-0001']);
  });

  it('indexes the requests stored before the index existed, on first use', async () => {
    const t = tables();
    await t.raw.create(REQUESTS, 'DSR-2026-0001', dueOn('DSR-2026-0001', '2026-12-20'));
    await t.raw.create(REQUESTS, 'DSR-2026-0002', dueOn('DSR-2026-0002', '2026-11-01', 'delivered'));
    await t.raw.create(REQUESTS, 'DSR-2026-0003', {
      ...dueOn('DSR-2026-0003', '2026-11-10', 'completed'),
      requester: meganActor,
    });
    const store = t.store();
    expect(ids((await store.openRequests(0, 10)).items)).toEqual(['DSR-2026-0003', 'DSR-2026-0001']);
    expect(ids(await store.overdue('2026-12-01', 10))).toEqual(['DSR-2026-0003']);
    expect(ids((await store.requestedBy('alex', 0, 10)).items)).toEqual(['DSR-2026-0002', 'DSR-2026-0001']);
    expect(ids(await store.findOpenBySubject('vance', 10))).toEqual(['DSR-2026-0003', 'DSR-2026-0001']);
  });

  it('builds the index once, with two instances at once, and lists each request once', async () => {
    const t = tables();
    const requests = Array.from({ length: 250 }, (_, i) =>
      dueOn(
        `DSR-2026-${String(i + 1).padStart(4, '0')}`,
        `2026-12-${String((i % 28) + 1).padStart(2, '0')}`,
        i % 5 === 0 ? 'closed' : 'approved',
      ),
    );
    await Promise.all(requests.map((r) => t.raw.create(REQUESTS, r.id, r)));
    const [a, b] = await Promise.all([t.store().openRequests(0, 500), t.store().openRequests(0, 500)]);
    expect(a.total).toBe(200);
    expect(new Set(ids(a.items)).size).toBe(200);
    expect(ids(b.items)).toEqual(ids(a.items));
    expect((await t.store().requestedBy('alex', 0, 10)).total).toBe(250);
    expect(await t.hasRow('meta', 'built-v2')).toBe(true);
  });

  it('lists a page of open requests with one index query and one read per request on the page', async () => {
    const t = tables();
    const store = t.store();
    for (let i = 1; i <= 40; i++) {
      const id = `DSR-2026-${String(i).padStart(4, '0')}`;
      await store.create(dueOn(id, '2026-12-01', i % 8 === 0 ? 'approved' : 'delivered'));
    }
    await store.openRequests(0, 3); // builds (finds the index built) once per instance
    const before = store.storageCalls;
    const page = await store.openRequests(0, 3);
    expect(page.total).toBe(5);
    expect(store.storageCalls - before).toBe(1 + 3);
  });

  it("finds a person's open requests through the open rows: one index query and a read of each of theirs", async () => {
    const t = tables();
    const store = t.store();
    const about = (id: string, subject: string, status: ExportRequest['status']) =>
      requestAbout(id, subject, '2026-11-21T10:00:00.000Z', status);
    await store.create(about('DSR-2026-0001', 'adele', 'approved'));
    await store.create(about('DSR-2026-0002', 'adele', 'delivered'));
    for (let i = 3; i <= 30; i++)
      await store.create(about(`DSR-2026-${String(i).padStart(4, '0')}`, 'isaiah', 'pendingApproval'));
    await store.openForSubject('nobody'); // builds (finds the index built) once per instance
    const before = store.storageCalls;
    expect(ids(await store.openForSubject('ADELE'))).toEqual(['DSR-2026-0001']);
    expect(store.storageCalls - before).toBe(1 + 1);
    // A request that reached the table without its rows is not found by reading every request.
    await t.raw.create(REQUESTS, 'DSR-2026-0099', about('DSR-2026-0099', 'adele', 'pendingApproval'));
    expect(ids(await store.openForSubject('adele'))).toEqual(['DSR-2026-0001']);
  });

  it("counts an open row written before the subject's id was one of its columns", async () => {
    const t = tables();
    const store = t.store();
    const request = requestAbout('DSR-2026-0001', 'adele', '2026-11-21T10:00:00.000Z', 'exporting');
    await store.create(request);
    const row = await t.index.getEntity<Record<string, unknown>>('open', `${request.dueDate}|DSR-2026-0001`);
    const { subjectId, etag, timestamp, ...older } = row;
    expect(subjectId).toBe('adele');
    void etag;
    void timestamp;
    await t.index.upsertEntity({ ...older, partitionKey: 'open', rowKey: row.rowKey ?? '' }, 'Replace');
    expect(ids(await store.openForSubject('adele'))).toEqual(['DSR-2026-0001']);
    expect(await store.openForSubject('isaiah')).toEqual([]);
  });
});
