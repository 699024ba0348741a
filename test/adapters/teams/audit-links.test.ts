import { randomBytes } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { parseCsv, TRAIL_COLUMNS, trailRecord } from '../../../src/domain/audit-file-format';
import { cardText } from '../../support/cards';
import { testStorageConnectionString } from '../../support/sandbox';
import { startAuditWorld, type AuditWorld } from './audit-world';

/**
 * Issue 16, part 1: exports of a request's audit trail and their one-time read links, on real parts (Azurite,
 * the tenant sandbox, a local connector, the HTTP server): JSON Lines and CSV that match the trail, a link that
 * works once for 15 minutes, every issue, download and refusal in the trail, and no token in any log line.
 */
jest.setTimeout(120_000);

let w: AuditWorld;
let requestId: string;

beforeAll(async () => {
  w = await startAuditWorld();
  requestId = w.requestId;
});

afterAll(() => w?.close());

describe('exports and one-time links', () => {
  it('exports JSON Lines and CSV that match the trail, every field', async () => {
    const entries = async () => (await w.auditLog().trail(requestId)).entries.map(trailRecord);

    const before = await entries();
    const jsonl = await w.exported(requestId, 'jsonl');
    const lines = (await w.auditFiles().read(jsonl.name))!.content
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ record: 'verification', valid: true, entries: before.length });
    expect(lines.slice(1).map(({ record, ...rest }) => (record === 'entry' ? rest : undefined))).toEqual(
      before,
    );
    expect(cardText(jsonl.card)).toContain(w.auditContainer);

    const beforeCsv = await entries();
    const csv = await w.exported(requestId, 'csv');
    const rows = parseCsv((await w.auditFiles().read(csv.name))!.content.toString('utf8'));
    expect(rows[0]).toEqual([...TRAIL_COLUMNS]);
    const asText = (r: ReturnType<typeof trailRecord>) => TRAIL_COLUMNS.map((c) => String(r[c] ?? ''));
    expect(rows.slice(1, -1)).toEqual(beforeCsv.map(asText));
    expect(rows.at(-1)?.slice(2, 4)).toEqual(['verification', 'intact']);
    // The export and the links are in the trail.
    const actions = await w.actionsOf(requestId);
    expect(actions.filter((a) => a === 'audit.exported')).toHaveLength(2);
    expect(actions.filter((a) => a === 'audit.linkIssued')).toHaveLength(2);
  });

  it('serves a file once through the HTTP server, then refuses the link with 410', async () => {
    const { url, name } = await w.exported(requestId, 'csv');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="${requestId}-${name.split('/').at(-1)!}"`,
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe((await w.auditFiles().read(name))!.content.toString('utf8'));
    expect((await w.actionsOf(requestId)).at(-1)).toBe('audit.downloaded');

    const again = await fetch(url);
    expect(again.status).toBe(410);
    expect(again.headers.get('cache-control')).toBe('no-store');
    const words = await again.text();
    expect(words).toContain('already used');
    expect(words).toContain('ask the bot for a new one');
    expect(words).not.toContain(requestId);
    expect((await w.actionsOf(requestId)).at(-1)).toBe('audit.linkRefused');
  });

  it('refuses a link after 15 minutes with 410, and records it', async () => {
    const { url } = await w.exported(requestId, 'jsonl');
    w.clock.advance(15 * 60_000 + 1);
    const res = await fetch(url);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('expired');
    expect((await w.actionsOf(requestId)).at(-1)).toBe('audit.linkRefused');
    const refused = (await w.auditLog().trail(requestId)).entries.at(-1)!.event;
    expect(refused.detail).toMatch(/expired/);
  });

  it('gives the file to exactly one of two GETs at once', async () => {
    const { url } = await w.exported(requestId, 'csv');
    const statuses = await Promise.all([fetch(url), fetch(url)].map(async (p) => (await p).status));
    expect(statuses.sort()).toEqual([200, 410]);
    expect((await w.actionsOf(requestId)).filter((a) => a === 'audit.downloaded')).toHaveLength(2);
  });

  it('answers a malformed or forged token 404, and never stores anything for it', async () => {
    const noRequest = async () => (await w.auditLog().trail()).entries.length;
    const before = await noRequest();
    const malformed = await fetch(`${w.h.url}/audit-files/not-a-token`);
    expect(malformed.status).toBe(404);
    expect(await malformed.text()).toContain('not known');
    // Shape checked first: nothing was looked up, nothing recorded.
    expect(await noRequest()).toBe(before);

    const forged = await fetch(`${w.h.url}/audit-files/${randomBytes(32).toString('base64url')}`);
    expect(forged.status).toBe(404);
    expect(forged.headers.get('cache-control')).toBe('no-store');
    const refusals = (await w.auditLog().trail()).entries.filter(
      (e) => e.event.action === 'audit.linkRefused',
    );
    expect(refusals.length).toBeGreaterThan(0);
    const links = TableClient.fromConnectionString(testStorageConnectionString(), w.h.tables.downloadLinks, {
      allowInsecureConnection: true,
    });
    let stored = 0;
    for await (const e of links.listEntities<{ json: string }>()) {
      stored++;
      expect(e.json).toMatch(/"tokenHash":"[0-9a-f]{64}"/);
    }
    expect(stored).toBe(w.tokens.length);
  });

  it('never writes a token, a SAS or the storage key to a log line, the audit trail or the links table', async () => {
    expect(w.tokens.length).toBeGreaterThanOrEqual(5);
    const key = /AccountKey=([^;]+)/.exec(testStorageConnectionString())?.[1];
    const trail = JSON.stringify(await w.auditLog().trail(requestId));
    const links = TableClient.fromConnectionString(testStorageConnectionString(), w.h.tables.downloadLinks, {
      allowInsecureConnection: true,
    });
    const rows: string[] = [];
    for await (const e of links.listEntities()) rows.push(JSON.stringify(e));
    for (const text of [...w.logLines, trail, ...rows]) {
      for (const token of w.tokens) expect(text).not.toContain(token);
      if (key) expect(text).not.toContain(key);
      expect(text).not.toMatch(/[?&]sig=/);
    }
    expect(w.logLines.join('\n')).toContain('Refused a download link');
  });
});
