import { metricsCsv } from '../../src/domain/metrics-csv';
import { yearMetrics } from '../../src/domain/metrics';
import type { RequestOutcome } from '../../src/domain/request-outcome';

const base: RequestOutcome = {
  id: 'DSR-2026-0001',
  regime: 'GDPR',
  receivedDate: '2026-03-01',
  dueDate: '2026-04-01',
  createdAt: '2026-03-02T09:00:00Z',
  status: 'delivered',
  outcome: 'complied',
  respondedDate: '2026-04-03',
  daysToRespond: 33,
  daysLate: 2,
  extensions: 1,
};

const metrics = yearMetrics(
  [
    base,
    {
      ...base,
      id: 'DSR-2026-0002',
      regime: 'CCPA',
      outcome: 'denied',
      denialReason: 'excessive',
      daysToRespond: 10,
      daysLate: 0,
      extensions: 0,
    },
    {
      ...base,
      id: 'DSR-2026-0003',
      outcome: 'open',
      status: 'exporting',
      dueDate: '2026-01-01',
      extensions: 0,
    },
  ],
  { from: '2026-01-01', to: '2026-12-31' },
  '2026-11-30',
);

/** The CSV split into rows of cells (none of this report's cells holds a comma or a quote). */
const table = (csv: string) =>
  csv
    .split('\r\n')
    .filter((l) => l !== '')
    .map((l) => l.split(','));

describe('metricsCsv', () => {
  const csv = metricsCsv(metrics, '2026-11-30T10:15:00.000Z');
  const [header, ...rows] = table(csv);

  it('starts with the header row and has a row per regime and a total, with CRLF line ends', () => {
    expect(csv.startsWith('from,to,generated_at,regime,received,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(rows.map((r) => r[3])).toEqual(['GDPR', 'CCPA', 'other', 'total']);
    for (const r of rows) expect(r).toHaveLength(header!.length);
  });

  it('repeats the range and the generation time on every row', () => {
    for (const r of rows)
      expect(r.slice(0, 3)).toEqual(['2026-01-01', '2026-12-31', '2026-11-30T10:15:00.000Z']);
  });

  it('writes the figures under their headers, and nothing for days to respond when none was answered', () => {
    const cell = (regime: string, column: string) =>
      rows.find((r) => r[3] === regime)![header!.indexOf(column)];
    expect(cell('total', 'received')).toBe('3');
    expect(cell('GDPR', 'complied_in_whole_or_part')).toBe('1');
    expect(cell('CCPA', 'denied_excessive')).toBe('1');
    expect(cell('total', 'still_open_overdue')).toBe('1');
    expect(cell('total', 'median_days_to_respond_answered')).toBe('21.5');
    expect(cell('total', 'mean_days_to_respond_answered')).toBe('21.5');
    expect(cell('total', 'answered_late')).toBe('1');
    expect(cell('total', 'extended')).toBe('1');
    expect(cell('other', 'received')).toBe('0');
    expect(cell('other', 'median_days_to_respond_answered')).toBe('');
    expect(header).toEqual(
      expect.arrayContaining(['denied_identity_not_verified', 'closed_withdrawn', 'closed_expired']),
    );
  });
});
