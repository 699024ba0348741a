import { isOpen, type ExportRequest } from '../../../src/domain/export-request';
import type { RequestStore, Versioned } from '../../../src/domain/ports';
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
};

/** What several instances of the store share: the table and the per-year counters. */
class RequestData {
  readonly requests = new MemoryTable<ExportRequest>('requests');
  readonly counters = new Map<number, number>();
}

const oldestFirst = (a: ExportRequest, b: ExportRequest) => a.createdAt.localeCompare(b.createdAt);

/**
 * The RequestStore in memory, with the contract of {@link TableRequestStore}: ids unique per year across
 * instances ({@link FakeRequestStore.sibling} is another instance over the same data), `create` refuses a
 * taken id, `replace` only at the stored ETag, and the queries (pending, openForSubject, withPendingEffects)
 * answer as the table's do. Faults can be injected per operation.
 */
export class FakeRequestStore implements RequestStore {
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

  /** Every stored request, in id order (for assertions). */
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
