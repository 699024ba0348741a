import { randomUUID } from 'node:crypto';
import { BlobAuditFiles } from '../src/adapters/storage/audit-files';
import { TableAuditLog } from '../src/adapters/storage/audit-log';
import { REQUESTS, TableRequestStore, requestColumns } from '../src/adapters/storage/request-store';
import { TableStore } from '../src/adapters/storage/table-store';
import { TableTombstones } from '../src/adapters/storage/tombstones';
import { REGIMES, type ExportRequest, type RequestStatus } from '../src/domain/export-request';
import { dueDate } from '../src/domain/policies';
import type { Directory } from '../src/domain/ports';
import { tombstoneOf } from '../src/domain/request-outcome';
import { yearReport } from '../src/usecases/year-report';

const HOME_TENANT = '11111111-2222-4333-8444-555555555555';
const ADMIN_ROLE = '62e90394-69f5-4237-9190-012177145e10';
const ADMIN = {
  aadObjectId: 'c0a70500-0000-4000-8000-000000000001',
  name: 'Bench Admin',
  tenantId: HOME_TENANT,
};
const NOW = '2027-01-10T09:00:00.000Z';
const DAY_MS = 86_400_000;
const SEED_CONCURRENCY = 64;

export interface YearReportFigures {
  readonly stored: number;
  /** Stored requests received in 2026 (the rest fall in the months around it). */
  readonly inYear: number;
  /** Tombstones of 2026 (requests whose record is gone). */
  readonly tombstones: number;
  readonly seedMs: number;
  /** `yearReport(…, '2026')` from the role check to the audit records, each run on a fresh store. */
  readonly runsMs: readonly number[];
  /** Table calls of one report's read of the requests (TableRequestStore.storageCalls). */
  readonly requestCallsPerReport: number;
  readonly csvBytes: number;
}

const at = (d: string) => `${d}T10:00:00.000Z`;

const STATUSES: readonly RequestStatus[] = [
  'delivered',
  'delivered',
  'delivered',
  'delivered',
  'closed',
  'rejected',
  'cancelled',
  'expired',
  'pendingApproval',
  'exporting',
  'completed',
  'failed',
];

/**
 * The i-th of `count` requests received over `span` days from `first` (by default Nov 2025 to Feb 2027, about
 * three in four in 2026), in a mix of states, answered 5 to 54 days after receipt.
 */
function request(i: number, count: number, first = '2025-11-01', span = 480): ExportRequest {
  const offset = Math.floor((i * span) / count);
  const day = (days: number) => new Date(Date.parse(first) + days * DAY_MS).toISOString().slice(0, 10);
  const received = day(offset);
  const regime = REGIMES[i % REGIMES.length]!;
  const status = STATUSES[i % STATUSES.length]!;
  const answered = day(offset + 5 + (i % 50));
  const by = {
    aadObjectId: `c0a70500-0000-4000-8000-0000000009${String(i % 20).padStart(2, '0')}`,
    name: 'Bench Admin',
  };
  const base: ExportRequest = {
    id: `DSR-${received.slice(0, 4)}-${String(i + 1).padStart(5, '0')}`,
    status,
    subject: {
      id: randomUUID(),
      displayName: `Bench Subject ${i}`,
      userPrincipalName: `subject${i}@contoso.com`,
      mail: `subject.${i}@contoso.com`,
      jobTitle: 'Analyst',
      department: 'Finance',
    },
    requester: by,
    regime,
    receivedDate: received,
    dueDate: dueDate(regime, received),
    reference: `BENCH-${i}`,
    justification: 'Benchmark request: a subject access request received by mail.',
    createdAt: at(received),
    requestedIn: { id: `a:bench-${i % 20}`, type: 'personal' },
    identity: { method: 'corporateSignIn', note: '', by, at: at(received) },
  };
  switch (status) {
    case 'delivered':
      return {
        ...base,
        decision: { verdict: 'approved', by, at: at(received) },
        delivery: { date: answered, method: 'secureLink', note: '', by, at: at(answered), daysLate: 0 },
      };
    case 'closed':
      return {
        ...base,
        closure: {
          reason: (['withdrawn', 'identityNotVerified', 'manifestlyUnfounded', 'excessive'] as const)[i % 4]!,
          note: 'Benchmark closure.',
          proposedBy: by,
          proposedAt: at(answered),
          confirmedBy: by,
          confirmedAt: at(answered),
        },
      };
    case 'rejected':
    case 'cancelled':
    case 'expired':
      return { ...base, decision: { verdict: status, by, at: at(answered), reason: 'Benchmark.' } };
    case 'pendingApproval':
    case 'approved':
    case 'exporting':
    case 'outcomeUnknown':
    case 'completed':
    case 'failed':
      return base;
  }
}

async function inParallel(count: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** A directory where the bench's admin holds the allowed role (the role check is not what is measured). */
const directory: Directory = {
  findUser: () => Promise.resolve(undefined),
  searchByDisplayName: () => Promise.resolve([]),
  heldRoles: (id, ids) => Promise.resolve(id === ADMIN.aadObjectId ? [...ids] : []),
};

/**
 * The yearly metrics report with many requests stored: `stored` requests (seeded straight into a fresh table),
 * `tombstones` more of 2026 deleted behind tombstones, then `runs` reports of 2026, each through a fresh
 * TableRequestStore (so its storage calls are one report's), with the tombstones, the CSV in the audit
 * container and the audit trail on the same storage.
 */
export async function benchYearReport(
  storage: string,
  options: { stored: number; tombstones: number; runs: number },
): Promise<YearReportFigures> {
  const { stored, runs } = options;
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
  const table = `bench${suffix}requests`;
  const raw = TableStore.fromConnectionString<ExportRequest>(storage, table, requestColumns);
  await raw.ensureTable();
  const tombstones = new TableTombstones(storage, `bench${suffix}tombstones`);
  let t0 = performance.now();
  await inParallel(stored, (i) => raw.create(REQUESTS, request(i, stored).id, request(i, stored)));
  // Requests of 2026 whose record is gone: only their tombstones are left.
  const gone = (j: number) => ({
    ...request(j, options.tombstones, '2026-01-01', 365),
    id: `DSR-2026-9${String(j).padStart(5, '0')}`,
  });
  await inParallel(options.tombstones, (j) => tombstones.put(tombstoneOf(gone(j), NOW)));
  const seedMs = performance.now() - t0;
  const inYear = Array.from({ length: stored }, (_, i) => request(i, stored)).filter((r) =>
    r.receivedDate.startsWith('2026-'),
  ).length;

  const runsMs: number[] = [];
  let calls = 0;
  let csvBytes = 0;
  for (let run = 0; run < runs; run++) {
    const requests = new TableRequestStore(storage, table);
    const deps = {
      requests,
      tombstones,
      files: new BlobAuditFiles(storage, `bench${suffix}audit`),
      audit: new TableAuditLog(storage, `bench${suffix}audit`),
      directory,
      clock: { now: () => new Date(NOW) },
      homeTenantId: HOME_TENANT,
      allowedRoleIds: [ADMIN_ROLE],
    };
    t0 = performance.now();
    const answer = await yearReport(deps, ADMIN, '2026');
    runsMs.push(performance.now() - t0);
    if (answer.kind !== 'report')
      throw new Error(`The report was not made: ${answer.kind} ${answer.reason}.`);
    const expected = inYear + options.tombstones;
    if (answer.metrics.total.received !== expected)
      throw new Error(
        `The report counted ${answer.metrics.total.received} requests of 2026, not ${expected}.`,
      );
    calls = requests.storageCalls;
    csvBytes = answer.file.bytes;
  }
  return {
    stored,
    inYear,
    tombstones: options.tombstones,
    seedMs,
    runsMs,
    requestCallsPerReport: calls,
    csvBytes,
  };
}

/** The bench's report lines. */
export function yearReportLine(f: YearReportFigures): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const sorted = [...f.runsMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return (
    `year report 2026 (${n(f.stored)} requests stored, ${n(f.inYear)} of them received in 2026, ` +
    `+ ${n(f.tombstones)} tombstones): median ${median.toFixed(0)} ms over ${f.runsMs.length} runs ` +
    `(${sorted.map((ms) => ms.toFixed(0)).join(' / ')} ms)\n` +
    `    ${f.requestCallsPerReport} table calls to read the requests (pages of 1,000); CSV ${n(f.csvBytes)} bytes; ` +
    `seeding took ${(f.seedMs / 1000).toFixed(1)} s`
  );
}
