import { odata } from '@azure/data-tables';
import type { Tombstones } from '../../domain/records-ports';
import type { Tombstone } from '../../domain/request-outcome';
import { AlreadyExistsError } from '../../domain/ports';
import { TableStore } from './table-store';

const PARTITION = 'tombstones';

/**
 * Tombstones in an Azure Table (one partition, row = request id, the received date as a column to filter on).
 * Written once: a repeated deletion writes the same tombstone and keeps the first.
 */
export class TableTombstones implements Tombstones {
  private readonly table: TableStore<Tombstone>;

  constructor(connectionString: string, table = 'tombstones') {
    this.table = TableStore.fromConnectionString<Tombstone>(connectionString, table, (t) => ({
      receivedDate: t.receivedDate,
    }));
  }

  async put(tombstone: Tombstone): Promise<void> {
    try {
      await this.table.create(PARTITION, tombstone.id, tombstone);
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
    }
  }

  async get(id: string): Promise<Tombstone | undefined> {
    return (await this.table.get(PARTITION, id))?.value;
  }

  async receivedBetween(from: string, to: string): Promise<Tombstone[]> {
    const found = await this.table.query(
      PARTITION,
      odata`receivedDate ge ${from} and receivedDate le ${to}`,
      Number.POSITIVE_INFINITY,
    );
    return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
