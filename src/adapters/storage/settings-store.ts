import type { ApprovalsChannel, SettingsStore } from '../../domain/ports';
import { TableStore } from './table-store';

/** Bot-wide settings in an Azure Table (one row per setting). */
export class TableSettingsStore implements SettingsStore {
  private readonly table: TableStore<ApprovalsChannel>;

  constructor(connectionString: string, table = 'settings') {
    this.table = TableStore.fromConnectionString<ApprovalsChannel>(connectionString, table);
  }

  async getApprovalsChannel(): Promise<ApprovalsChannel | undefined> {
    return (await this.table.get('settings', 'approvalsChannel'))?.value;
  }

  async setApprovalsChannel(channel: ApprovalsChannel): Promise<void> {
    await this.table.upsert('settings', 'approvalsChannel', channel);
  }
}
