import { AlreadyExistsError, StaleWriteError, type Versioned } from '../../../src/domain/ports';

let etagCounter = 0;
const nextEtag = () => `W/"memory-${++etagCounter}"`;

/** A stored copy: values go through JSON as they do in Azure Tables (undefined fields vanish, no aliasing). */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * An in-memory table of JSON records with the concurrency of {@link TableStore}: `create` never overwrites
 * (AlreadyExistsError), `replace` writes only at the stored ETag (StaleWriteError, also for a missing row),
 * every write gives a new ETag. Rows are listed in key order, as Azure Tables lists row keys.
 */
export class MemoryTable<T> {
  private readonly rows = new Map<string, { json: string; etag: string }>();

  constructor(readonly tableName: string) {}

  get(key: string): Versioned<T> | undefined {
    const row = this.rows.get(key);
    return row ? { value: JSON.parse(row.json) as T, etag: row.etag } : undefined;
  }

  create(key: string, value: T): Versioned<T> {
    if (this.rows.has(key)) throw new AlreadyExistsError(this.tableName, key);
    return this.write(key, value);
  }

  replace(key: string, value: T, etag: string): Versioned<T> {
    const row = this.rows.get(key);
    if (!row || row.etag !== etag) throw new StaleWriteError(this.tableName, key);
    return this.write(key, value);
  }

  upsert(key: string, value: T): Versioned<T> {
    return this.write(key, value);
  }

  /** Deletes the row (only at `etag` when given); true when it existed. */
  delete(key: string, etag?: string): boolean {
    const row = this.rows.get(key);
    if (row && etag !== undefined && row.etag !== etag) throw new StaleWriteError(this.tableName, key);
    return this.rows.delete(key);
  }

  /** The stored values, in key order. */
  values(): T[] {
    return [...this.rows.keys()].sort().map((k) => JSON.parse(this.rows.get(k)!.json) as T);
  }

  private write(key: string, value: T): Versioned<T> {
    const json = JSON.stringify(value);
    const etag = nextEtag();
    this.rows.set(key, { json, etag });
    return { value: copy(value), etag };
  }
}
