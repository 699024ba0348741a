import { clockRunning, isOpen, type ExportRequest } from '../../../src/domain/export-request';
import type { RequestPage, RequestStore, Versioned } from '../../../src/domain/ports';
import type { RequestScan } from '../../../src/domain/records-ports';
import { Faults } from './faults';
import { MemoryTable } from './memory-table';

type RequestStoreOps = {
  nextId: [year: number];
  create: [request: ExportRequest];
  get: [id: string];
  getVersioned: [id: string];
  replace: [request: ExportRequest, etag: string];
  pending: [];
  openForSubject: [subjectId: string];
  withPendingEffects: [max: number];
  openRequests: [page: number, pageSize: number];
  overdue: [today: string, max: number];
  requestedBy: [requesterId: string, page: number, pageSize: number];
  findOpenBySubject: [text: string, max: number];
};

/** What several instances of the store share: the table and the per-year counters. */
class RequestData {
  readonly requests = new MemoryTable<ExportRequest>('requests');
  readonly counters = new Map<number, number>();
}

const oldestFirst = (a: ExportRequest, b: ExportRequest) => a.createdAt.localeCompare(b.createdAt);
/** The index's order: due date, then id (as `${dueDate}|${id}` row keys sort). */
const byDueDate = (a: ExportRequest, b: ExportRequest) =>
  a.dueDate.localeCompare(b.dueDate) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Newest first: DSR-2026-0042 before DSR-2026-0041 and DSR-2025-0999 (numbers compared as numbers). */
function newestIdFirst(a: string, b: string): number {
  const [ya, na] = (/^DSR-(\d+)-(\d+)$/.exec(a) ?? []).slice(1).map(Number);
  const [yb, nb] = (/^DSR-(\d+)-(\d+)$/.exec(b) ?? []).slice(1).map(Number);
  if (ya === undefined || na === undefined || yb === undefined || nb === undefined) return b.localeCompare(a);
  return yb - ya || nb - na;
}

function pageOf(all: readonly ExportRequest[], page: number, pageSize: number): RequestPage {
  if (!Number.isInteger(page) || page < 0 || !Number.isInteger(pageSize) || pageSize < 1)
    throw new RangeError(`No page ${page} of size ${pageSize}: pages count from 0 and hold at least 1.`);
  return { items: all.slice(page * pageSize, (page + 1) * pageSize), total: all.length };
}

/**
 * The RequestStore in memory, with the contract of {@link TableRequestStore}: ids unique per year across
 * instances ({@link FakeRequestStore.sibling} is another instance over the same data), `create` refuses a
 * taken id, `replace` only at the stored ETag, and the queries (pending, openForSubject, withPendingEffects,
 * and those the table's index answers: openRequests, overdue, requestedBy, findOpenBySubject) answer as the
 * table's do, in the same order. Faults can be injected per operation.
 */
export class FakeRequestStore implements RequestStore, RequestScan {
  readonly faults: Faults<RequestStoreOps>;

  constructor(
    private readonly data = new RequestData(),
    faults?: Faults<RequestStoreOps>,
  ) {
    this.faults = faults ?? new Faults<RequestStoreOps>();
  }

  /** Another instance (another bot process) over the same stored data, with faults of its own. */
  sibling(): FakeRequestStore {
    return new FakeRequestStore(this.data);
  }

  async nextId(year: number): Promise<string> {
    await this.faults.check('nextId', year);
    const n = (this.data.counters.get(year) ?? 0) + 1;
    this.data.counters.set(year, n);
    return `DSR-${year}-${String(n).padStart(4, '0')}`;
  }

  async create(request: ExportRequest): Promise<void> {
    await this.faults.check('create', request);
    this.data.requests.create(request.id, request);
  }

  async get(id: string): Promise<ExportRequest | undefined> {
    await this.faults.check('get', id);
    return this.data.requests.get(id)?.value;
  }

  async getVersioned(id: string): Promise<Versioned<ExportRequest> | undefined> {
    await this.faults.check('getVersioned', id);
    return this.data.requests.get(id);
  }

  async replace(request: ExportRequest, etag: string): Promise<Versioned<ExportRequest>> {
    await this.faults.check('replace', request, etag);
    return this.data.requests.replace(request.id, request, etag);
  }

  async pending(): Promise<ExportRequest[]> {
    await this.faults.check('pending');
    return this.data.requests
      .values()
      .filter((r) => r.status === 'pendingApproval')
      .sort(oldestFirst);
  }

  async openForSubject(subjectId: string): Promise<ExportRequest[]> {
    await this.faults.check('openForSubject', subjectId);
    return this.data.requests
      .values()
      .filter((r) => r.subject.id === subjectId && isOpen(r.status))
      .sort(oldestFirst);
  }

  async withPendingEffects(max = 100): Promise<string[]> {
    await this.faults.check('withPendingEffects', max);
    return this.data.requests
      .values()
      .filter((r) => (r.outbox ?? []).length > 0)
      .slice(0, max)
      .map((r) => r.id);
  }

  async openRequests(page: number, pageSize: number): Promise<RequestPage> {
    await this.faults.check('openRequests', page, pageSize);
    return pageOf(this.open(), page, pageSize);
  }

  async overdue(today: string, max: number): Promise<ExportRequest[]> {
    await this.faults.check('overdue', today, max);
    return this.open()
      .filter((r) => r.dueDate < today)
      .slice(0, Math.max(0, max));
  }

  async requestedBy(requesterId: string, page: number, pageSize: number): Promise<RequestPage> {
    await this.faults.check('requestedBy', requesterId, page, pageSize);
    const theirs = this.data.requests
      .values()
      .filter((r) => r.requester.aadObjectId.toLowerCase() === requesterId.toLowerCase())
      .sort((a, b) => newestIdFirst(a.id, b.id));
    return pageOf(theirs, page, pageSize);
  }

  async findOpenBySubject(text: string, max: number): Promise<ExportRequest[]> {
    await this.faults.check('findOpenBySubject', text, max);
    const needle = text.toLowerCase();
    return this.open()
      .filter((r) =>
        [r.subject.displayName, r.subject.userPrincipalName, r.subject.mail ?? ''].some((v) =>
          v.toLowerCase().includes(needle),
        ),
      )
      .slice(0, Math.max(0, max));
  }

  /** Requests whose legal clock runs, by due date. */
  private open(): ExportRequest[] {
    return this.data.requests
      .values()
      .filter((r) => clockRunning(r.status))
      .sort(byDueDate);
  }

  /** Every stored request, in id order (for assertions). */
  /** Deletes the request at its version (retention's RecordRemoval.removeRequest). */
  async removeRequest(stored: Versioned<ExportRequest>): Promise<void> {
    await Promise.resolve();
    this.data.requests.delete(stored.value.id, stored.etag);
  }

  /** Every request in id order (the {@link RequestScan} port). */
  async *scan(): AsyncIterable<ExportRequest> {
    await Promise.resolve();
    yield* [...this.data.requests.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  all(): ExportRequest[] {
    return this.data.requests.values();
  }

  /** The stored request, or a failure naming the id (for assertions). */
  stored(id: string): ExportRequest {
    const found = this.data.requests.get(id);
    if (!found) throw new Error(`No request ${id} is stored.`);
    return found.value;
  }
}
