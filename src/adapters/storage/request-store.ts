import { TableClient, odata } from '@azure/data-tables';
import { OPEN_STATUSES, type ExportRequest } from '../../domain/export-request';
import {
  AlreadyExistsError,
  StaleWriteError,
  type RequestPage,
  type RequestStore,
  type Versioned,
} from '../../domain/ports';
import type { RequestScan } from '../../domain/records-ports';
import type { RecordRemoval } from '../../domain/retention-ports';
import { RequestIndex } from './request-index';
import { StorageCalls } from './storage-calls';
import { TableStore, isLocal, type IndexColumns } from './table-store';

/** The partition of the requests in their table (row = request id). */
export const REQUESTS = 'requests';
const COUNTERS = 'counters';
/** Requests read per page while the index is built. */
const BACKFILL_PAGE = 1000;

/** The columns written beside each request's JSON, for the store's queries. */
export const requestColumns: IndexColumns<ExportRequest> = (r) => ({
  subjectId: r.subject.id,
  status: r.status,
  requesterId: r.requester.aadObjectId,
  outboxPending: (r.outbox ?? []).length > 0,
});

/** The index table kept beside `table`: `requests` → `requestindex`, `t1requests` → `t1requestindex`. */
export function indexTableFor(table: string): string {
  return table.endsWith('requests') ? `${table.slice(0, -'requests'.length)}requestindex` : `${table}index`;
}

interface Counter {
  last: number;
}

/**
 * Export requests in an Azure Table (partition `requests`, row = request id), with the subject, status and
 * requester as columns for queries. Ids come from a per-year counter row updated with ETag concurrency,
 * so instances never hand out the same number. Open requests, overdue ones, a requester's and the search by
 * subject read a {@link RequestIndex} in a table of its own (`indexTable`): a create writes two index rows
 * first, a write while the clock runs rewrites its open row first (which also mends a row lost earlier), and
 * a write that extends the due date or stops the clock removes the rows left behind after. Two stores over the
 * same requests table must use the same index table.
 */
export class TableRequestStore implements RequestStore, RequestScan, Pick<RecordRemoval, 'removeRequest'> {
  private readonly calls = new StorageCalls();
  private readonly requests: TableStore<ExportRequest>;
  private readonly counters: TableStore<Counter>;
  private readonly index: RequestIndex;

  constructor(connectionString: string, table = 'requests', indexTable = indexTableFor(table)) {
    const client = (name: string) =>
      TableClient.fromConnectionString(connectionString, name, {
        allowInsecureConnection: isLocal(connectionString),
        additionalPolicies: [this.calls.policy],
      });
    const requests = client(table);
    this.requests = new TableStore<ExportRequest>(requests, requestColumns);
    this.counters = new TableStore<Counter>(requests);
    this.index = new RequestIndex(client(indexTable), {
      get: (id) => this.get(id),
      page: (token) => this.requests.page(REQUESTS, BACKFILL_PAGE, token),
    });
  }

  /** The HTTP requests this instance has sent to storage so far, retries included (for benchmarks). */
  get storageCalls(): number {
    return this.calls.count;
  }

  async nextId(year: number): Promise<string> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const current = await this.counters.get(COUNTERS, String(year));
      try {
        let n: number;
        if (!current) {
          n = 1;
          await this.counters.create(COUNTERS, String(year), { last: n });
        } else {
          n = current.value.last + 1;
          await this.counters.replace(COUNTERS, String(year), { last: n }, current.etag);
        }
        return `DSR-${year}-${String(n).padStart(4, '0')}`;
      } catch (err) {
        if (!(err instanceof StaleWriteError || err instanceof AlreadyExistsError)) throw err;
        // Another instance took this number: read again. A little jitter keeps the contenders apart.
        await new Promise((r) => setTimeout(r, Math.random() * 10 * (attempt + 1)));
      }
    }
    throw new Error(`Could not allocate a request id for ${year}: too much contention on the counter.`);
  }

  async create(request: ExportRequest): Promise<void> {
    await this.index.beforeWrite(request, true);
    try {
      await this.requests.create(REQUESTS, request.id, request);
    } catch (err) {
      // The rows just written may have overwritten those of the stored request: write its rows again.
      const stored = err instanceof AlreadyExistsError ? await this.get(request.id) : undefined;
      if (stored) await this.index.beforeWrite(stored, true);
      throw err;
    }
  }

  async get(id: string): Promise<ExportRequest | undefined> {
    return (await this.requests.get(REQUESTS, id))?.value;
  }

  getVersioned(id: string): Promise<Versioned<ExportRequest> | undefined> {
    return this.requests.get(REQUESTS, id);
  }

  async replace(request: ExportRequest, etag: string): Promise<Versioned<ExportRequest>> {
    await this.index.beforeWrite(request, false);
    const written = await this.requests.replace(REQUESTS, request.id, request, etag);
    await this.index.afterWrite(request);
    return written;
  }

  async pending(): Promise<ExportRequest[]> {
    const found = await this.requests.query(REQUESTS, odata`status eq ${'pendingApproval'}`);
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async withPendingEffects(max = 100): Promise<string[]> {
    const found = await this.requests.query(REQUESTS, odata`outboxPending eq ${true}`, max);
    return found.map((r) => r.id);
  }

  async openForSubject(subjectId: string): Promise<ExportRequest[]> {
    // Through the index's open rows (every open request has one), never a scan of every request.
    const found = await this.index.openOfSubject(subjectId);
    return found
      .filter((r) => OPEN_STATUSES.includes(r.status))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  openRequests(page: number, pageSize: number): Promise<RequestPage> {
    return this.index.openRequests(page, pageSize);
  }

  overdue(today: string, max: number): Promise<ExportRequest[]> {
    return this.index.overdue(today, max);
  }

  requestedBy(requesterId: string, page: number, pageSize: number): Promise<RequestPage> {
    return this.index.requestedBy(requesterId, page, pageSize);
  }

  findOpenBySubject(text: string, max: number): Promise<ExportRequest[]> {
    return this.index.findOpenBySubject(text, max);
  }

  async removeRequest(request: Versioned<ExportRequest>): Promise<void> {
    // Index rows first: a crash after them leaves the record, which the next run deletes again (and a record
    // changed meanwhile stays, its rows mended by its next write).
    await this.index.forget(request.value);
    await this.requests.delete(REQUESTS, request.value.id, request.etag);
  }

  async *scan(): AsyncIterable<ExportRequest> {
    let token: string | undefined;
    do {
      const page = await this.requests.page(REQUESTS, BACKFILL_PAGE, token);
      yield* page.values;
      token = page.continuationToken;
    } while (token !== undefined);
  }
}
