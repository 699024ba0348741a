import { RestError, TableClient, odata, type TransactionAction } from '@azure/data-tables';
import { clockRunning, type ExportRequest } from '../../domain/export-request';
import type { RequestPage } from '../../domain/ports';
import {
  OPEN,
  SUBJECT_COLUMNS,
  indexRowOf,
  newestIdFirst,
  openEntity,
  openRowKey,
  requesterEntity,
  requesterPartition,
  type IndexRow,
} from './request-index-rows';
import { encodeKey } from './table-store';

const META = 'meta';
/**
 * Written once every request stored before the index existed has its rows. v2: open rows carry the subject's
 * id (a person's open requests are found without reading others'), so rows written before are written again.
 */
const BUILT = 'built-v2';
/**
 * A row that matches no stored request may belong to a write in flight (its rows are written first): it is
 * removed only once it is older than this. Rows of a request whose clock stopped, or of a due date it moved
 * away from, are removed at once.
 */
const IN_FLIGHT_MS = 15 * 60_000;
/** Entity group transactions hold at most 100 operations of one partition. */
const BATCH = 100;
const KEYS = ['RowKey', 'Timestamp'];

/** How the index reaches the requests it points at. */
export interface IndexedRequests {
  get(id: string): Promise<ExportRequest | undefined>;
  /** One page of every stored request (for the backfill), and the token of the next page. */
  page(
    token: string | undefined,
  ): Promise<{ values: ExportRequest[]; continuationToken: string | undefined }>;
}

const sameRequester = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const statusOf = (err: unknown) => (err instanceof RestError ? err.statusCode : undefined);

/** keep: list it; skip: not now (maybe a write in flight); remove: the row is stale for good. */
type Verdict = 'keep' | 'skip' | 'remove';

/** Refuses a negative page or a size below 1 (a caller's bug) before any storage call. */
function checkPage(page: number, pageSize: number): void {
  if (!Number.isInteger(page) || page < 0 || !Number.isInteger(pageSize) || pageSize < 1)
    throw new RangeError(`No page ${page} of size ${pageSize}: pages count from 0 and hold at least 1.`);
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * An index of the requests table, in a table of its own, so that listing open requests never reads every
 * request. Partition `open`: one row per request whose legal clock runs, keyed `${dueDate}|${id}` (overdue
 * first), with the subject's names lower-cased for search. Partitions `by-${requesterId}`: one row per request,
 * keyed by id. Rows are written before the request ({@link RequestIndex.beforeWrite}) and the ones it left
 * are removed after ({@link RequestIndex.afterWrite}), so a crash leaves only stale rows: every read checks the
 * request itself and skips (and, once surely stale, removes) rows that no longer match it. Requests stored
 * before the index existed are indexed on first use (once per table, marked by a row `meta/built-v1`).
 */
export class RequestIndex {
  private ready: Promise<void> | undefined;
  private built: Promise<void> | undefined;

  constructor(
    private readonly client: TableClient,
    private readonly requests: IndexedRequests,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes the rows `request` needs (its requester's row only when `created`), before it is stored. */
  async beforeWrite(request: ExportRequest, created: boolean): Promise<void> {
    await this.ensureTable();
    await Promise.all([
      clockRunning(request.status) ? this.client.upsertEntity(openEntity(request), 'Replace') : undefined,
      created ? this.client.upsertEntity(requesterEntity(request), 'Replace') : undefined,
    ]);
  }

  /**
   * Removes the open rows the stored `request` left behind: those of the due dates it was extended from and,
   * once its clock stopped, its own. Never rejects: the request is stored, and a row left behind is stale,
   * which reads skip and remove.
   */
  async afterWrite(request: ExportRequest): Promise<void> {
    const dues = new Set((request.extensions ?? []).map((e) => e.fromDue));
    if (clockRunning(request.status)) dues.delete(request.dueDate);
    else dues.add(request.dueDate);
    await Promise.all([...dues].map((due) => this.remove(OPEN, openRowKey(due, request.id)))).catch(
      () => undefined,
    );
  }

  async openRequests(page: number, pageSize: number): Promise<RequestPage> {
    checkPage(page, pageSize);
    await this.build();
    const rows = await this.list(OPEN, odata`PartitionKey eq ${OPEN}`, KEYS);
    const slice = rows.slice(page * pageSize, (page + 1) * pageSize);
    return { items: await this.resolve(slice, (row, r) => this.openVerdict(row, r)), total: rows.length };
  }

  async overdue(today: string, max: number): Promise<ExportRequest[]> {
    await this.build();
    const filter = odata`PartitionKey eq ${OPEN} and RowKey lt ${encodeKey(today)}`;
    return this.first(this.rows(OPEN, filter, KEYS), max, (row, r) => this.openVerdict(row, r));
  }

  async requestedBy(requesterId: string, page: number, pageSize: number): Promise<RequestPage> {
    checkPage(page, pageSize);
    await this.build();
    const partition = requesterPartition(requesterId);
    const rows = await this.list(partition, odata`PartitionKey eq ${partition}`, KEYS);
    rows.sort((a, b) => newestIdFirst(a.id, b.id));
    const slice = rows.slice(page * pageSize, (page + 1) * pageSize);
    const verdict = (row: IndexRow, r: ExportRequest | undefined): Verdict =>
      r && sameRequester(r.requester.aadObjectId, requesterId) ? 'keep' : r ? 'remove' : this.unmatched(row);
    return { items: await this.resolve(slice, verdict), total: rows.length };
  }

  /**
   * The requests of one person (by object id) whose clock runs, through the open rows: one listing of the
   * open partition and a read of each of theirs. Rows written before the subject's id was a column count too
   * (their request is read and checked).
   */
  async openOfSubject(subjectId: string): Promise<ExportRequest[]> {
    await this.build();
    const id = subjectId.toLowerCase();
    const rows = await this.list(OPEN, odata`PartitionKey eq ${OPEN}`, [...KEYS, 'subjectId']);
    const theirs = rows.filter((row) => {
      const column = row.columns.subjectId;
      return typeof column !== 'string' || column === id;
    });
    return this.resolve(theirs, (row, r) => {
      const verdict = this.openVerdict(row, r);
      return verdict === 'keep' && r?.subject.id.toLowerCase() !== id ? 'skip' : verdict;
    });
  }

  async findOpenBySubject(text: string, max: number): Promise<ExportRequest[]> {
    await this.build();
    const needle = text.toLowerCase();
    const contains = (values: readonly unknown[]) =>
      values.some((v) => typeof v === 'string' && v.toLowerCase().includes(needle));
    const rows = this.rows(OPEN, odata`PartitionKey eq ${OPEN}`, [...KEYS, ...SUBJECT_COLUMNS]);
    const matching = async function* () {
      for await (const row of rows) if (contains(SUBJECT_COLUMNS.map((c) => row.columns[c]))) yield row;
    };
    return this.first(matching(), max, (row, r) => {
      const verdict = this.openVerdict(row, r);
      const s = r?.subject;
      return verdict === 'keep' && s && !contains([s.displayName, s.userPrincipalName, s.mail])
        ? 'skip'
        : verdict;
    });
  }

  private openVerdict(row: IndexRow, r: ExportRequest | undefined): Verdict {
    if (!r) return this.unmatched(row);
    if (!clockRunning(r.status)) return 'remove';
    if (r.dueDate === row.due) return 'keep';
    if ((r.extensions ?? []).some((e) => e.fromDue === row.due)) return 'remove';
    return this.unmatched(row);
  }

  /** A row that matches nothing: maybe a write in flight, surely stale once old. */
  private unmatched(row: IndexRow): Verdict {
    return this.now() - row.writtenAt > IN_FLIGHT_MS ? 'remove' : 'skip';
  }

  /** Reads the requests of `rows` in parallel; those that match, in the order of the rows. */
  private async resolve(
    rows: readonly IndexRow[],
    verdict: (row: IndexRow, request: ExportRequest | undefined) => Verdict,
  ): Promise<ExportRequest[]> {
    const read = await Promise.all(
      rows.map(async (row) => {
        const request = await this.requests.get(row.id);
        return { row, request, verdict: verdict(row, request) };
      }),
    );
    const stale = read.filter((r) => r.verdict === 'remove');
    // Only at the version read: a row written again since (a write in flight) stays.
    await Promise.all(stale.map(({ row }) => this.remove(row.partitionKey, row.rowKey, row.etag)));
    return read.flatMap((r) => (r.verdict === 'keep' && r.request ? [r.request] : []));
  }

  /** The first `max` requests of `rows` that match, reading `max` (less those found) at a time. */
  private async first(
    rows: AsyncIterable<IndexRow>,
    max: number,
    verdict: (row: IndexRow, request: ExportRequest | undefined) => Verdict,
  ): Promise<ExportRequest[]> {
    const found: ExportRequest[] = [];
    let batch: IndexRow[] = [];
    for await (const row of rows) {
      if (found.length >= max) break;
      batch.push(row);
      if (found.length + batch.length < max) continue;
      found.push(...(await this.resolve(batch, verdict)));
      batch = [];
    }
    if (batch.length > 0) found.push(...(await this.resolve(batch, verdict)));
    return found.slice(0, max);
  }

  private async list(partition: string, filter: string, select: string[]): Promise<IndexRow[]> {
    const rows: IndexRow[] = [];
    for await (const row of this.rows(partition, filter, select)) rows.push(row);
    return rows;
  }

  private async *rows(partition: string, filter: string, select: string[]): AsyncGenerator<IndexRow> {
    const entities = this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter, select } });
    for await (const e of entities) yield indexRowOf(partition, e);
  }

  /** Deletes the request's index rows (its record is being deleted); rows already gone are fine. */
  async forget(request: ExportRequest): Promise<void> {
    await this.ensureTable();
    const open = openEntity(request);
    const mine = requesterEntity(request);
    await Promise.all([
      this.remove(open.partitionKey, open.rowKey),
      this.remove(mine.partitionKey, mine.rowKey),
    ]);
  }

  /** Deletes a row (at `etag` when given); a row already gone, or written again since, is left alone. */
  private async remove(partition: string, row: string, etag?: string): Promise<void> {
    try {
      await this.client.deleteEntity(partition, row, etag ? { etag } : {});
    } catch (err) {
      if (statusOf(err) !== 404 && statusOf(err) !== 412) throw err;
    }
  }

  private ensureTable(): Promise<void> {
    this.ready ??= this.client.createTable().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  /** Indexes the requests stored before the index existed, once per table (idempotent, once per instance). */
  private build(): Promise<void> {
    this.built ??= this.backfill().catch((err: unknown) => {
      this.built = undefined;
      throw err;
    });
    return this.built;
  }

  private async backfill(): Promise<void> {
    await this.ensureTable();
    try {
      await this.client.getEntity(META, BUILT);
      return;
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
    let token: string | undefined;
    do {
      const page = await this.requests.page(token);
      await this.writeAll(page.values);
      token = page.continuationToken;
    } while (token);
    const builtAt = new Date(this.now()).toISOString();
    await this.client.upsertEntity({ partitionKey: META, rowKey: BUILT, builtAt }, 'Replace');
  }

  /** Upserts the rows of `requests` in entity group transactions (100 rows of one partition each). */
  private async writeAll(requests: readonly ExportRequest[]): Promise<void> {
    const byPartition = new Map<string, TransactionAction[]>();
    for (const r of requests) {
      const rows = clockRunning(r.status) ? [openEntity(r), requesterEntity(r)] : [requesterEntity(r)];
      for (const row of rows) {
        const actions = byPartition.get(row.partitionKey) ?? [];
        actions.push(['upsert', row, 'Replace']);
        byPartition.set(row.partitionKey, actions);
      }
    }
    const batches = [...byPartition.values()].flatMap((actions) =>
      Array.from({ length: Math.ceil(actions.length / BATCH) }, (_, i) =>
        actions.slice(i * BATCH, (i + 1) * BATCH),
      ),
    );
    await inParallel(batches, 8, (batch) => this.client.submitTransaction(batch));
  }
}
