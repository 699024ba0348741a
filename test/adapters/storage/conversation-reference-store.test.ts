import { randomUUID } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import { TableConversationReferenceStore } from '../../../src/adapters/storage/conversation-reference-store';
import { TableStore } from '../../../src/adapters/storage/table-store';
import { testStorageConnectionString } from '../../support/sandbox';

const ref = (
  id: string,
  serviceUrl = 'https://smba.trafficmanager.net/emea/',
): Partial<ConversationReference> => ({
  conversation: { id, isGroup: false, conversationType: 'personal', tenantId: 't1', name: '' },
  serviceUrl,
  channelId: 'msteams',
});

function newStore() {
  const table = TableStore.fromConnectionString<Partial<ConversationReference>>(
    testStorageConnectionString(),
    `refs${randomUUID().replace(/-/g, '').slice(0, 16)}`,
  );
  return { table, store: new TableConversationReferenceStore(table) };
}

describe('TableConversationReferenceStore (TeamsFx store on Azure Tables)', () => {
  it('adds without overwriting unless asked, keeping the serviceUrl Teams sent', async () => {
    const { store } = newStore();
    expect(await store.add('_t1_a:1', ref('a:1'), { overwrite: false })).toBe(true);
    expect(await store.add('_t1_a:1', ref('a:1', 'https://other/'), { overwrite: false })).toBe(false);
    expect((await store.get('_t1_a:1'))?.serviceUrl).toBe('https://smba.trafficmanager.net/emea/');
    expect(
      await store.add('_t1_a:1', ref('a:1', 'https://smba.infra.gcc.teams.microsoft.com/'), {
        overwrite: true,
      }),
    ).toBe(true);
    expect((await store.get('_t1_a:1'))?.serviceUrl).toBe('https://smba.infra.gcc.teams.microsoft.com/');
  });

  it('is shared by instances: a second instance sees what the first stored', async () => {
    const { table, store } = newStore();
    await store.add('_t1_b:1', ref('b:1'), { overwrite: false });
    const other = new TableConversationReferenceStore(table);
    expect(await other.add('_t1_b:1', ref('b:1'), { overwrite: false })).toBe(false);
    expect((await other.list()).data.map((r) => r.conversation?.id)).toEqual(['b:1']);
  });

  it('removes on uninstall and pages the list', async () => {
    const { store } = newStore();
    for (const id of ['c:1', 'c:2', 'c:3']) await store.add(`_t1_${id}`, ref(id), { overwrite: false });
    expect(await store.remove('_t1_c:2', ref('c:2'))).toBe(true);
    expect(await store.remove('_t1_c:2', ref('c:2'))).toBe(false);
    const page1 = await store.list(1);
    expect(page1.data).toHaveLength(1);
    const page2 = await store.list(5, page1.continuationToken);
    expect([...page1.data, ...page2.data].map((r) => r.conversation?.id).sort()).toEqual(['c:1', 'c:3']);
    // Re-adding after removal works (the known-key cache was cleared).
    expect(await store.add('_t1_c:2', ref('c:2'), { overwrite: false })).toBe(true);
  });
});

describe('TableConversationReferenceStore when storage fails', () => {
  it('does not remember a key whose write failed, so the next message stores it (regression)', async () => {
    const { table } = newStore();
    let failures = 1;
    const flaky = Object.create(table) as TableStore<Partial<ConversationReference>>;
    flaky.create = (p, r, v) =>
      failures-- > 0 ? Promise.reject(new Error('ECONNRESET')) : table.create(p, r, v);
    const store = new TableConversationReferenceStore(flaky);
    await expect(store.add('_t1_d:1', ref('d:1'), { overwrite: false })).rejects.toThrow('ECONNRESET');
    expect(await store.add('_t1_d:1', ref('d:1'), { overwrite: false })).toBe(true);
    expect((await store.get('_t1_d:1'))?.conversation?.id).toBe('d:1');
  });
});
