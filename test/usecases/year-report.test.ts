import { REQUESTS, TableRequestStore } from '../../src/adapters/storage/request-store';
import { BlobAuditFiles } from '../../src/adapters/storage/audit-files';
import { TableStore } from '../../src/adapters/storage/table-store';
import { TableTombstones } from '../../src/adapters/storage/tombstones';
import type { ClosureReason, ExportRequest, Regime, RequestStatus } from '../../src/domain/export-request';
import type { RegimeMetrics } from '../../src/domain/metrics';
import { dueDate } from '../../src/domain/policies';
import { tombstoneOf } from '../../src/domain/request-outcome';
import { yearReport, type YearReportAnswer, type YearReportDeps } from '../../src/usecases/year-report';
import { uniqueName } from '../contracts/fixtures';
import { FakeAuditLog, FakeClock, FakeDirectory } from '../support/fakes';
import { alexActor, meganActor, pendingRequest } from '../support/requests';
import { testStorageConnectionString } from '../support/sandbox';
import { ALEX, ALLOWED_ROLES, caller, HOME_TENANT } from './unit/deps';

/*
 * A year of requests on Azurite (TableRequestStore, TableTombstones, BlobAuditFiles), every figure of the report
 * checked against numbers worked out by hand below; then records deleted behind tombstones, and the same figures.
 */

const TODAY = '2027-01-10';
const at = (day: string) => `${day}T10:00:00.000Z`;

interface Spec {
  readonly id: string;
  readonly regime: Regime;
  readonly received: string;
  readonly status: RequestStatus;
  /** The day of the delivery, closure or decision. */
  readonly on?: string;
  readonly reason?: ClosureReason;
  /** The due date after one extension. */
  readonly extendedTo?: string;
}

/** The request `s` describes, with what its status implies (a delivery, a closure, a decision). */
function build(s: Spec): ExportRequest {
  const base = pendingRequest(s.id);
  const firstDue = dueDate(s.regime, s.received);
  const on = at(s.on ?? s.received);
  const by = meganActor;
  const method = 'secureLink' as const;
  const ending =
    s.status === 'delivered'
      ? { delivery: { date: on.slice(0, 10), method, note: '', by, at: on, daysLate: 0 } }
      : s.status === 'closed'
        ? {
            closure: {
              ...{ reason: s.reason ?? 'withdrawn', note: '', proposedBy: alexActor, proposedAt: on },
              ...{ confirmedBy: by, confirmedAt: on },
            },
          }
        : s.status === 'rejected' || s.status === 'cancelled' || s.status === 'expired'
          ? { decision: { verdict: s.status, by, at: on, reason: 'No.' } }
          : {};
  const toDue = s.extendedTo;
  return {
    ...base,
    status: s.status,
    subject: { ...base.subject, id: `subject-${s.id}` },
    regime: s.regime,
    receivedDate: s.received,
    dueDate: toDue ?? firstDue,
    createdAt: at(s.received),
    ...(toDue
      ? { extensions: [{ by, at: at(s.received), reason: 'Complex.', fromDue: firstDue, toDue }] }
      : {}),
    ...ending,
  };
}

const G = (n: number, received: string, status: RequestStatus, extra: Partial<Spec> = {}): Spec => ({
  id: `DSR-2026-01${String(n).padStart(2, '0')}`,
  regime: 'GDPR',
  received,
  status,
  ...extra,
});
const C = (n: number, received: string, status: RequestStatus, extra: Partial<Spec> = {}): Spec => ({
  ...G(n, received, status, extra),
  id: `DSR-2026-02${String(n).padStart(2, '0')}`,
  regime: 'CCPA',
});
const O = (n: number, received: string, status: RequestStatus, extra: Partial<Spec> = {}): Spec => ({
  ...G(n, received, status, extra),
  id: `DSR-2026-03${String(n).padStart(2, '0')}`,
  regime: 'other',
});

// Days to respond and lateness in the comments, worked out by hand (GDPR: one month; CCPA: 45 days; other: 30).
const SPECS: readonly Spec[] = [
  // GDPR, complied with
  G(1, '2026-01-01', 'delivered', { on: '2026-01-11' }), // 10, due 02-01
  G(2, '2026-02-01', 'delivered', { on: '2026-02-15' }), // 14
  G(3, '2026-03-05', 'delivered', { on: '2026-04-10' }), // 36, due 04-05: late
  G(4, '2026-04-01', 'delivered', { on: '2026-04-08' }), // 7
  G(5, '2026-05-10', 'delivered', { on: '2026-07-20', extendedTo: '2026-08-10' }), // 71, extended, on time
  G(6, '2026-06-01', 'delivered', { on: '2026-09-11', extendedTo: '2026-09-01' }), // 102, extended, late
  G(7, '2026-07-01', 'delivered', { on: '2026-07-03' }), // 2
  G(8, '2026-08-15', 'delivered', { on: '2026-09-01' }), // 17
  G(9, '2026-09-01', 'delivered', { on: '2026-09-30' }), // 29
  G(10, '2026-10-01', 'delivered', { on: '2026-10-21' }), // 20
  // GDPR, denied
  G(11, '2026-02-10', 'rejected', { on: '2026-02-12' }), // 2, rejected at approval
  G(12, '2026-03-10', 'closed', { on: '2026-03-25', reason: 'identityNotVerified' }), // 15
  G(13, '2026-04-10', 'closed', { on: '2026-05-20', reason: 'manifestlyUnfounded' }), // 40, due 05-10: late
  G(14, '2026-05-01', 'closed', { on: '2026-05-31', reason: 'excessive' }), // 30, due 06-01
  G(15, '2026-06-15', 'rejected', { on: '2026-06-16' }), // 1
  // GDPR, closed without export (a late withdrawal is not a late answer)
  G(16, '2026-01-20', 'closed', { on: '2026-01-25', reason: 'withdrawn' }),
  G(17, '2026-03-20', 'cancelled', { on: '2026-03-21' }),
  G(18, '2026-07-10', 'expired', { on: '2026-07-24' }),
  G(19, '2026-08-01', 'closed', { on: '2026-09-15', reason: 'withdrawn' }),
  // GDPR, still open on 2027-01-10
  G(20, '2026-10-20', 'pendingApproval'), // due 11-20: overdue
  G(21, '2026-12-20', 'exporting'), // due 2027-01-20
  G(22, '2026-12-31', 'completed'), // due 2027-01-31 (the last day of the range counts)
  G(23, '2026-11-20', 'failed', { extendedTo: '2027-02-20' }), // extended
  G(24, '2026-10-01', 'approved'), // due 11-01: overdue
  // CCPA, complied with
  C(1, '2026-01-05', 'delivered', { on: '2026-02-04' }), // 30, due 02-19
  C(2, '2026-02-01', 'delivered', { on: '2026-03-25' }), // 52, due 03-18: late
  C(3, '2026-03-01', 'delivered', { on: '2026-05-20', extendedTo: '2026-05-30' }), // 80, extended, on time
  C(4, '2026-04-01', 'delivered', { on: '2026-04-11' }), // 10
  C(5, '2026-05-01', 'delivered', { on: '2026-06-30' }), // 60, due 06-15: late
  C(6, '2026-06-01', 'delivered', { on: '2026-06-21' }), // 20
  // CCPA, denied
  C(7, '2026-07-01', 'closed', { on: '2026-07-31', reason: 'identityNotVerified' }), // 30
  C(8, '2026-08-01', 'closed', { on: '2026-08-11', reason: 'excessive' }), // 10
  C(9, '2026-09-01', 'rejected', { on: '2026-09-03' }), // 2
  // CCPA, closed without export
  C(10, '2026-09-15', 'cancelled', { on: '2026-09-16' }),
  C(11, '2026-10-01', 'expired', { on: '2026-10-15' }),
  // CCPA, open
  C(12, '2026-11-01', 'pendingApproval'), // due 12-16: overdue
  C(13, '2026-12-15', 'exporting'), // due 2027-01-29
  // other
  O(1, '2026-02-01', 'delivered', { on: '2026-02-21' }), // 20
  O(2, '2026-03-01', 'delivered', { on: '2026-04-05' }), // 35, due 03-31: late
  O(3, '2026-04-01', 'closed', { on: '2026-04-06', reason: 'manifestlyUnfounded' }), // 5
  O(4, '2026-05-01', 'closed', { on: '2026-05-02', reason: 'withdrawn' }),
  O(5, '2026-06-01', 'outcomeUnknown'), // due 07-01: overdue
  // Received outside 2026: never counted
  { ...G(90, '2025-12-31', 'delivered', { on: '2026-01-10' }), id: 'DSR-2025-0990' },
  { ...C(91, '2025-12-20', 'closed', { on: '2026-01-02', reason: 'withdrawn' }), id: 'DSR-2025-0991' },
  { ...G(92, '2027-01-01', 'pendingApproval'), id: 'DSR-2027-0001' },
  { ...O(93, '2027-01-05', 'delivered', { on: '2027-01-08' }), id: 'DSR-2027-0002' },
];

const GDPR: RegimeMetrics = {
  received: 24,
  complied: 10,
  denied: 5,
  deniedByReason: { identityNotVerified: 1, manifestlyUnfounded: 1, excessive: 1, rejectedAtApproval: 2 },
  closedWithoutExport: 4,
  closedByKind: { withdrawn: 2, cancelled: 1, expired: 1 },
  open: 5,
  openOverdue: 2,
  answered: 15,
  medianDaysToRespond: 17, // 1 2 2 7 10 14 15 [17] 20 29 30 36 40 71 102
  meanDaysToRespond: 26.4, // 396 / 15
  answeredLate: 3,
  extended: 3,
};
const CCPA: RegimeMetrics = {
  received: 13,
  complied: 6,
  denied: 3,
  deniedByReason: { identityNotVerified: 1, manifestlyUnfounded: 0, excessive: 1, rejectedAtApproval: 1 },
  closedWithoutExport: 2,
  closedByKind: { withdrawn: 0, cancelled: 1, expired: 1 },
  open: 2,
  openOverdue: 1,
  answered: 9,
  medianDaysToRespond: 30, // 2 10 10 20 [30] 30 52 60 80
  meanDaysToRespond: 32.7, // 294 / 9
  answeredLate: 2,
  extended: 1,
};
const OTHER: RegimeMetrics = {
  received: 5,
  complied: 2,
  denied: 1,
  deniedByReason: { identityNotVerified: 0, manifestlyUnfounded: 1, excessive: 0, rejectedAtApproval: 0 },
  closedWithoutExport: 1,
  closedByKind: { withdrawn: 1, cancelled: 0, expired: 0 },
  open: 1,
  openOverdue: 1,
  answered: 3,
  medianDaysToRespond: 20, // 5 [20] 35
  meanDaysToRespond: 20,
  answeredLate: 1,
  extended: 0,
};
const TOTAL: RegimeMetrics = {
  received: 42,
  complied: 18,
  denied: 9,
  deniedByReason: { identityNotVerified: 2, manifestlyUnfounded: 2, excessive: 2, rejectedAtApproval: 3 },
  closedWithoutExport: 7,
  closedByKind: { withdrawn: 3, cancelled: 2, expired: 2 },
  open: 8,
  openOverdue: 4,
  answered: 27,
  medianDaysToRespond: 20, // the 14th of 27
  meanDaysToRespond: 27.8, // 750 / 27
  answeredLate: 6,
  extended: 4,
};

describe('yearReport on Azurite', () => {
  const storage = testStorageConnectionString();
  const table = uniqueName('rep');
  const requests = new TableRequestStore(storage, table);
  const tombstones = new TableTombstones(storage, uniqueName('tomb'));
  const files = new BlobAuditFiles(storage, uniqueName('audit'));
  const clock = new FakeClock(`${TODAY}T09:00:00.000Z`);
  const deps: YearReportDeps = {
    requests,
    tombstones,
    files,
    audit: new FakeAuditLog(),
    directory: FakeDirectory.demoTenant(),
    clock,
    homeTenantId: HOME_TENANT,
    allowedRoleIds: ALLOWED_ROLES,
  };
  const report = async (): Promise<Extract<YearReportAnswer, { kind: 'report' }>> => {
    const answer = await yearReport(deps, caller(ALEX), '2026');
    if (answer.kind !== 'report') throw new Error(`expected a report, got ${JSON.stringify(answer)}`);
    return answer;
  };
  let first: Extract<YearReportAnswer, { kind: 'report' }>;

  beforeAll(async () => {
    for (const spec of SPECS) await requests.create(build(spec));
    first = await report();
  });

  it('gives every figure of 2026 as worked out by hand, per regime and in total', () => {
    expect(first.metrics.byRegime).toEqual({ GDPR, CCPA, other: OTHER });
    expect(first.metrics.total).toEqual(TOTAL);
    expect(first.metrics).toMatchObject({ from: '2026-01-01', to: '2026-12-31', today: TODAY });
  });

  it('writes the same figures as a CSV to the audit container', async () => {
    expect(first.file.name).toMatch(/^reports\/2026-01-01_2026-12-31\/20270110T090000Z-[0-9a-f]{8}\.csv$/);
    expect(await files.list('reports/2026-01-01_2026-12-31/')).toEqual([first.file.name]);
    const stored = await files.read(first.file.name);
    expect(stored?.contentType).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = stored!.content
      .toString('utf8')
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(','));
    const total = rows.find((r) => r[3] === 'total')!;
    const cell = (column: string) => total[header!.indexOf(column)];
    expect(cell('received')).toBe('42');
    expect(cell('denied_rejected_at_approval')).toBe('3');
    expect(cell('median_days_to_respond_answered')).toBe('20');
    expect(cell('mean_days_to_respond_answered')).toBe('27.8');
    expect(cell('answered_late')).toBe('6');
    expect(rows.map((r) => r[3])).toEqual(['GDPR', 'CCPA', 'other', 'total']);
  });

  it('gives the same figures once records are deleted behind their tombstones', async () => {
    const raw = TableStore.fromConnectionString<ExportRequest>(storage, table);
    const deleted = [
      'DSR-2026-0103',
      'DSR-2026-0106',
      'DSR-2026-0111',
      'DSR-2026-0202',
      'DSR-2026-0210',
      'DSR-2026-0304',
      'DSR-2025-0990',
    ];
    for (const spec of SPECS.filter((s) => deleted.includes(s.id))) {
      await tombstones.put(tombstoneOf(build(spec), clock.now().toISOString()));
      expect(await raw.delete(REQUESTS, spec.id)).toBe(true);
    }
    // A tombstone written while its record is still there (a deletion that stopped half-way): counted once.
    await tombstones.put(tombstoneOf(build(SPECS[0]!), clock.now().toISOString()));
    let left = 0;
    for await (const r of requests.scan()) left += r.id ? 1 : 0;
    expect(left).toBe(SPECS.length - deleted.length);
    clock.advance(1000);
    const again = await report();
    expect(again.metrics).toEqual(first.metrics);
    expect(again.file.name).not.toBe(first.file.name);
    expect(await files.list('reports/2026-01-01_2026-12-31/')).toHaveLength(2);
  });
});
