import type { NoticeLog } from '../../domain/notifier';
import { AlreadyExistsError, StaleWriteError, TableStore } from './table-store';

/** The row of a claim to send a notice, beside the notice's own row once sent. */
const claimRow = (key: string) => `sending|${key}`;

/**
 * Notices sent, in an Azure Table (partition = request id, row = notice key; rows are only created), and the
 * claims of the runs sending them (row `sending|key`, with the time the claim runs out).
 */
export class TableNoticeLog implements NoticeLog {
  private readonly table: TableStore<{ at: string }>;
  private readonly claims: TableStore<{ until: string }>;

  constructor(connectionString: string, table = 'notices') {
    this.table = TableStore.fromConnectionString<{ at: string }>(connectionString, table);
    this.claims = TableStore.fromConnectionString<{ until: string }>(connectionString, table);
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

  async claim(requestId: string, key: string, now: string, until: string): Promise<boolean> {
    const row = claimRow(key);
    // Twice at most: a claim released between our create and our read is created again.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.claims.create(requestId, row, { until });
        return true;
      } catch (err) {
        if (!(err instanceof AlreadyExistsError)) throw err;
      }
      const held = await this.claims.get(requestId, row);
      if (!held) continue;
      if (held.value.until > now) return false;
      try {
        await this.claims.replace(requestId, row, { until }, held.etag);
        return true;
      } catch (err) {
        if (err instanceof StaleWriteError) return false; // another run took it over first
        throw err;
      }
    }
    return false;
  }

  async release(requestId: string, key: string): Promise<void> {
    await this.claims.delete(requestId, claimRow(key));
  }
}
