import { RANGE_REFUSAL_WORDS, reportCard, type ReportCardModel } from '../../src/cards/report-card';
import { yearMetrics } from '../../src/domain/metrics';
import type { RequestOutcome } from '../../src/domain/request-outcome';
import { cardProblems, cardText } from '../support/cards';
import { colorOf, markdownTexts } from './request-fixtures';

const YEAR = { from: '2026-01-01', to: '2026-12-31' };

const base: RequestOutcome = {
  id: 'DSR-2026-0001',
  regime: 'GDPR',
  receivedDate: '2026-03-01',
  dueDate: '2026-04-01',
  createdAt: '2026-03-02T09:00:00Z',
  status: 'delivered',
  outcome: 'complied',
  respondedDate: '2026-03-21',
  daysToRespond: 20,
  daysLate: 0,
  extensions: 0,
};

const FILE = {
  accountName: 'contosoexports',
  containerName: 'audit',
  name: 'reports/2026-01-01_2026-12-31/20261130T101500Z-1a2b3c4d.csv',
  bytes: 1536,
  contentType: 'text/csv; charset=utf-8',
};

const card = (outcomes: readonly RequestOutcome[], extra: Partial<ReportCardModel> = {}) =>
  reportCard({
    metrics: yearMetrics(outcomes, YEAR, '2026-11-30'),
    file: FILE,
    generatedAt: '2026-11-30T10:15:00.000Z',
    ...extra,
  });

interface Node {
  readonly [key: string]: unknown;
}

/** The table's rows: a ColumnSet's texts, label first. */
function rows(c: unknown): string[][] {
  const found: string[][] = [];
  for (const el of (c as { body: Node[] }).body)
    if (el.type === 'ColumnSet')
      found.push(
        (el.columns as { items: { text: string }[] }[]).map((col) => col.items.map((i) => i.text).join('')),
      );
  return found;
}

const late = { ...base, id: 'DSR-2026-0002', regime: 'CCPA', daysToRespond: 50, daysLate: 5 } as const;
const denied = {
  ...base,
  id: 'DSR-2026-0003',
  outcome: 'denied',
  status: 'closed',
  denialReason: 'manifestlyUnfounded',
  daysToRespond: 9,
} as const;
const open = { ...base, id: 'DSR-2026-0004', outcome: 'open', status: 'exporting', extensions: 1 } as const;

describe('reportCard', () => {
  it('is a valid Adaptive Card 1.5, titled with the range', () => {
    const c = card([base, late, denied, open]);
    expect(cardProblems(c)).toEqual([]);
    expect(c.version).toBe('1.5');
    expect(cardText(c)).toContain('Requests received 1 Jan 2026 – 31 Dec 2026');
  });

  it('shows a table per regime with a total, breaking denials down by the reasons that occurred', () => {
    const table = rows(card([base, late, denied, open]));
    expect(table[0]).toEqual([' ', 'GDPR', 'CCPA', 'Other', 'Total']);
    const row = (label: string) => table.find((r) => r[0] === label)?.slice(1);
    expect(row('Received')).toEqual(['3', '1', '0', '4']);
    expect(row('Complied with, in whole or in part')).toEqual(['1', '1', '0', '2']);
    expect(row('Denied')).toEqual(['1', '0', '0', '1']);
    expect(row('· manifestly unfounded')).toEqual(['1', '0', '0', '1']);
    expect(row('· excessive')).toBeUndefined();
    expect(row('Still open')).toEqual(['1', '0', '0', '1']);
    expect(row('· past the due date')).toEqual(['1', '0', '0', '1']);
    expect(row('Median days to respond')).toEqual(['14.5', '50', '–', '20']);
    expect(row('Mean days to respond')).toEqual(['14.5', '50', '–', '26.3']);
    expect(row('Answered late')).toEqual(['0', '1', '0', '1']);
    expect(row('Extended')).toEqual(['1', '0', '0', '1']);
  });

  it('shows the late count in the attention colour only when some were late', () => {
    const lateCells = (c: unknown) => {
      const set = (c as { body: Node[] }).body.find(
        (el) => el.type === 'ColumnSet' && JSON.stringify(el).includes('"Answered late"'),
      ) as { columns: { items: { color?: string }[] }[] };
      return set.columns.slice(1).map((col) => col.items[0]!.color);
    };
    expect(lateCells(card([base, late]))).toEqual(['Default', 'Attention', 'Default', 'Attention']);
    expect(lateCells(card([base]))).toEqual(['Default', 'Default', 'Default', 'Default']);
  });

  it('says what each figure means, and which requests the days to respond are counted over', () => {
    const text = cardText(card([base]));
    for (const figure of [
      'Received',
      'Complied with',
      'Denied',
      'Closed without export',
      'Still open',
      'Answered late',
      'Extended',
    ])
      expect(text).toContain(`**${figure}**:`);
    expect(text).toContain('over the answered requests (complied with + denied)');
  });

  it('names the CSV file in the audit container, escaped where it renders Markdown', () => {
    const c = card([base]);
    expect(cardText(c)).toContain('contosoexports');
    // An underscore between two digits cannot start emphasis: the name shows as it is.
    expect(markdownTexts(c)).toContain(FILE.name);
    const odd = card([base], { file: { ...FILE, name: 'reports/_x_/*y*.csv' } });
    expect(markdownTexts(odd)).toContain('reports/\\_x\\_/\\*y\\*.csv');
    expect(cardText(c)).toContain('1.5 KB');
  });

  it('offers the one-time download link only when one is given, the URL only as the button target', () => {
    const without = card([base]);
    expect((without as { actions?: unknown[] }).actions ?? []).toEqual([]);
    const url = 'https://bot.contoso.com/download/0123456789abcdef';
    const c = card([base], { download: { url, expiresAt: '2026-11-30T10:30:00.000Z' } });
    expect(cardProblems(c)).toEqual([]);
    expect((c as { actions?: unknown[] }).actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Download the CSV', url },
    ]);
    expect(cardText(c)).toContain('works once, until 2026-11-30 10:30 UTC');
    expect(cardText(c)).not.toContain(url);
  });

  it('says so when nothing was received, and stays valid', () => {
    const c = card([]);
    expect(cardProblems(c)).toEqual([]);
    expect(cardText(c)).toContain('No requests were received in this range.');
    expect(colorOf(c, '–')).toBe('Default');
  });

  it('has words for every refusal of a range', () => {
    for (const words of Object.values(RANGE_REFUSAL_WORDS)) expect(words.length).toBeGreaterThan(10);
  });
});
