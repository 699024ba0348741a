import type { ExportRequest } from '../../src/domain/export-request';
import type { RequestStore } from '../../src/domain/ports';
import { ALL_STATUSES, alexActor, meganActor } from '../support/requests';
import { requestAbout } from './fixtures';
import type { RequestStoreUnderTest } from './request-store.contract';

/** A request by Alex about Adele whose clock runs (approved), due on `dueDate`. */
const dueOn = (id: string, dueDate: string, status: ExportRequest['status'] = 'approved'): ExportRequest => ({
  ...requestAbout(id, 'adele', '2026-11-21T10:00:00.000Z', status),
  dueDate,
});

const isaiah = {
  id: 'isaiah',
  displayName: 'Isaiah Langer',
  userPrincipalName: 'IsaiahL@contoso.com',
  mail: 'isaiah.langer@contoso.com',
  jobTitle: null,
  department: null,
};

const ids = (requests: readonly ExportRequest[]) => requests.map((r) => r.id);

/**
 * The RequestStore's queries over requests whose legal clock runs and over a requester's requests (ports.ts):
 * by due date with overdue first, newest first, paged with a total, following extensions and stopped clocks.
 * Part of {@link describeRequestStoreContract}.
 */
export function describeRequestQueriesContract(
  name: string,
  makeStore: () => RequestStoreUnderTest | Promise<RequestStoreUnderTest>,
): void {
  describe(`the RequestStore contract, open and requester's requests: ${name}`, () => {
    it('lists the requests whose clock runs by due date, overdue first, a page at a time, with the total', async () => {
      const { store } = await makeStore();
      const statuses = ALL_STATUSES;
      // Due dates run backwards: the last created is due first.
      for (const [i, status] of statuses.entries()) {
        await store.create(dueOn(`DSR-2026-${String(i + 1).padStart(4, '0')}`, `2026-12-${30 - i}`, status));
      }
      const first = await store.openRequests(0, 4);
      expect(first.total).toBe(6);
      expect(first.items.map((r) => r.status)).toEqual([
        'failed',
        'completed',
        'outcomeUnknown',
        'exporting',
      ]);
      expect(first.items.map((r) => r.dueDate)).toEqual([
        '2026-12-25',
        '2026-12-26',
        '2026-12-27',
        '2026-12-28',
      ]);
      const second = await store.openRequests(1, 4);
      expect(second.total).toBe(6);
      expect(second.items.map((r) => r.status)).toEqual(['approved', 'pendingApproval']);
      expect(await store.openRequests(2, 4)).toEqual({ items: [], total: 6 });
    });

    it('orders requests due the same day by id', async () => {
      const { store } = await makeStore();
      await store.create(dueOn('DSR-2026-0002', '2026-12-20'));
      await store.create(dueOn('DSR-2026-0001', '2026-12-20'));
      await store.create(dueOn('DSR-2026-0003', '2026-12-19'));
      expect(ids((await store.openRequests(0, 10)).items)).toEqual([
        'DSR-2026-0003',
        'DSR-2026-0001',
        'DSR-2026-0002',
      ]);
    });

    it('refuses a negative page or an empty page size', async () => {
      const { store } = await makeStore();
      await expect(store.openRequests(-1, 10)).rejects.toBeInstanceOf(RangeError);
      await expect(store.openRequests(0, 0)).rejects.toBeInstanceOf(RangeError);
      await expect(store.requestedBy('alex', 0, 0)).rejects.toBeInstanceOf(RangeError);
    });

    it('moves an extended request to its new due date, and lists it once', async () => {
      const { store, anotherInstance } = await makeStore();
      await store.create(dueOn('DSR-2026-0001', '2026-12-01'));
      await store.create(dueOn('DSR-2026-0002', '2026-12-10'));
      const extend = async (s: RequestStore, toDue: string) => {
        const read = (await s.getVersioned('DSR-2026-0001'))!;
        const fromDue = read.value.dueDate;
        const extension = {
          by: meganActor,
          at: '2026-11-25T10:00:00.000Z',
          reason: 'complex',
          fromDue,
          toDue,
        };
        await s.replace(
          { ...read.value, dueDate: toDue, extensions: [...(read.value.extensions ?? []), extension] },
          read.etag,
        );
      };
      await extend(store, '2026-12-20');
      expect(await store.openRequests(0, 10)).toEqual({
        items: [
          expect.objectContaining({ id: 'DSR-2026-0002' }),
          expect.objectContaining({ id: 'DSR-2026-0001' }),
        ],
        total: 2,
      });
      await extend(anotherInstance(), '2026-12-05');
      expect(ids((await store.openRequests(0, 10)).items)).toEqual(['DSR-2026-0001', 'DSR-2026-0002']);
      expect((await store.openRequests(0, 10)).total).toBe(2);
      expect(ids(await store.overdue('2026-12-08', 10))).toEqual(['DSR-2026-0001']);
    });

    it('drops a request from the open and overdue lists once delivered or closed', async () => {
      const { store } = await makeStore();
      await store.create(dueOn('DSR-2026-0001', '2026-11-01', 'completed'));
      await store.create(dueOn('DSR-2026-0002', '2026-11-02', 'pendingApproval'));
      await store.create(dueOn('DSR-2026-0003', '2026-11-03', 'failed'));
      const stop = async (id: string, status: ExportRequest['status']) => {
        const read = (await store.getVersioned(id))!;
        await store.replace({ ...read.value, status }, read.etag);
      };
      await stop('DSR-2026-0001', 'delivered');
      await stop('DSR-2026-0002', 'closed');
      expect(await store.openRequests(0, 10)).toEqual({
        items: [expect.objectContaining({ id: 'DSR-2026-0003' })],
        total: 1,
      });
      expect(ids(await store.overdue('2026-12-01', 10))).toEqual(['DSR-2026-0003']);
      // Still the requester's.
      expect((await store.requestedBy('alex', 0, 10)).total).toBe(3);
    });

    it('lists the overdue requests (due before today), oldest due date first, at most `max`', async () => {
      const { store } = await makeStore();
      await store.create(dueOn('DSR-2026-0001', '2026-11-30'));
      await store.create(dueOn('DSR-2026-0002', '2026-11-15', 'completed'));
      await store.create(dueOn('DSR-2026-0003', '2026-11-01', 'exporting'));
      await store.create(dueOn('DSR-2026-0004', '2026-12-05'));
      await store.create(dueOn('DSR-2026-0005', '2026-10-01', 'delivered'));
      expect(ids(await store.overdue('2026-11-30', 10))).toEqual(['DSR-2026-0003', 'DSR-2026-0002']);
      expect(ids(await store.overdue('2026-11-30', 1))).toEqual(['DSR-2026-0003']);
      expect(await store.overdue('2026-11-01', 10)).toEqual([]);
      expect(ids(await store.overdue('2027-01-01', 10))).toHaveLength(4);
    });

    it('lists the requests one requester asked for, newest first, a page at a time, whatever their status', async () => {
      const { store } = await makeStore();
      const by = (id: string, requester: typeof alexActor, status: ExportRequest['status'] = 'approved') => ({
        ...dueOn(id, '2026-12-20', status),
        requester,
      });
      await store.create(by('DSR-2026-0002', alexActor));
      await store.create(by('DSR-2025-0999', alexActor, 'closed'));
      await store.create(by('DSR-2026-10000', alexActor, 'rejected'));
      await store.create(by('DSR-2026-0010', alexActor));
      await store.create(by('DSR-2026-0003', meganActor));
      await store.create(by('DSR-2026-0001', alexActor, 'delivered'));
      const first = await store.requestedBy('alex', 0, 3);
      expect(first.total).toBe(5);
      expect(ids(first.items)).toEqual(['DSR-2026-10000', 'DSR-2026-0010', 'DSR-2026-0002']);
      expect(ids((await store.requestedBy('alex', 1, 3)).items)).toEqual(['DSR-2026-0001', 'DSR-2025-0999']);
      expect(ids((await store.requestedBy('megan', 0, 3)).items)).toEqual(['DSR-2026-0003']);
      expect(await store.requestedBy('nobody', 0, 3)).toEqual({ items: [], total: 0 });
      // Entra object ids are GUIDs: however they are spelled, they name the same person.
      expect((await store.requestedBy('ALEX', 0, 10)).total).toBe(5);
    });

    it('finds open requests by a part of the subject’s name, sign-in name or mail, case-insensitive, by due date', async () => {
      const { store } = await makeStore();
      await store.create(dueOn('DSR-2026-0001', '2026-12-20'));
      await store.create(dueOn('DSR-2026-0002', '2026-12-10'));
      await store.create(dueOn('DSR-2026-0003', '2026-12-01', 'closed'));
      await store.create({ ...dueOn('DSR-2026-0004', '2026-12-15'), subject: isaiah });
      expect(ids(await store.findOpenBySubject('VANCE', 10))).toEqual(['DSR-2026-0002', 'DSR-2026-0001']);
      expect(ids(await store.findOpenBySubject('adelev@', 10))).toEqual(['DSR-2026-0002', 'DSR-2026-0001']);
      expect(ids(await store.findOpenBySubject('isaiahl@contoso', 10))).toEqual(['DSR-2026-0004']);
      expect(ids(await store.findOpenBySubject('Isaiah.Langer@', 10))).toEqual(['DSR-2026-0004']);
      expect(ids(await store.findOpenBySubject('contoso.com', 2))).toEqual([
        'DSR-2026-0002',
        'DSR-2026-0004',
      ]);
      expect(await store.findOpenBySubject('megan', 10)).toEqual([]);
    });

    it('answers the index queries of another instance with what this one wrote', async () => {
      const { store, anotherInstance } = await makeStore();
      await store.create(dueOn('DSR-2026-0001', '2026-11-01'));
      const other = anotherInstance();
      expect(ids((await other.openRequests(0, 10)).items)).toEqual(['DSR-2026-0001']);
      await other.create(dueOn('DSR-2026-0002', '2026-10-01'));
      expect(ids(await store.overdue('2026-12-01', 10))).toEqual(['DSR-2026-0002', 'DSR-2026-0001']);
      expect(ids((await store.requestedBy('alex', 0, 10)).items)).toEqual(['DSR-2026-0002', 'DSR-2026-0001']);
    });
  });
}
