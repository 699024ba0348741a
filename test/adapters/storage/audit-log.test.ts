import { TableClient } from '@azure/data-tables';
import { HEAD_ROW, TableAuditLog, sha256 } from '../../../src/adapters/storage/audit-log';
import type { AuditEvent } from '../../../src/domain/audit';
import { entryHash } from '../../../src/domain/audit-chain';
import { uniqueName } from '../../contracts/fixtures';
import { testStorageConnectionString } from '../../support/sandbox';

const event = (n: number, detail = `entry ${n}`): AuditEvent => ({
  at: `2026-11-21T10:00:${String(n).padStart(2, '0')}.000Z`,
  action: 'request.viewed',
  actor: { aadObjectId: 'alex', name: 'Alex Wilber' },
  outcome: 'ok',
  requestId: 'DSR-1',
  subjectId: 'adele',
  detail,
});

/** A trail of five entries on Azurite, and a raw client over its table (as someone holding the key). */
async function fiveEntries(): Promise<{ log: TableAuditLog; raw: TableClient }> {
  const table = uniqueName('audit');
  const log = new TableAuditLog(testStorageConnectionString(), table);
  for (let n = 1; n <= 5; n++) await log.append(event(n));
  const raw = TableClient.fromConnectionString(testStorageConnectionString(), table, {
    allowInsecureConnection: true,
  });
  return { log, raw };
}

type Row = { rowKey: string; json: string; seq: number; prevHash: string; hash: string };
const rowKeyOf = (seq: number) => `c~${String(seq).padStart(10, '0')}`;

describe('the audit trail on Azure Tables, tampered with through the storage key (issue 16)', () => {
  it('finds an untouched trail whole', async () => {
    const { log } = await fiveEntries();
    const trail = await log.trail('DSR-1');
    expect(trail.verification).toEqual({ valid: true, chained: 5, unchained: 0, problems: [] });
    expect(trail.entries.map((e) => e.event.detail)).toEqual([1, 2, 3, 4, 5].map((n) => `entry ${n}`));
  });

  it('reports an entry whose detail was altered, by its sequence number', async () => {
    const { log, raw } = await fiveEntries();
    const row = await raw.getEntity<Row>('DSR-1', rowKeyOf(3));
    const json = JSON.stringify({ ...(JSON.parse(row.json) as AuditEvent), detail: 'nothing to see' });
    await raw.updateEntity({ partitionKey: 'DSR-1', rowKey: rowKeyOf(3), json }, 'Merge');
    const trail = await log.trail('DSR-1');
    expect(trail.verification.problems).toEqual([{ kind: 'altered', seq: 3 }]);
    expect(trail.entries[2]).toMatchObject({ seq: 3, event: { detail: 'nothing to see' } });
  });

  it('reports a deleted middle row as removed', async () => {
    const { log, raw } = await fiveEntries();
    await raw.deleteEntity('DSR-1', rowKeyOf(2));
    expect((await log.trail('DSR-1')).verification.problems).toEqual([{ kind: 'removed', from: 2, to: 2 }]);
  });

  it('reports a deleted last row as removed (the head still names it)', async () => {
    const { log, raw } = await fiveEntries();
    await raw.deleteEntity('DSR-1', rowKeyOf(5));
    expect((await log.trail('DSR-1')).verification.problems).toEqual([{ kind: 'removed', from: 5, to: 5 }]);
  });

  it('reports a forged row inserted with a well-computed hash', async () => {
    const { log, raw } = await fiveEntries();
    const before = await raw.getEntity<Row>('DSR-1', rowKeyOf(3));
    const forged = event(3, 'approved by the subject in person');
    await raw.createEntity({
      partitionKey: 'DSR-1',
      rowKey: `${rowKeyOf(3)}a`,
      json: JSON.stringify(forged),
      seq: 4,
      prevHash: before.hash,
      hash: entryHash(sha256, 4, before.hash, forged),
    });
    expect((await log.trail('DSR-1')).verification.problems).toEqual([
      { kind: 'inserted', seq: 4, rowKey: `${rowKeyOf(3)}a` },
    ]);
  });

  it('refuses to append to a trail whose head row was deleted, and reports it', async () => {
    const { log, raw } = await fiveEntries();
    await raw.deleteEntity('DSR-1', HEAD_ROW);
    await expect(log.append(event(6))).rejects.toThrow(/chained entries but no head row/);
    expect((await log.trail('DSR-1')).verification.problems).toEqual([{ kind: 'headMissing' }]);
  });

  it('reads entries from before the chain as unchained, starts the chain after them and seals them', async () => {
    const table = uniqueName('audit');
    const raw = TableClient.fromConnectionString(testStorageConnectionString(), table, {
      allowInsecureConnection: true,
    });
    await raw.createTable();
    const old = (rowKey: string, e: AuditEvent) =>
      raw.createEntity({ partitionKey: 'DSR-1', rowKey, json: JSON.stringify(e), action: e.action });
    await old('2026-11-21T10:00:01.000Z~0b1c', event(1, 'old'));
    await old('once~sas-revoked-1', event(2, 'old once'));
    const log = new TableAuditLog(testStorageConnectionString(), table);
    await log.append(event(3, 'again'), 'sas-revoked-1');
    await log.append(event(4, 'new'));
    const trail = await log.trail('DSR-1');
    expect(trail.entries.map((e) => [e.seq, e.event.detail])).toEqual([
      [undefined, 'old'],
      [undefined, 'old once'],
      [1, 'new'],
    ]);
    expect(trail.verification).toEqual({ valid: true, chained: 1, unchained: 2, problems: [] });
    expect((await log.list('DSR-1')).map((e) => e.detail)).toEqual(['old', 'old once', 'new']);

    await old('2026-11-21T10:00:00.000Z~forged', event(0, 'forged old entry'));
    expect((await log.trail('DSR-1')).verification.problems).toEqual([{ kind: 'unchainedChanged' }]);
  });
});
