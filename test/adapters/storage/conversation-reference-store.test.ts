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

describe('TableConversationReferenceStore serves the home tenant (issue 11)', () => {
  const HOME = 'C0A70500-0000-4000-8000-000000000001';
  const withTenant = (id: string, tenantId: string): Partial<ConversationReference> => ({
    ...ref(id),
    conversation: { id, isGroup: false, conversationType: 'personal', tenantId, name: '' },
  });
  const homeStore = () => {
    const table = TableStore.fromConnectionString<Partial<ConversationReference>>(
      testStorageConnectionString(),
      `refs${randomUUID().replace(/-/g, '').slice(0, 16)}`,
    );
    return new TableConversationReferenceStore(table, HOME.toLowerCase());
  };

  it('keeps no conversation of another tenant (a sideloaded install cannot fill the table)', async () => {
    const store = homeStore();
    const foreign = '99999999-9999-4999-8999-999999999999';
    expect(await store.add(`_${foreign}_a:1`, withTenant('a:1', foreign), { overwrite: true })).toBe(false);
    expect((await store.list()).data).toEqual([]);
  });

  it('finds a reference whatever the case of the tenant id in its key', async () => {
    const store = homeStore();
    await store.add(`_${HOME}_a:Xy1`, withTenant('a:Xy1', HOME), { overwrite: false });
    expect((await store.get(`_${HOME.toLowerCase()}_a:Xy1`))?.conversation?.id).toBe('a:Xy1');
    expect(await store.get(`_${HOME.toLowerCase()}_a:xy1`)).toBeUndefined(); // conversation ids keep their case
  });
});

describe('TableConversationReferenceStore keeps only what a proactive message needs', () => {
  /** A reference as TeamsFx builds it from an attacker's activity: every field of `from` and `conversation`. */
  const hostile = (id: string): Partial<ConversationReference> => ({
    activityId: 'f:1',
    locale: 'en-US',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    user: { id: '29:alex', name: 'A'.repeat(70_000), aadObjectId: 'a1b2c3d4-0000-4000-8000-000000000001' },
    bot: { id: '28:bot', name: 'DSR Export Bot' },
    conversation: Object.assign(
      { id, isGroup: true, conversationType: 'channel', tenantId: 't1', name: 'N'.repeat(70_000) },
      { prototype: ' '.repeat(70_000) },
    ),
  });

  it('stores the ids, type, tenant and serviceUrl of a reference and nothing else, so a huge conversation name cannot fail the turn (regression: PropertyValueTooLarge)', async () => {
    const { store } = newStore();
    expect(await store.add('_t1_e:1', hostile('e:1'), { overwrite: false })).toBe(true);
    expect(await store.get('_t1_e:1')).toEqual({
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      conversation: { id: 'e:1', isGroup: true, conversationType: 'channel', tenantId: 't1' },
      bot: { id: '28:bot' },
      user: { id: '29:alex', aadObjectId: 'a1b2c3d4-0000-4000-8000-000000000001' },
    });
    // Overwriting (TeamsFx does on installationUpdate) stores the same few fields.
    expect(await store.add('_t1_e:1', hostile('e:1'), { overwrite: true })).toBe(true);
    expect(JSON.stringify(await store.get('_t1_e:1')).length).toBeLessThan(400);
  });

  it('drops a field that is not a string of bounded length instead of storing it', async () => {
    const { store } = newStore();
    const reference = hostile('e:2');
    const odd = {
      ...reference,
      serviceUrl: `https://smba.trafficmanager.net/${'x'.repeat(5000)}/`,
      conversation: { ...reference.conversation!, tenantId: { id: 't1' }, isGroup: 'yes' },
      user: { id: 7, aadObjectId: null },
    } as unknown as Partial<ConversationReference>;
    expect(await store.add('_t1_e:2', odd, { overwrite: false })).toBe(true);
    expect(await store.get('_t1_e:2')).toEqual({
      channelId: 'msteams',
      conversation: { id: 'e:2', conversationType: 'channel' },
      bot: { id: '28:bot' },
      user: {},
    });
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
