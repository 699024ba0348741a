import type { ApprovalsChannel, SettingsStore } from '../../src/domain/ports';

const channel = (conversationId: string): ApprovalsChannel => ({
  conversationId,
  teamId: '19:team@thread.tacv2',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  setBy: { aadObjectId: 'megan', name: 'Megan Bowen' },
  setAt: '2026-11-22T09:00:00.000Z',
});

/** What every SettingsStore promises: nothing set at first, then the channel set last. */
export function describeSettingsStoreContract(
  name: string,
  makeStore: () => SettingsStore | Promise<SettingsStore>,
): void {
  describe(`the SettingsStore contract: ${name}`, () => {
    it('has no approvals channel until one is set', async () => {
      const store = await makeStore();
      expect(await store.getApprovalsChannel()).toBeUndefined();
    });

    it('answers the approvals channel set last', async () => {
      const store = await makeStore();
      await store.setApprovalsChannel(channel('19:first@thread.tacv2'));
      expect(await store.getApprovalsChannel()).toEqual(channel('19:first@thread.tacv2'));
      await store.setApprovalsChannel({ ...channel('19:second@thread.tacv2'), teamId: undefined });
      expect((await store.getApprovalsChannel())?.conversationId).toBe('19:second@thread.tacv2');
      expect((await store.getApprovalsChannel())?.teamId).toBeUndefined();
    });
  });
}
