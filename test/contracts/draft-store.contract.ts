import { AlreadyExistsError, StaleWriteError, type DraftStore } from '../../src/domain/ports';
import { draft } from './fixtures';

/**
 * What every DraftStore promises (ports.ts): create never overwrites, replace only at the version read, so a
 * click delivered twice acts once.
 */
export function describeDraftStoreContract(
  name: string,
  makeStore: () => DraftStore | Promise<DraftStore>,
): void {
  describe(`the DraftStore contract: ${name}`, () => {
    it('creates a draft, hands back its version, and reads it back at that version', async () => {
      const store = await makeStore();
      const created = await store.create(draft('d1'));
      expect(created.value).toEqual(draft('d1'));
      expect(await store.get('d1')).toEqual({ value: draft('d1'), etag: created.etag });
    });

    it('answers undefined for a draft it does not hold', async () => {
      const store = await makeStore();
      expect(await store.get('nope')).toBeUndefined();
    });

    it('refuses to create a draft whose id is taken, with AlreadyExistsError, and keeps the first', async () => {
      const store = await makeStore();
      await store.create(draft('d1', 'choosing'));
      await expect(store.create(draft('d1', 'confirming'))).rejects.toBeInstanceOf(AlreadyExistsError);
      expect((await store.get('d1'))?.value.stage).toBe('choosing');
    });

    it('replaces a draft at its version and gives a new one; the old version is then stale', async () => {
      const store = await makeStore();
      const created = await store.create(draft('d1'));
      const written = await store.replace(draft('d1', 'confirming'), created.etag);
      expect(written.etag).not.toBe(created.etag);
      expect(await store.get('d1')).toEqual({ value: draft('d1', 'confirming'), etag: written.etag });
      await expect(store.replace(draft('d1', 'cancelled'), created.etag)).rejects.toBeInstanceOf(
        StaleWriteError,
      );
      expect((await store.get('d1'))?.value.stage).toBe('confirming');
    });

    it('lets one of two clicks on the same draft version act (the other gets StaleWriteError)', async () => {
      const store = await makeStore();
      const created = await store.create(draft('d1'));
      const results = await Promise.allSettled([
        store.replace(draft('d1', 'submitting'), created.etag),
        store.replace(draft('d1', 'cancelled'), created.etag),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(StaleWriteError);
    });

    it('refuses to replace a draft that does not exist with StaleWriteError', async () => {
      const store = await makeStore();
      const created = await store.create(draft('d1'));
      await expect(store.replace(draft('d2'), created.etag)).rejects.toBeInstanceOf(StaleWriteError);
      expect(await store.get('d2')).toBeUndefined();
    });
  });
}
