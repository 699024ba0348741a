import { createHash } from 'node:crypto';
import {
  RestError,
  TableClient,
  odata,
  type TableServiceClientOptions,
  type TransactionAction,
} from '@azure/data-tables';
import type { AuditEvent } from '../../domain/audit';
import {
  nextLink,
  orderTrail,
  sealOf,
  verifyChain,
  type ChainHead,
  type ChainLink,
  type HashText,
  type StoredAuditRow,
} from '../../domain/audit-chain';
import {
  NO_REQUEST_TRAIL as NO_REQUEST,
  type AuditLog,
  type AuditTrail,
  type TrailHead,
} from '../../domain/ports';
import { encodeKey, isLocal } from './table-store';

/** The head row of a partition: the last entry's sequence number and hash, replaced with every append. */
export const HEAD_ROW = '~head';
/** Appends that lose the race for the head row this many times in a row fail loudly. */
const MAX_ATTEMPTS = 100;

/** SHA-256 of UTF-8 text, as lowercase hex: the audit chain's hash. */
export const sha256: HashText = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** An audit row as stored: the event as JSON, columns to filter on, and the chain fields (absent on old rows). */
type AuditEntity = {
  partitionKey: string;
  rowKey: string;
  json?: string;
  action?: string;
  outcome?: string;
  actorId?: string;
  seq?: number;
  prevHash?: string;
  hash?: string;
};

/** Options of {@link TableAuditLog} beyond its table. */
export interface TableAuditLogOptions {
  /** Extra HTTP pipeline policies, e.g. the storage-call counter of storage-calls.ts (benchmarks). */
  readonly additionalPolicies?: TableServiceClientOptions['additionalPolicies'];
}

const statusOf = (err: unknown) => (err instanceof RestError ? err.statusCode : undefined);

const pad = (seq: number) => String(seq).padStart(10, '0');

function linkOf(e: AuditEntity): ChainLink | undefined {
  return typeof e.seq === 'number' && typeof e.prevHash === 'string' && typeof e.hash === 'string'
    ? { seq: e.seq, prevHash: e.prevHash, hash: e.hash }
    : undefined;
}

/**
 * The audit trail in an Azure Table: one partition per request (events tied to no request, such as a refused
 * requester, share one). Append-only and tamper-evident: every entry carries its sequence number, the hash of
 * its content and the previous entry's hash; a head row (`~head`) holds the last sequence number and hash.
 * An append writes its entry and replaces the head at the ETag it read, in one entity-group transaction, so
 * appends from any number of instances form one gap-free chain (a lost race is retried). Entries are keyed
 * `c~<seq>`, or `once~<key>` with a once-key (a second append with that key conflicts and does nothing).
 */
export class TableAuditLog implements AuditLog {
  private readonly client: TableClient;
  private ready: Promise<void> | undefined;

  constructor(
    connectionString: string,
    table = 'audit',
    private readonly hash: HashText = sha256,
    options: TableAuditLogOptions = {},
  ) {
    this.client = TableClient.fromConnectionString(connectionString, table, {
      allowInsecureConnection: isLocal(connectionString),
      ...(options.additionalPolicies ? { additionalPolicies: options.additionalPolicies } : {}),
    });
  }

  private ensureTable(): Promise<void> {
    this.ready ??= this.client.createTable().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  async append(event: AuditEvent, onceKey?: string): Promise<void> {
    await this.ensureTable();
    const partition = encodeKey(event.requestId ?? NO_REQUEST);
    const onceRow = onceKey === undefined ? undefined : encodeKey(`once~${onceKey}`);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const head = await this.head(partition);
      const seal = head ? '' : await this.sealBeforeChain(partition);
      if (seal === undefined) continue;
      const link = nextLink(this.hash, head?.value, () => seal, event);
      const entry: AuditEntity = {
        partitionKey: partition,
        rowKey: onceRow ?? encodeKey(`c~${pad(link.seq)}`),
        json: JSON.stringify(event),
        action: event.action,
        outcome: event.outcome,
        actorId: event.actor.aadObjectId ?? '',
        ...link,
      };
      const headRow: AuditEntity = {
        partitionKey: partition,
        rowKey: HEAD_ROW,
        seq: link.seq,
        hash: link.hash,
      };
      const actions: TransactionAction[] = [
        ['create', entry],
        head ? ['update', headRow, 'Replace', { etag: head.etag }] : ['create', headRow],
      ];
      try {
        await this.client.submitTransaction(actions);
        return;
      } catch (err) {
        const status = statusOf(err);
        if (status !== 409 && status !== 412) throw err;
        if (onceRow !== undefined && (await this.exists(partition, onceRow))) return;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, attempt * 2)));
      }
    }
    throw new Error(
      `The audit entry ${event.action} for ${event.requestId ?? NO_REQUEST} was not written: ${MAX_ATTEMPTS} ` +
        `attempts in a row lost the race for the trail's head row in table ${this.client.tableName}. ` +
        'Something is appending to this trail in a tight loop; find it in the log before retrying.',
    );
  }

  async list(requestId?: string): Promise<AuditEvent[]> {
    const { rows } = await this.read(requestId);
    return rows.map((r) => r.event).sort((a, b) => a.at.localeCompare(b.at));
  }

  async trail(requestId?: string): Promise<AuditTrail> {
    const { rows, head } = await this.read(requestId);
    return { entries: orderTrail(rows), verification: verifyChain(this.hash, rows, head) };
  }

  /**
   * One query for the head rows of every partition (the service scans the table; three columns come back). A
   * head row without a sequence number and hash is left out: `trail()` reports that trail's head as missing.
   */
  async heads(): Promise<TrailHead[]> {
    await this.ensureTable();
    const heads: TrailHead[] = [];
    const entities = this.client.listEntities<AuditEntity>({
      queryOptions: { filter: odata`RowKey eq ${HEAD_ROW}`, select: ['PartitionKey', 'seq', 'hash'] },
    });
    for await (const e of entities)
      if (typeof e.seq === 'number' && typeof e.hash === 'string')
        heads.push({ trail: decodeURIComponent(e.partitionKey), seq: e.seq, hash: e.hash });
    return heads.sort((a, b) => (a.trail < b.trail ? -1 : a.trail > b.trail ? 1 : 0));
  }

  /** Every row of a partition, and its head. */
  private async read(requestId?: string): Promise<{ rows: StoredAuditRow[]; head: ChainHead | undefined }> {
    await this.ensureTable();
    const rows: StoredAuditRow[] = [];
    let head: ChainHead | undefined;
    const entities = this.client.listEntities<AuditEntity>({
      queryOptions: { filter: odata`PartitionKey eq ${encodeKey(requestId ?? NO_REQUEST)}` },
    });
    for await (const e of entities) {
      if (e.rowKey === HEAD_ROW) {
        head =
          typeof e.seq === 'number' && typeof e.hash === 'string' ? { seq: e.seq, hash: e.hash } : undefined;
        continue;
      }
      const link = linkOf(e);
      rows.push({
        rowKey: e.rowKey,
        event: JSON.parse(e.json ?? 'null') as AuditEvent,
        ...(link ? { link } : {}),
      });
    }
    return { rows, head };
  }

  private async head(partition: string): Promise<{ value: ChainHead; etag: string } | undefined> {
    try {
      const e = await this.client.getEntity<AuditEntity>(partition, HEAD_ROW);
      if (typeof e.seq !== 'number' || typeof e.hash !== 'string')
        throw new Error(
          `The audit trail's head row in ${partition} is not a head (seq and hash): it was altered.`,
        );
      return { value: { seq: e.seq, hash: e.hash }, etag: e.etag };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /**
   * The seal of a partition's entries written before the chain existed, for its first chained entry; undefined
   * when another append started the chain meanwhile (try again). A partition with chained entries but no head
   * row has lost its head: refused, loudly.
   */
  private async sealBeforeChain(partition: string): Promise<string | undefined> {
    const events: AuditEvent[] = [];
    let chained = false;
    const entities = this.client.listEntities<AuditEntity>({
      queryOptions: { filter: odata`PartitionKey eq ${partition}` },
    });
    for await (const e of entities) {
      if (e.rowKey === HEAD_ROW) return undefined;
      if (linkOf(e)) chained = true;
      else events.push(JSON.parse(e.json ?? 'null') as AuditEvent);
    }
    if (!chained) return sealOf(this.hash, events);
    if (await this.head(partition)) return undefined;
    throw new Error(
      `The audit trail in ${partition} has chained entries but no head row: it was tampered with. ` +
        'Read it with trail() to see what is wrong; nothing more is appended to it until it is restored.',
    );
  }

  private async exists(partition: string, row: string): Promise<boolean> {
    try {
      await this.client.getEntity(partition, row, { queryOptions: { select: ['RowKey'] } });
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw err;
    }
  }
}
