import { TableClient, odata, type TransactionAction } from '@azure/data-tables';
import type { RecordRemoval } from '../../domain/retention-ports';
import { encodeKey, isLocal } from './table-store';

/** Azure Tables takes at most 100 operations in one entity-group transaction. */
const BATCH = 100;

/**
 * Deletes whole audit trails (retention of records: a tombstone is left elsewhere first). A trail is one
 * partition of the audit table (see TableAuditLog); its rows and its head go, in transactions of up to 100.
 * Safe to repeat: a trail already gone deletes nothing.
 */
export class TableAuditEraser implements Pick<RecordRemoval, 'eraseTrail'> {
  private readonly client: TableClient;

  constructor(connectionString: string, table = 'audit') {
    this.client = TableClient.fromConnectionString(connectionString, table, {
      allowInsecureConnection: isLocal(connectionString),
    });
  }

  async eraseTrail(requestId: string): Promise<number> {
    const partition = encodeKey(requestId);
    const keys: string[] = [];
    const rows = this.client.listEntities({
      queryOptions: { filter: odata`PartitionKey eq ${partition}`, select: ['RowKey'] },
    });
    try {
      for await (const row of rows) keys.push(row.rowKey ?? '');
    } catch (err) {
      // No audit table yet: no trail to erase.
      if ((err as { statusCode?: number }).statusCode === 404) return 0;
      throw err;
    }
    for (let i = 0; i < keys.length; i += BATCH) {
      const actions: TransactionAction[] = keys
        .slice(i, i + BATCH)
        .map((rowKey) => ['delete', { partitionKey: partition, rowKey }]);
      await this.client.submitTransaction(actions);
    }
    return keys.length;
  }
}
