import { parseCsv, TRAIL_COLUMNS } from '../../../src/domain/audit-file-format';
import { exportAuditTrail, trailFileName } from '../../../src/usecases/export-audit-trail';
import { caller, ISAIAH, MEGAN } from './deps';
import { sha256, trailWorld, withTrail } from './trail-world';

describe('exportAuditTrail: the whole trail to a file in the audit container, with a one-time link', () => {
  it('names files trails/<id>/<UTC time>-<random>.<format>', () => {
    expect(trailFileName('DSR-2026-0042', new Date('2026-11-30T10:15:00.123Z'), 'A1B2-c3d4-e5', 'csv')).toBe(
      'trails/DSR-2026-0042/20261130T101500Z-a1b2c3d4.csv',
    );
  });

  it('writes every entry as JSON Lines with the verdict first, records the export and the link, and hands out the link', async () => {
    const w = trailWorld();
    await withTrail(w, 20);
    const before = await w.audit.trail('DSR-2026-0001');
    const answer = await exportAuditTrail(w.trailDeps, caller(MEGAN), 'dsr-2026-0001', 'jsonl');
    if (answer.kind !== 'exported') throw new Error(`not exported: ${answer.kind}`);
    expect(answer.file).toMatchObject({
      containerName: 'audit',
      name: expect.stringMatching(/^trails\/DSR-2026-0001\/20261122T090000Z-[a-z0-9]+\.jsonl$/) as unknown,
      contentType: 'application/x-ndjson; charset=utf-8',
    });
    const lines = w.files
      .text(answer.file.name)!
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({
      record: 'verification',
      valid: true,
      entries: 20,
      verdict: 'The trail is intact: 20 entries, each linked to the one before.',
    });
    expect(lines.slice(1).map((l) => [l.seq, l.detail])).toEqual(
      before.entries.map((e) => [e.seq, e.event.detail]),
    );

    expect(answer.link).toEqual({
      url: `https://bot.example/audit-files/${w.tokens[0]}`,
      expiresAt: '2026-11-22T09:15:00.000Z',
    });
    const recorded = w.audit.all().slice(-2);
    expect(recorded.map((e) => [e.action, e.outcome, e.requestId])).toEqual([
      ['audit.exported', 'ok', 'DSR-2026-0001'],
      ['audit.linkIssued', 'ok', 'DSR-2026-0001'],
    ]);
    expect(recorded[0]?.detail).toContain(answer.file.name);
    expect(JSON.stringify(w.audit.all())).not.toContain(w.tokens[0]);
    expect(w.links.all()).toEqual([
      expect.objectContaining({
        tokenHash: sha256(w.tokens[0]!),
        fileName: answer.file.name,
        requestId: 'DSR-2026-0001',
        issuedBy: { aadObjectId: MEGAN.id, name: MEGAN.displayName },
      }),
    ]);
  });

  it('writes CSV with a header, the entries and the verdict last', async () => {
    const w = trailWorld();
    await withTrail(w, 3);
    const answer = await exportAuditTrail(w.trailDeps, caller(MEGAN), 'DSR-2026-0001', 'csv');
    if (answer.kind !== 'exported') throw new Error(`not exported: ${answer.kind}`);
    const rows = parseCsv(w.files.text(answer.file.name)!);
    expect(rows[0]).toEqual([...TRAIL_COLUMNS]);
    expect(rows.slice(1, 4).map((r) => r[9])).toEqual(['entry 1', 'entry 2', 'entry 3']);
    expect(rows[4]?.slice(2, 4)).toEqual(['verification', 'intact']);
    expect(answer.file.contentType).toBe('text/csv; charset=utf-8');
  });

  it('exports without a link when the bot has no public URL, and issues none', async () => {
    const w = trailWorld(null);
    await withTrail(w, 1);
    const answer = await exportAuditTrail(w.trailDeps, caller(MEGAN), 'DSR-2026-0001', 'csv');
    expect(answer).toMatchObject({ kind: 'exported', link: undefined });
    expect(w.links.all()).toEqual([]);
    expect(w.audit.actions('DSR-2026-0001')).not.toContain('audit.linkIssued');
  });

  it('refuses a non-admin the same for an existing and an unknown id, writing nothing', async () => {
    const w = trailWorld();
    await withTrail(w, 1);
    for (const id of ['DSR-2026-0001', 'DSR-2099-9999'])
      expect(await exportAuditTrail(w.trailDeps, caller(ISAIAH), id, 'csv')).toEqual({ kind: 'noRole' });
    expect(await w.files.list('')).toEqual([]);
    expect(w.links.all()).toEqual([]);
    expect(w.audit.all().at(-1)).toMatchObject({ action: 'audit.viewed', outcome: 'refused' });
  });

  it('answers none for an admin asking about an unknown id', async () => {
    const w = trailWorld();
    expect(await exportAuditTrail(w.trailDeps, caller(MEGAN), 'DSR-2099-9999', 'jsonl')).toEqual({
      kind: 'none',
    });
    expect(await w.files.list('')).toEqual([]);
  });
});
