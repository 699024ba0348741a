import type { AuditEvent } from '../../src/domain/audit';
import type { ChainVerification } from '../../src/domain/audit-chain';
import {
  csvCell,
  parseCsv,
  TRAIL_COLUMNS,
  trailCsv,
  trailFile,
  trailJsonLines,
} from '../../src/domain/audit-file-format';
import type { AuditTrail } from '../../src/domain/ports';

const event = (detail: string, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  at: '2026-11-21T10:00:00.000Z',
  action: 'request.approved',
  actor: { aadObjectId: 'megan', name: 'Megan Bowen', tenantId: 'home' },
  outcome: 'ok',
  requestId: 'DSR-2026-0042',
  subjectId: 'adele',
  detail,
  ...extra,
});

const intact: ChainVerification = { valid: true, chained: 2, unchained: 1, problems: [] };
const facts = { requestId: 'DSR-2026-0042', exportedAt: '2026-11-30T10:15:00.000Z', verdict: 'Intact.' };

const trail = (details: string[], verification = intact): AuditTrail => ({
  entries: details.map((d, i) => ({ seq: i === 0 ? undefined : i, event: event(d) })),
  verification,
});

describe('a CSV cell (RFC 4180, with the formula guard)', () => {
  it('quotes a comma, a quote, CR and LF, doubling quotes, and leaves plain text alone', () => {
    expect(csvCell('plain text')).toBe('plain text');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('line 1\r\nline 2')).toBe('"line 1\r\nline 2"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it.each(['=HYPERLINK("http://evil")', '+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'prefixes %j with a single quote, so no spreadsheet runs it as a formula',
    (text) => {
      const cell = csvCell(text);
      expect(cell.replace(/^"/, '')).toMatch(/^'/);
      expect(parseCsv(`${cell}\r\n`)).toEqual([[text]]);
    },
  );

  it('prefixes text that already starts with a quote, so that reading it back is exact', () => {
    expect(csvCell("'=1")).toBe("''=1");
    expect(parseCsv(`${csvCell("'=1")},${csvCell("'plain")}\r\n`)).toEqual([["'=1", "'plain"]]);
  });

  it('does not prefix a formula character later in the text', () => {
    expect(csvCell('a=b+c')).toBe('a=b+c');
  });
});

describe('a trail as CSV', () => {
  it('has a header, one row per entry in trail order and a last row with the verdict, CRLF line ends', () => {
    const text = trailCsv(trail(['first', 'second', 'third']), facts);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...TRAIL_COLUMNS]);
    expect(rows.slice(1, 4).map((r) => [r[0], r[9]])).toEqual([
      ['', 'first'],
      ['1', 'second'],
      ['2', 'third'],
    ]);
    expect(rows[1]).toEqual([
      '',
      '2026-11-21T10:00:00.000Z',
      'request.approved',
      'ok',
      'megan',
      'Megan Bowen',
      'home',
      'DSR-2026-0042',
      'adele',
      'first',
    ]);
    expect(rows[4]).toEqual([
      '',
      facts.exportedAt,
      'verification',
      'intact',
      '',
      '',
      '',
      'DSR-2026-0042',
      '',
      'Intact.',
    ]);
    expect(rows).toHaveLength(5);
  });

  it('keeps details with new lines, commas, quotes and formulas whole (read back exactly)', () => {
    const hostile = ['two\nlines', 'a, "quoted", text', '=cmd|"/c calc"!A1', '-', '\r\nstarts with CRLF'];
    const rows = parseCsv(trailCsv(trail(hostile), facts));
    expect(rows.slice(1, 1 + hostile.length).map((r) => r[9])).toEqual(hostile);
    expect(rows).toHaveLength(hostile.length + 2);
  });

  it("says a broken chain in the last row's outcome", () => {
    const broken: ChainVerification = { ...intact, valid: false, problems: [{ kind: 'altered', seq: 1 }] };
    const rows = parseCsv(trailCsv(trail(['x'], broken), { ...facts, verdict: 'Altered.' }));
    expect(rows.at(-1)?.slice(2, 4)).toEqual(['verification', 'broken']);
    expect(rows.at(-1)?.[9]).toBe('Altered.');
  });
});

describe('a trail as JSON Lines', () => {
  it('starts with the verification, then one entry per line with every field', () => {
    const broken: ChainVerification = {
      valid: false,
      chained: 2,
      unchained: 1,
      problems: [{ kind: 'removed', from: 3, to: 4 }],
    };
    const text = trailJsonLines(trail(['first', 'two\nlines'], broken), facts);
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    const records = lines.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records[0]).toEqual({
      record: 'verification',
      requestId: 'DSR-2026-0042',
      exportedAt: facts.exportedAt,
      entries: 2,
      valid: false,
      chained: 2,
      unchained: 1,
      problems: [{ kind: 'removed', from: 3, to: 4 }],
      verdict: 'Intact.',
    });
    expect(records[1]).toEqual({
      record: 'entry',
      seq: null,
      at: '2026-11-21T10:00:00.000Z',
      action: 'request.approved',
      outcome: 'ok',
      actorId: 'megan',
      actorName: 'Megan Bowen',
      actorTenantId: 'home',
      requestId: 'DSR-2026-0042',
      subjectId: 'adele',
      detail: 'first',
    });
    expect(records[2]).toMatchObject({ seq: 1, detail: 'two\nlines' });
    expect(records).toHaveLength(3);
  });

  it('gives absent fields as null', () => {
    const bare: AuditEvent = { at: 't', action: 'audit.downloaded', actor: {}, outcome: 'ok' };
    const [, entry] = trailJsonLines({ entries: [{ seq: 1, event: bare }], verification: intact }, facts)
      .trim()
      .split('\n');
    expect(JSON.parse(entry!)).toMatchObject({
      actorId: null,
      actorName: null,
      requestId: null,
      subjectId: null,
      detail: null,
    });
  });
});

describe('trailFile', () => {
  it('names the content type of each format', () => {
    expect(trailFile('csv', trail(['x']), facts).contentType).toBe('text/csv; charset=utf-8');
    expect(trailFile('jsonl', trail(['x']), facts).contentType).toBe('application/x-ndjson; charset=utf-8');
  });
});
