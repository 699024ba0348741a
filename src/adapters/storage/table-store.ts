import { RestError, TableClient, TableServiceClient, odata } from '@azure/data-tables';
import { AlreadyExistsError, StaleWriteError, type Versioned } from '../../domain/ports';

export { AlreadyExistsError, StaleWriteError, type Versioned } from '../../domain/ports';

/** Row and partition keys may not hold / \ # ? or control characters; encode everything else predictably. */
export function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const statusOf = (err: unknown) => (err instanceof RestError ? err.statusCode : undefined);

interface JsonEntity {
  partitionKey: string;
  rowKey: string;
  json: string;
}

/** Extra columns written beside the JSON so that queries can filter on them. */
export type IndexColumns<T> = (value: T) => Record<string, string | number | boolean>;

/**
 * A table of JSON records with optimistic concurrency: `create` never overwrites, `replace` writes only when
 * the ETag still matches (a stale write is refused with {@link StaleWriteError}).
 */
export class TableStore<T> {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly client: TableClient,
    private readonly index: IndexColumns<T> = () => ({}),
  ) {}

  static fromConnectionString<T>(
    connectionString: string,
    table: string,
    index?: IndexColumns<T>,
  ): TableStore<T> {
    return new TableStore<T>(
      TableClient.fromConnectionString(connectionString, table, {
        allowInsecureConnection: isLocal(connectionString),
      }),
      index,
    );
  }

  private entity(partition: string, row: string, value: T): JsonEntity {
    return {
      ...this.index(value),
      partitionKey: encodeKey(partition),
      rowKey: encodeKey(row),
      json: JSON.stringify(value),
    };
  }

  get tableName(): string {
    return this.client.tableName;
  }

  /** Creates the table when it does not exist (idempotent, once per instance). */
  ensureTable(): Promise<void> {
    this.ready ??= this.client.createTable().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  async get(partition: string, row: string): Promise<Versioned<T> | undefined> {
    await this.ensureTable();
    try {
      const e = await this.client.getEntity<JsonEntity>(encodeKey(partition), encodeKey(row));
      return { value: JSON.parse(e.json) as T, etag: e.etag };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  async create(partition: string, row: string, value: T): Promise<Versioned<T>> {
    await this.ensureTable();
    try {
      const r = await this.client.createEntity<JsonEntity>(this.entity(partition, row, value));
      return { value, etag: r.etag ?? '' };
    } catch (err) {
      if (statusOf(err) === 409) throw new AlreadyExistsError(this.tableName, `${partition}/${row}`);
      throw err;
    }
  }

  /** Writes `value` only if the stored record still has `etag`. */
  async replace(partition: string, row: string, value: T, etag: string): Promise<Versioned<T>> {
    await this.ensureTable();
    try {
      const r = await this.client.updateEntity<JsonEntity>(this.entity(partition, row, value), 'Replace', {
        etag,
      });
      return { value, etag: r.etag ?? '' };
    } catch (err) {
      const status = statusOf(err);
      if (status === 412 || status === 404) throw new StaleWriteError(this.tableName, `${partition}/${row}`);
      throw err;
    }
  }

  /** Writes `value` whatever is stored (for data with a single writer, such as conversation references). */
  async upsert(partition: string, row: string, value: T): Promise<void> {
    await this.ensureTable();
    await this.client.upsertEntity<JsonEntity>(this.entity(partition, row, value), 'Replace');
  }

  /**
   * Deletes the record; true when it existed. With `etag`, only at that version: a record changed since rejects
   * with StaleWriteError.
   */
  async delete(partition: string, row: string, etag?: string): Promise<boolean> {
    await this.ensureTable();
    try {
      await this.client.deleteEntity(encodeKey(partition), encodeKey(row), etag ? { etag } : {});
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      if (statusOf(err) === 412) throw new StaleWriteError(this.tableName, `${partition}/${row}`);
      throw err;
    }
  }

  /**
   * Records of a partition matching an OData filter on the index columns (build it with `odata`), in
   * row-key order, at most `max`.
   */
  async query(partition: string, filter: string, max = 1000): Promise<T[]> {
    await this.ensureTable();
    const values: T[] = [];
    const entities = this.client.listEntities<JsonEntity>({
      queryOptions: {
        filter: `PartitionKey eq '${encodeKey(partition).replace(/'/g, "''")}' and (${filter})`,
      },
    });
    for await (const e of entities) {
      values.push(JSON.parse(e.json) as T);
      if (values.length >= max) break;
    }
    return values;
  }

  /** One page of a partition's records, in row-key order. */
  async page(
    partition: string,
    pageSize: number,
    continuationToken?: string,
  ): Promise<{ values: T[]; continuationToken: string | undefined }> {
    await this.ensureTable();
    const pages = this.client
      .listEntities<JsonEntity>({ queryOptions: { filter: odata`PartitionKey eq ${encodeKey(partition)}` } })
      .byPage({ maxPageSize: pageSize, ...(continuationToken ? { continuationToken } : {}) });
    const next = await pages.next();
    if (next.done) return { values: [], continuationToken: undefined };
    const page = next.value as JsonEntity[] & { continuationToken?: string };
    return { values: page.map((e) => JSON.parse(e.json) as T), continuationToken: page.continuationToken };
  }
}

/** True for an Azurite/loopback connection string, where plain http is allowed. */
export function isLocal(connectionString: string): boolean {
  return /UseDevelopmentStorage=true|https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i.test(connectionString);
}

/** A probe that resolves when the storage account's table service answers (for /healthz). No retries. */
export function tablePing(connectionString: string): () => Promise<void> {
  const service = TableServiceClient.fromConnectionString(connectionString, {
    allowInsecureConnection: isLocal(connectionString),
    retryOptions: { maxRetries: 0 },
  });
  return async () => {
    await service.getProperties();
  };
}
