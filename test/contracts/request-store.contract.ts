import type { ExportRequest } from '../../src/domain/export-request';
import { AlreadyExistsError, StaleWriteError, type RequestStore } from '../../src/domain/ports';
import { meganActor } from '../support/requests';
import { requestAbout } from './fixtures';
import { describeRequestQueriesContract } from './request-queries.contract';

export interface RequestStoreUnderTest {
  /** A store over fresh, empty storage. */
  readonly store: RequestStore;
  /** Another instance over the same storage (another bot process). */
  readonly anotherInstance: () => RequestStore;
}

/**
 * What every RequestStore promises (ports.ts): ids unique per year across instances, create never overwrites,
 * replace only at the version read, and the queries the use cases rely on.
 */
export function describeRequestStoreContract(
  name: string,
  makeStore: () => RequestStoreUnderTest | Promise<RequestStoreUnderTest>,
): void {
  describe(`the RequestStore contract: ${name}`, () => {
    it('hands out consecutive ids per year, each year starting at 0001', async () => {
      const { store } = await makeStore();
      expect(await store.nextId(2026)).toBe('DSR-2026-0001');
      expect(await store.nextId(2026)).toBe('DSR-2026-0002');
      expect(await store.nextId(2027)).toBe('DSR-2027-0001');
      expect(await store.nextId(2026)).toBe('DSR-2026-0003');
    });

    it('never hands out one id twice, even to concurrent calls on two instances', async () => {
      const { store, anotherInstance } = await makeStore();
      const instances = [store, anotherInstance()];
      const ids = await Promise.all(Array.from({ length: 16 }, (_, i) => instances[i % 2]!.nextId(2026)));
      expect([...ids].sort()).toEqual(
        Array.from({ length: 16 }, (_, i) => `DSR-2026-${String(i + 1).padStart(4, '0')}`),
      );
    });

    it('stores a new request and reads it back as it was written, nested parts included', async () => {
      const { store } = await makeStore();
      const request: ExportRequest = {
        ...requestAbout('DSR-2026-0001', 'adele', '2026-11-21T10:00:00.000Z', 'approved'),
        decision: { verdict: 'approved', by: meganActor, at: '2026-11-21T11:00:00.000Z', firstAttempt: 1 },
        export: {
          attempt: 1,
          containerName: 'dsr-2026-0001',
          throttled: 0,
          polls: 0,
          pollErrors: 0,
          nextAt: '2026-11-21T11:00:00.000Z',
        },
        outbox: [
          { id: 'e1', at: '2026-11-21T11:00:00.000Z', effect: { type: 'submitExport', attempt: 1, at: 'x' } },
        ],
      };
      await store.create(request);
      expect(await store.get(request.id)).toEqual(request);
      expect((await store.getVersioned(request.id))?.value).toEqual(request);
    });

    it('refuses to create a request whose id is taken, and keeps the first one', async () => {
      const { store } = await makeStore();
      await store.create(requestAbout('DSR-2026-0001', 'adele', '2026-11-21T10:00:00.000Z'));
      await expect(
        store.create(requestAbout('DSR-2026-0001', 'isaiah', '2026-11-22T10:00:00.000Z')),
      ).rejects.toBeInstanceOf(AlreadyExistsError);
      expect((await store.get('DSR-2026-0001'))?.subject.id).toBe('adele');
    });

    it('answers undefined for an id it does not hold', async () => {
      const { store } = await makeStore();
      expect(await store.get('DSR-2026-9999')).toBeUndefined();
      expect(await store.getVersioned('DSR-2026-9999')).toBeUndefined();
    });

    it('replaces a request at the version it was read at, and hands back the new version', async () => {
      const { store } = await makeStore();
      await store.create(requestAbout('DSR-2026-0001', 'adele', '2026-11-21T10:00:00.000Z'));
      const read = (await store.getVersioned('DSR-2026-0001'))!;
      const written = await store.replace({ ...read.value, reference: 'SR-2' }, read.etag);
      expect(written.etag).not.toBe(read.etag);
      expect(written.value.reference).toBe('SR-2');
      const again = (await store.getVersioned('DSR-2026-0001'))!;
      expect(again).toEqual({ value: { ...read.value, reference: 'SR-2' }, etag: written.etag });
      // The new version can be written again.
      await store.replace({ ...again.value, reference: 'SR-3' }, written.etag);
      expect((await store.get('DSR-2026-0001'))?.reference).toBe('SR-3');
    });

    it('refuses a write at a stale version with StaleWriteError, and keeps the other writer’s change', async () => {
      const { store, anotherInstance } = await makeStore();
      await store.create(requestAbout('DSR-2026-0001', 'adele', '2026-11-21T10:00:00.000Z'));
      const other = anotherInstance();
      const mine = (await store.getVersioned('DSR-2026-0001'))!;
      const theirs = (await other.getVersioned('DSR-2026-0001'))!;
      await other.replace({ ...theirs.value, reference: 'theirs' }, theirs.etag);
      await expect(store.replace({ ...mine.value, reference: 'mine' }, mine.etag)).rejects.toBeInstanceOf(
        StaleWriteError,
      );
      expect((await store.get('DSR-2026-0001'))?.reference).toBe('theirs');
    });

    it('lets exactly one of two concurrent writers at the same version win', async () => {
      const { store, anotherInstance } = await makeStore();
      await store.create(requestAbout('DSR-2026-0001', 'adele', '2026-11-21T10:00:00.000Z'));
      const read = (await store.getVersioned('DSR-2026-0001'))!;
      const results = await Promise.allSettled([
        store.replace({ ...read.value, reference: 'a' }, read.etag),
        anotherInstance().replace({ ...read.value, reference: 'b' }, read.etag),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected');
      expect(refused?.reason).toBeInstanceOf(StaleWriteError);
    });

    it('refuses to replace a request that does not exist with StaleWriteError', async () => {
      const { store } = await makeStore();
      await store.create(requestAbout('DSR-2026-0001', 'adele', '2026-11-21T10:00:00.000Z'));
      const read = (await store.getVersioned('DSR-2026-0001'))!;
      await expect(store.replace({ ...read.value, id: 'DSR-2026-0002' }, read.etag)).rejects.toBeInstanceOf(
        StaleWriteError,
      );
      expect(await store.get('DSR-2026-0002')).toBeUndefined();
    });

    it('lists the requests waiting for a decision, oldest first', async () => {
      const { store } = await makeStore();
      await store.create(requestAbout('DSR-2026-0001', 'adele', '2026-11-21T10:00:00.000Z'));
      await store.create(requestAbout('DSR-2026-0002', 'isaiah', '2026-11-19T10:00:00.000Z'));
      await store.create(requestAbout('DSR-2026-0003', 'lee', '2026-11-18T10:00:00.000Z', 'approved'));
      await store.create(requestAbout('DSR-2026-0004', 'lee', '2026-11-20T10:00:00.000Z'));
      await store.create(requestAbout('DSR-2026-0005', 'lee', '2026-11-17T10:00:00.000Z', 'expired'));
      expect((await store.pending()).map((r) => r.id)).toEqual([
        'DSR-2026-0002',
        'DSR-2026-0004',
        'DSR-2026-0001',
      ]);
    });

    it('lists the open requests of one subject only, oldest first', async () => {
      const { store } = await makeStore();
      const statuses: ExportRequest['status'][] = [
        'pendingApproval',
        'approved',
        'exporting',
        'outcomeUnknown',
        'completed',
        'failed',
        'rejected',
        'cancelled',
        'expired',
      ];
      for (const [i, status] of statuses.entries()) {
        const id = `DSR-2026-${String(i + 1).padStart(4, '0')}`;
        await store.create(requestAbout(id, 'adele', `2026-11-${String(28 - i)}T10:00:00.000Z`, status));
      }
      await store.create(requestAbout('DSR-2026-0100', 'isaiah', '2026-11-01T10:00:00.000Z'));
      await store.create(requestAbout('DSR-2026-0101', "o'brien", '2026-11-01T10:00:00.000Z'));
      expect((await store.openForSubject('adele')).map((r) => r.status)).toEqual([
        'outcomeUnknown',
        'exporting',
        'approved',
        'pendingApproval',
      ]);
      expect((await store.openForSubject("o'brien")).map((r) => r.id)).toEqual(['DSR-2026-0101']);
      expect(await store.openForSubject('nobody')).toEqual([]);
    });

    it('lists the requests whose outbox still holds effects, at most `max`, and forgets them once cleared', async () => {
      const { store } = await makeStore();
      const waiting = (id: string): ExportRequest => ({
        ...requestAbout(id, 'adele', '2026-11-21T10:00:00.000Z'),
        outbox: [{ id: `${id}-e1`, effect: { type: 'postApprovalCard' } }],
      });
      await store.create(waiting('DSR-2026-0001'));
      await store.create(waiting('DSR-2026-0002'));
      await store.create({
        ...requestAbout('DSR-2026-0003', 'adele', '2026-11-21T10:00:00.000Z'),
        outbox: [],
      });
      await store.create(requestAbout('DSR-2026-0004', 'adele', '2026-11-21T10:00:00.000Z'));
      expect((await store.withPendingEffects()).sort()).toEqual(['DSR-2026-0001', 'DSR-2026-0002']);
      expect(await store.withPendingEffects(1)).toHaveLength(1);

      const read = (await store.getVersioned('DSR-2026-0001'))!;
      await store.replace({ ...read.value, outbox: [] }, read.etag);
      expect(await store.withPendingEffects()).toEqual(['DSR-2026-0002']);
    });
  });

  describeRequestQueriesContract(name, makeStore);
}
