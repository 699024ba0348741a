import { odata } from '@azure/data-tables';
import { OPEN_STATUSES, type ExportRequest } from '../../domain/export-request';
import { AlreadyExistsError, StaleWriteError, type RequestStore, type Versioned } from '../../domain/ports';
import { TableStore } from './table-store';

const REQUESTS = 'requests';
const COUNTERS = 'counters';

interface Counter {
  last: number;
}

/**
 * Export requests in an Azure Table (partition `requests`, row = request id), with the subject, status and
 * requester as columns for queries. Ids come from a per-year counter row updated with ETag concurrency,
 * so instances never hand out the same number.
 */
export class TableRequestStore implements RequestStore {
  private readonly requests: TableStore<ExportRequest>;
  private readonly counters: TableStore<Counter>;

  constructor(connectionString: string, table = 'requests') {
    this.requests = TableStore.fromConnectionString<ExportRequest>(connectionString, table, (r) => ({
      subjectId: r.subject.id,
      status: r.status,
      requesterId: r.requester.aadObjectId,
      outboxPending: (r.outbox ?? []).length > 0,
    }));
    this.counters = TableStore.fromConnectionString<Counter>(connectionString, table);
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
    await this.requests.create(REQUESTS, request.id, request);
  }

  async get(id: string): Promise<ExportRequest | undefined> {
    return (await this.requests.get(REQUESTS, id))?.value;
  }

  getVersioned(id: string): Promise<Versioned<ExportRequest> | undefined> {
    return this.requests.get(REQUESTS, id);
  }

  replace(request: ExportRequest, etag: string): Promise<Versioned<ExportRequest>> {
    return this.requests.replace(REQUESTS, request.id, request, etag);
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
    const open = OPEN_STATUSES.map((s) => odata`status eq ${s}`).join(' or ');
    const found = await this.requests.query(REQUESTS, `${odata`subjectId eq ${subjectId}`} and (${open})`);
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}
