import { FileExistsError } from '../../../src/domain/records-ports';
import type { ExportRequest } from '../../../src/domain/export-request';
import { tombstoneOf } from '../../../src/domain/request-outcome';
import { yearReport, type YearReportDeps } from '../../../src/usecases/year-report';
import { FakeAuditFiles, FakeTombstones, fakePorts } from '../../support/fakes';
import { ALEX, ALLOWED_ROLES, caller, HOME_TENANT, ISAIAH, MEGAN, pendingRequest } from './deps';

const NOW = '2026-11-30T10:15:00.000Z';

function world(randomSuffix?: () => string) {
  const ports = fakePorts(NOW);
  const tombstones = new FakeTombstones();
  const files = new FakeAuditFiles('contosoexports', 'audit');
  const deps: YearReportDeps = {
    requests: ports.requests,
    tombstones,
    files,
    audit: ports.audit,
    directory: ports.directory,
    clock: ports.clock,
    homeTenantId: HOME_TENANT,
    allowedRoleIds: ALLOWED_ROLES,
    ...(randomSuffix ? { randomSuffix } : {}),
  };
  return { ...ports, tombstones, files, deps };
}

const delivered = (id: string, receivedDate: string, date: string): ExportRequest => ({
  ...pendingRequest(id),
  receivedDate,
  dueDate: '2026-12-31',
  status: 'delivered',
  delivery: {
    date,
    method: 'secureLink',
    note: '',
    by: { aadObjectId: 'm', name: 'M' },
    at: `${date}T10:00:00Z`,
    daysLate: 0,
  },
});

describe('yearReport', () => {
  it('counts the year’s requests, writes the CSV to the audit container and audits the view and the export', async () => {
    const w = world(() => 'cafe0001');
    await w.requests.create(delivered('DSR-2026-0001', '2026-03-01', '2026-03-11'));
    await w.requests.create({ ...pendingRequest('DSR-2026-0002'), receivedDate: '2026-11-20' });
    await w.requests.create(delivered('DSR-2025-0099', '2025-12-31', '2026-01-05'));
    const answer = await yearReport(w.deps, caller(ALEX), '2026');
    expect(answer.kind).toBe('report');
    if (answer.kind !== 'report') return;
    expect(answer.range).toEqual({ from: '2026-01-01', to: '2026-12-31', label: '1 Jan 2026 – 31 Dec 2026' });
    expect(answer.metrics.total).toMatchObject({
      received: 2,
      complied: 1,
      open: 1,
      medianDaysToRespond: 10,
    });
    expect(answer.generatedAt).toBe(NOW);
    expect(answer.file).toMatchObject({
      accountName: 'contosoexports',
      containerName: 'audit',
      name: 'reports/2026-01-01_2026-12-31/20261130T101500Z-cafe0001.csv',
      contentType: 'text/csv; charset=utf-8',
    });
    const csv = w.files.text(answer.file.name)!;
    expect(csv.split('\r\n')[0]).toMatch(/^from,to,generated_at,regime,received,/);
    expect(answer.file.bytes).toBe(Buffer.byteLength(csv));
    expect(w.audit.all().map((e) => [e.action, e.outcome, e.actor.aadObjectId])).toEqual([
      ['report.viewed', 'ok', ALEX.id],
      ['report.exported', 'ok', ALEX.id],
    ]);
    expect(w.audit.all()[1]!.detail).toContain(answer.file.name);
  });

  it('counts a deleted request by its tombstone, and a request with both a record and a tombstone once', async () => {
    const w = world();
    const kept = delivered('DSR-2026-0001', '2026-03-01', '2026-03-11');
    const gone = delivered('DSR-2026-0002', '2026-04-01', '2026-04-21');
    await w.requests.create(kept);
    await w.tombstones.put(tombstoneOf(kept, '2026-11-01T00:00:00Z'));
    await w.tombstones.put(tombstoneOf({ ...gone, regime: 'CCPA' }, '2026-11-01T00:00:00Z'));
    const answer = await yearReport(w.deps, caller(MEGAN), 'this year');
    expect(answer.kind === 'report' && answer.metrics.total).toMatchObject({
      received: 2,
      complied: 2,
      medianDaysToRespond: 15,
    });
    expect(answer.kind === 'report' && answer.metrics.byRegime.CCPA.received).toBe(1);
  });

  it('refuses a caller without an allowed role now, or from another tenant, and audits it; nothing is read or written', async () => {
    const w = world();
    const scan = jest.spyOn(w.requests, 'scan');
    expect(await yearReport(w.deps, caller(ISAIAH), '2026')).toEqual({ kind: 'refused', reason: 'noRole' });
    expect(await yearReport(w.deps, caller(ALEX, 'another-tenant'), '2026')).toEqual({
      kind: 'refused',
      reason: 'otherTenant',
    });
    expect(scan).not.toHaveBeenCalled();
    expect(await w.files.list('')).toEqual([]);
    expect(w.audit.all().map((e) => [e.action, e.outcome])).toEqual([
      ['report.viewed', 'refused'],
      ['report.viewed', 'refused'],
    ]);
  });

  it('answers badRange for a range it cannot take, after the role check, and writes nothing', async () => {
    const w = world();
    expect(await yearReport(w.deps, caller(ALEX), 'next year')).toEqual({
      kind: 'badRange',
      reason: 'unreadable',
    });
    expect(await yearReport(w.deps, caller(ALEX), '2019 to 2026')).toEqual({
      kind: 'badRange',
      reason: 'tooLong',
    });
    expect(await w.files.list('')).toEqual([]);
    expect(w.directory.roleChecks).toBe(2);
  });

  it('takes another name when the random one is taken, and never overwrites a file', async () => {
    const names = ['aaaa0000', 'aaaa0000', 'bbbb1111'];
    const w = world(() => names.shift()!);
    const first = await yearReport(w.deps, caller(ALEX), '2026');
    const second = await yearReport(w.deps, caller(ALEX), '2026');
    expect(first.kind === 'report' && first.file.name).toMatch(/-aaaa0000\.csv$/);
    expect(second.kind === 'report' && second.file.name).toMatch(/-bbbb1111\.csv$/);
  });

  it('fails loudly when the name stays taken', async () => {
    const w = world(() => 'same');
    await yearReport(w.deps, caller(ALEX), '2026');
    await expect(yearReport(w.deps, caller(ALEX), '2026')).rejects.toBeInstanceOf(FileExistsError);
  });
});
