import { randomUUID } from 'node:crypto';
import { REQUESTS, TableRequestStore, requestColumns } from '../src/adapters/storage/request-store';
import { TableStore } from '../src/adapters/storage/table-store';
import {
  clockRunning,
  OPEN_STATUSES,
  type ExportRequest,
  type RequestStatus,
} from '../src/domain/export-request';

const TODAY = '2026-11-30';
const DAY_MS = 86_400_000;
const SEED_CONCURRENCY = 64;

export interface OpenRequestsFigures {
  readonly stored: number;
  readonly open: number;
  readonly overdue: number;
  /** Storing the requests as a store without the index would (before the index existed). */
  readonly seedMs: number;
  /** The first listing of a store: it finds no index and builds it from every stored request. */
  readonly backfillMs: number;
  readonly backfillCalls: number;
  /** `openRequests(0, 10)` once the index is built. */
  readonly p50: number;
  readonly p95: number;
  readonly callsPerListing: number;
  /** Storage calls per `create` through the store (the request and its index rows). */
  readonly callsPerCreate: number;
  /** What the index saves: reading every stored request to find the open ones (median of 5). */
  readonly scanMs: number;
  /** `openForSubject` (intake's check for open requests about the same person), through the open rows. */
  readonly subjectP95: number;
  readonly callsPerSubjectLookup: number;
}

const day = (offset: number) => new Date(Date.parse(TODAY) + offset * DAY_MS).toISOString().slice(0, 10);

/** The i-th stored request: finished ones first, then open ones, `overdue` of them due before today. */
function request(i: number, stored: number, open: number, overdue: number): ExportRequest {
  const openIndex = i - (stored - open);
  const status: RequestStatus =
    openIndex < 0
      ? (['delivered', 'delivered', 'delivered', 'closed', 'rejected', 'expired'] as const)[i % 6]!
      : (['pendingApproval', 'approved', 'exporting', 'completed', 'completed', 'failed'] as const)[i % 6]!;
  const due =
    openIndex < 0 ? day(-400 + (i % 380)) : openIndex < overdue ? day(-1 - (i % 20)) : day(1 + (i % 30));
  const id = `DSR-2026-${String(i + 1).padStart(5, '0')}`;
  const requester = `c0a70500-0000-4000-8000-0000000009${String(i % 20).padStart(2, '0')}`;
  return {
    id,
    status,
    subject: {
      id: randomUUID(),
      displayName: `Bench Subject ${i}`,
      userPrincipalName: `subject${i}@contoso.com`,
      mail: `subject.${i}@contoso.com`,
      jobTitle: 'Analyst',
      department: 'Finance',
    },
    requester: { aadObjectId: requester, name: `Bench Admin ${i % 20}` },
    regime: 'GDPR',
    receivedDate: day(-30),
    dueDate: due,
    reference: `BENCH-${i}`,
    justification: 'Benchmark request: a subject access request received by mail.',
    createdAt: `${day(-30)}T10:00:00.000Z`,
    requestedIn: { id: `a:bench-${i % 20}`, type: 'personal' },
    decision: {
      verdict: 'approved',
      by: { aadObjectId: 'megan', name: 'Megan Bowen' },
      at: `${day(-29)}T10:00:00.000Z`,
    },
    export: {
      attempt: 1,
      containerName: `dsr-2026-${i}-1`,
      throttled: 0,
      polls: 12,
      pollErrors: 0,
      operationUrl: `https://graph.microsoft.com/v1.0/dataPolicyOperations/${randomUUID()}`,
    },
  };
}

async function inParallel(count: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * Open requests with many stored: `stored` requests (`open` of them with a running clock, `overdue` of those
 * past due) written as before the index existed, then a store's first listing (which builds the index) and
 * `listings` listings of the first page of 10 open requests, timed, with the storage calls each costs.
 */
export async function benchOpenRequests(
  storage: string,
  options: { stored: number; open: number; overdue: number; listings: number },
): Promise<OpenRequestsFigures> {
  const { stored, open, overdue, listings } = options;
  const table = `bench${randomUUID().replace(/-/g, '').slice(0, 12)}requests`;
  const raw = TableStore.fromConnectionString<ExportRequest>(storage, table, requestColumns);
  await raw.ensureTable();
  let t0 = performance.now();
  await inParallel(stored, (i) =>
    raw.create(REQUESTS, request(i, stored, open, overdue).id, request(i, stored, open, overdue)),
  );
  const seedMs = performance.now() - t0;

  const store = new TableRequestStore(storage, table);
  t0 = performance.now();
  const first = await store.openRequests(0, 10);
  const backfillMs = performance.now() - t0;
  const backfillCalls = store.storageCalls;
  if (first.total !== open || first.items.length !== Math.min(10, open))
    throw new Error(
      `Expected ${open} open requests, the index listed ${first.total} (${first.items.length} on the page).`,
    );
  if (overdue > 0 && first.items[0]!.dueDate >= TODAY)
    throw new Error('The first open request listed is not overdue.');

  const latencies: number[] = [];
  const callsBefore = store.storageCalls;
  for (let i = 0; i < listings; i++) {
    const start = performance.now();
    await store.openRequests(0, 10);
    latencies.push(performance.now() - start);
  }
  const callsPerListing = (store.storageCalls - callsBefore) / listings;
  latencies.sort((a, b) => a - b);

  // Intake's question for every new request: is one open for this person already?
  const person = first.items.find((r) => OPEN_STATUSES.includes(r.status));
  if (!person) throw new Error('No open request among the first listed to look its subject up by.');
  const lookups: number[] = [];
  const callsBeforeLookups = store.storageCalls;
  for (let i = 0; i < listings; i++) {
    const start = performance.now();
    const found = await store.openForSubject(person.subject.id);
    lookups.push(performance.now() - start);
    if (found.length !== 1 || found[0]!.id !== person.id)
      throw new Error(`openForSubject found ${found.length} requests, not ${person.id}.`);
  }
  const callsPerSubjectLookup = (store.storageCalls - callsBeforeLookups) / listings;
  lookups.sort((a, b) => a - b);

  const scans: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    let token: string | undefined;
    let found = 0;
    do {
      const page = await raw.page(REQUESTS, 1000, token);
      found += page.values.filter((r) => clockRunning(r.status)).length;
      token = page.continuationToken;
    } while (token);
    if (found !== open) throw new Error(`The scan found ${found} open requests, not ${open}.`);
    scans.push(performance.now() - start);
  }
  scans.sort((a, b) => a - b);

  const creates = 20;
  const callsBeforeCreates = store.storageCalls;
  for (let i = 0; i < creates; i++) await store.create(request(stored + i, stored + creates, creates, 0));
  return {
    stored,
    open,
    overdue,
    seedMs,
    backfillMs,
    backfillCalls,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    callsPerListing,
    callsPerCreate: (store.storageCalls - callsBeforeCreates) / creates,
    scanMs: percentile(scans, 50),
    subjectP95: percentile(lookups, 95),
    callsPerSubjectLookup,
  };
}

/** The bench's report line for one scenario. */
export function openRequestsLine(f: OpenRequestsFigures): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return (
    `open requests (${n(f.stored)} stored, ${n(f.open)} open, ${n(f.overdue)} overdue): p50 ${f.p50.toFixed(1)} ms, ` +
    `p95 ${f.p95.toFixed(1)} ms, ${f.callsPerListing.toFixed(0)} storage calls per listing\n` +
    `    without the index (reading every request): ${f.scanMs.toFixed(0)} ms; ` +
    `index built on first use in ${(f.backfillMs / 1000).toFixed(1)} s (${f.backfillCalls} storage calls); ` +
    `a create costs ${f.callsPerCreate.toFixed(0)} storage calls; seeding took ${(f.seedMs / 1000).toFixed(1)} s\n` +
    `    a person's open requests (intake's duplicate check): p95 ${f.subjectP95.toFixed(1)} ms, ` +
    `${f.callsPerSubjectLookup.toFixed(0)} storage calls`
  );
}
