import { randomUUID } from 'node:crypto';
import {
  AlreadyExistsError,
  StaleWriteError,
  TableStore,
  encodeKey,
} from '../../../src/adapters/storage/table-store';
import { testStorageConnectionString } from '../../support/sandbox';

interface Note {
  text: string;
  n: number;
}

const uniqueTable = () => `t${randomUUID().replace(/-/g, '').slice(0, 20)}`;

describe('TableStore on Azurite', () => {
  const store = TableStore.fromConnectionString<Note>(testStorageConnectionString(), uniqueTable());

  it('creates, reads and replaces a record with its ETag', async () => {
    const created = await store.create('p', 'r1', { text: 'first', n: 1 });
    const read = await store.get('p', 'r1');
    expect(read?.value).toEqual({ text: 'first', n: 1 });
    const updated = await store.replace('p', 'r1', { text: 'second', n: 2 }, read!.etag);
    expect(updated.etag).not.toBe(created.etag);
    expect((await store.get('p', 'r1'))?.value.text).toBe('second');
  });

  it('refuses a stale write and keeps the winning value', async () => {
    await store.create('p', 'r2', { text: 'base', n: 0 });
    const a = await store.get('p', 'r2');
    const b = await store.get('p', 'r2');
    await store.replace('p', 'r2', { text: 'winner', n: 1 }, a!.etag);
    await expect(store.replace('p', 'r2', { text: 'loser', n: 2 }, b!.etag)).rejects.toBeInstanceOf(
      StaleWriteError,
    );
    expect((await store.get('p', 'r2'))?.value).toEqual({ text: 'winner', n: 1 });
  });

  it('never overwrites on create', async () => {
    await store.create('p', 'r3', { text: 'one', n: 1 });
    await expect(store.create('p', 'r3', { text: 'two', n: 2 })).rejects.toBeInstanceOf(AlreadyExistsError);
    expect((await store.get('p', 'r3'))?.value.text).toBe('one');
  });

  it('keeps keys with characters Azure Tables forbid (/ # ? \\) apart', async () => {
    const keys = ['a/b', 'a#b', 'a?b', 'a\\b', '19:abc@thread.tacv2;messageid=1'];
    for (const k of keys) await store.create('p2', k, { text: k, n: 0 });
    for (const k of keys) expect((await store.get('p2', k))?.value.text).toBe(k);
    expect(new Set(keys.map(encodeKey)).size).toBe(keys.length);
  });

  it('deletes, reporting whether the record existed, and pages a partition', async () => {
    for (let i = 0; i < 5; i++) await store.create('p3', `k${i}`, { text: `v${i}`, n: i });
    expect(await store.delete('p3', 'k4')).toBe(true);
    expect(await store.delete('p3', 'k4')).toBe(false);
    const first = await store.page('p3', 3);
    expect(first.values).toHaveLength(3);
    expect(first.continuationToken).toBeDefined();
    const second = await store.page('p3', 3, first.continuationToken);
    expect([...first.values, ...second.values].map((v) => v.n).sort()).toEqual([0, 1, 2, 3]);
  });
});
