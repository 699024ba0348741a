import type { NoticeLog } from '../../domain/notifier';
import { AlreadyExistsError, TableStore } from './table-store';

/** Notices sent, in an Azure Table (partition = request id, row = notice key). Rows are only created. */
export class TableNoticeLog implements NoticeLog {
  private readonly table: TableStore<{ at: string }>;

  constructor(connectionString: string, table = 'notices') {
    this.table = TableStore.fromConnectionString<{ at: string }>(connectionString, table);
  }

  async wasSent(requestId: string, key: string): Promise<boolean> {
    return (await this.table.get(requestId, key)) !== undefined;
  }

  async record(requestId: string, key: string, at: string): Promise<boolean> {
    try {
      await this.table.create(requestId, key, { at });
      return true;
    } catch (err) {
      if (err instanceof AlreadyExistsError) return false;
      throw err;
    }
  }
}
