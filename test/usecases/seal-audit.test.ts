import { TableClient, odata, type TransactionAction } from '@azure/data-tables';
import { TableAuditEraser } from '../../src/adapters/storage/audit-eraser';
import { BlobAuditFiles } from '../../src/adapters/storage/audit-files';
import { HEAD_ROW, TableAuditLog, sha256 } from '../../src/adapters/storage/audit-log';
import { TableDailyTasks } from '../../src/adapters/storage/daily-tasks';
import { TableTombstones } from '../../src/adapters/storage/tombstones';
import type { AuditEvent } from '../../src/domain/audit';
import { nextLink, sealOf, type ChainHead } from '../../src/domain/audit-chain';
import { parseSeal } from '../../src/domain/audit-seal';
import type { Clock } from '../../src/domain/ports';
import { sealAudit, verifySeals, type SealAuditDeps } from '../../src/usecases/seal-audit';
import { uniqueName } from '../contracts/fixtures';
import { testStorageConnectionString } from '../support/sandbox';

const DAY_MS = 24 * 3600_000;

const event = (requestId: string, n: number, detail = `entry ${n}`): AuditEvent => ({
  at: `2026-11-30T10:00:${String(n).padStart(2, '0')}.000Z`,
  action: 'request.viewed',
  actor: { aadObjectId: 'alex', name: 'Alex Wilber' },
  outcome: 'ok',
  requestId,
  subjectId: 'adele',
  detail,
});

/** A clock the test moves by hand. */
function clockAt(start: string): Clock & { advance(ms: number): void } {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms) => (t += ms) };
}

/** Storage of its own (tables and an audit container), trails in it, and bot instances over it. */
async function storage() {
  const cs = testStorageConnectionString();
  const names = {
    audit: uniqueName('audit'),
    daily: uniqueName('daily'),
    tombstones: uniqueName('tombs'),
    container: uniqueName('audit'),
  };
  const clock = clockAt('2026-12-01T00:10:00.000Z');
  /** One bot instance: its own clients over the shared storage. */
  const instance = (): SealAuditDeps & { audit: TableAuditLog; files: BlobAuditFiles } => ({
    audit: new TableAuditLog(cs, names.audit),
    files: new BlobAuditFiles(cs, names.container),
    tombstones: new TableTombstones(cs, names.tombstones),
    daily: new TableDailyTasks(cs, names.daily),
    clock,
    hash: sha256,
    claimMs: 60_000,
  });
  const bot = instance();
  for (let n = 1; n <= 4; n++) await bot.audit.append(event('DSR-2026-0001', n));
  for (let n = 1; n <= 2; n++) await bot.audit.append(event('DSR-2026-0002', n));
  await bot.audit.append({ ...event('x', 1, 'no role'), requestId: undefined, action: 'request.refused' });
  const tombstones = new TableTombstones(cs, names.tombstones);
  const verify = () => verifySeals({ audit: bot.audit, files: bot.files, tombstones, hash: sha256 });
  const raw = TableClient.fromConnectionString(cs, names.audit, { allowInsecureConnection: true });
  const eraser = new TableAuditEraser(cs, names.audit);
  return { bot, instance, clock, verify, raw, tombstones, eraser };
}

/**
 * Rewrites a whole trail behind the log's back, as someone holding the storage key could: every row deleted,
 * the events written again (one of them changed) with every hash and the head recomputed by the log's own
 * algorithm, in one transaction.
 */
async function rewriteConsistently(
  raw: TableClient,
  partition: string,
  change: (e: AuditEvent) => AuditEvent,
) {
  const rows: { rowKey: string; json?: string; seq?: number }[] = [];
  for await (const e of raw.listEntities<{ json?: string; seq?: number }>({
    queryOptions: { filter: odata`PartitionKey eq ${partition}` },
  }))
    rows.push({ rowKey: e.rowKey ?? '', json: e.json, seq: e.seq });
  const events = rows
    .filter((r) => r.rowKey !== HEAD_ROW)
    .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0))
    .map((r) => change(JSON.parse(r.json!) as AuditEvent));
  const actions: TransactionAction[] = rows.map((r) => [
    'delete',
    { partitionKey: partition, rowKey: r.rowKey },
  ]);
  await raw.submitTransaction(actions);
  let head: ChainHead | undefined;
  const writes: TransactionAction[] = [];
  for (const e of events) {
    const link = nextLink(sha256, head, () => sealOf(sha256, []), e);
    head = { seq: link.seq, hash: link.hash };
    writes.push([
      'create',
      {
        partitionKey: partition,
        rowKey: `c~${String(link.seq).padStart(10, '0')}`,
        json: JSON.stringify(e),
        action: e.action,
        outcome: e.outcome,
        actorId: e.actor.aadObjectId ?? '',
        ...link,
      },
    ]);
  }
  writes.push(['create', { partitionKey: partition, rowKey: HEAD_ROW, seq: head!.seq, hash: head!.hash }]);
  await raw.submitTransaction(writes);
}

describe('the daily seal of the audit trails on Azurite (issue 16)', () => {
  it('detects a trail rewritten consistently after the seal, which its own verification cannot', async () => {
    const { bot, verify, raw } = await storage();
    expect(await sealAudit(bot)).toMatchObject({ kind: 'sealed', day: '2026-11-30', count: 3 });
    expect((await verify()).latest).toMatchObject({ valid: true, checked: 3, problems: [] });

    await rewriteConsistently(raw, 'DSR-2026-0001', (e) =>
      e.detail === 'entry 2' ? { ...e, detail: 'approved by the subject in person' } : e,
    );
    const trail = await bot.audit.trail('DSR-2026-0001');
    expect(trail.verification).toEqual({ valid: true, chained: 4, unchained: 0, problems: [] });
    expect(trail.entries[1]!.event.detail).toBe('approved by the subject in person');

    const report = await verify();
    expect(report.chained).toBe(true);
    expect(report.latest).toMatchObject({
      valid: false,
      problems: [{ kind: 'rewritten', trail: 'DSR-2026-0001', seq: 4 }],
    });
  });

  it('writes one seal file when the same day is sealed twice', async () => {
    const { bot, clock } = await storage();
    const first = await sealAudit(bot);
    clock.advance(3600_000);
    expect(await sealAudit(bot)).toEqual({ kind: 'elsewhere', day: '2026-11-30' });
    expect(await bot.files.list('seals/')).toEqual(['seals/2026-11-30.json']);
    const sealed = (await bot.audit.list()).filter((e) => e.action === 'audit.sealed');
    expect(sealed).toHaveLength(1);
    expect(sealed[0]!.detail).toContain(first.kind === 'sealed' ? first.hash : 'no hash');
  });

  it('writes one seal when two instances seal at once, with or without the daily claim', async () => {
    const { instance } = await storage();
    const [a, b] = [instance(), instance()];
    const outcomes = await Promise.all([sealAudit(a), sealAudit(b)]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['elsewhere', 'sealed']);

    // Past the claim (its holder died after writing the file): the name is taken, so the file stays as it was.
    const { instance: other } = await storage();
    const free = { claim: () => Promise.resolve('claimed' as const), complete: () => Promise.resolve() };
    const [c, d] = [
      { ...other(), daily: free },
      { ...other(), daily: free },
    ];
    const raced = await Promise.all([sealAudit(c), sealAudit(d)]);
    expect(raced.map((o) => o.kind).sort()).toEqual(['alreadySealed', 'sealed']);
    expect(await c.files.list('seals/')).toEqual(['seals/2026-11-30.json']);
    expect((await c.audit.list()).filter((e) => e.action === 'audit.sealed')).toHaveLength(1);
  });

  it('accepts a trail erased by retention behind a tombstone, and reports one erased without', async () => {
    const { bot, verify, tombstones, eraser } = await storage();
    await sealAudit(bot);
    await tombstones.put({
      id: 'DSR-2026-0001',
      regime: 'GDPR',
      receivedDate: '2024-10-01',
      dueDate: '2024-11-01',
      createdAt: '2024-10-02T09:00:00.000Z',
      status: 'delivered',
      outcome: 'complied',
      respondedDate: '2024-10-20',
      daysToRespond: 19,
      daysLate: 0,
      extensions: 0,
      deletedAt: '2026-12-01T01:00:00.000Z',
    });
    await eraser.eraseTrail('DSR-2026-0001');
    await eraser.eraseTrail('DSR-2026-0002');
    // Retention records the deletion among the events tied to no request.
    await bot.audit.append({
      at: '2026-12-01T01:00:00.000Z',
      action: 'record.tombstoned',
      actor: { name: 'DSR export bot' },
      outcome: 'ok',
      detail:
        'DSR-2026-0001 deleted after 24 months (record and 3 audit entries); its tombstone keeps the figures',
    });
    expect((await verify()).latest).toMatchObject({
      valid: false,
      checked: 2,
      retired: ['DSR-2026-0001'],
      problems: [{ kind: 'vanished', trail: 'DSR-2026-0002' }],
    });
  });

  it('chains the seals day to day', async () => {
    const { bot, clock, verify } = await storage();
    await sealAudit(bot);
    clock.advance(DAY_MS);
    await bot.audit.append(event('DSR-2026-0003', 1));
    expect(await sealAudit(bot)).toMatchObject({ kind: 'sealed', day: '2026-12-01', count: 4 });
    const first = (await bot.files.read('seals/2026-11-30.json'))!.content.toString('utf8');
    const second = parseSeal((await bot.files.read('seals/2026-12-01.json'))!.content.toString('utf8'));
    expect(second?.previous).toBe(sha256(first));
    const report = await verify();
    expect(report.seals.map((s) => [s.day, s.link])).toEqual([
      ['2026-11-30', 'start'],
      ['2026-12-01', 'linked'],
    ]);
    expect(report.latest).toMatchObject({ valid: true, day: '2026-12-01', checked: 4 });
  });
});
