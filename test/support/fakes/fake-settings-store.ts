import type { ApprovalsChannel, SettingsStore } from '../../../src/domain/ports';
import { Faults } from './faults';
import { MemoryTable } from './memory-table';

type SettingsStoreOps = {
  getApprovalsChannel: [];
  setApprovalsChannel: [channel: ApprovalsChannel];
};

/** Bot-wide settings in memory, as {@link TableSettingsStore}: the last channel set wins. */
export class FakeSettingsStore implements SettingsStore {
  readonly faults = new Faults<SettingsStoreOps>();
  private readonly table = new MemoryTable<ApprovalsChannel>('settings');

  async getApprovalsChannel(): Promise<ApprovalsChannel | undefined> {
    await this.faults.check('getApprovalsChannel');
    return this.table.get('approvalsChannel')?.value;
  }

  async setApprovalsChannel(channel: ApprovalsChannel): Promise<void> {
    await this.faults.check('setApprovalsChannel', channel);
    this.table.upsert('approvalsChannel', channel);
  }
}
