import { dayLabel, parseReportRange, rangeLabel } from '../../src/domain/report-range';

const TODAY = '2026-11-30';
const range = (text: string) => parseReportRange(text, TODAY);

describe('parseReportRange', () => {
  it('reads a year as its calendar year, labelled as people read dates', () => {
    expect(range('2026')).toEqual({
      ok: true,
      range: { from: '2026-01-01', to: '2026-12-31', label: '1 Jan 2026 – 31 Dec 2026' },
    });
  });

  it('reads two days joined by "to", "..", a hyphen or a dash, in any case and spacing', () => {
    const half = { from: '2026-01-01', to: '2026-06-30', label: '1 Jan 2026 – 30 Jun 2026' };
    for (const text of [
      '2026-01-01 to 2026-06-30',
      '  2026-01-01   TO 2026-06-30 ',
      '2026-01-01..2026-06-30',
      '2026-01-01 .. 2026-06-30',
      '2026-01-01-2026-06-30',
      '2026-01-01 – 2026-06-30',
      '2026-01-01—2026-06-30',
    ])
      expect(range(text)).toEqual({ ok: true, range: half });
  });

  it('reads "this year", "last year" and nothing at all from today', () => {
    expect(range('this year')).toMatchObject({ ok: true, range: { from: '2026-01-01', to: '2026-12-31' } });
    expect(range('Last  Year')).toMatchObject({ ok: true, range: { from: '2025-01-01', to: '2025-12-31' } });
    expect(range('')).toMatchObject({ ok: true, range: { from: '2026-01-01', to: '2026-12-31' } });
  });

  it('reads a range of years from the first day of one to the last of the other', () => {
    expect(range('2022 to 2026')).toMatchObject({
      ok: true,
      range: { from: '2022-01-01', to: '2026-12-31' },
    });
    expect(range('2025-07-01 to 2026')).toMatchObject({
      ok: true,
      range: { from: '2025-07-01', to: '2026-12-31' },
    });
  });

  it('refuses what it cannot read', () => {
    for (const text of ['next year', '26', '2026-1-1 to 2026-06-30', '2026/01/01', 'Q1 2026', '2026 2027'])
      expect(range(text)).toEqual({ ok: false, reason: 'unreadable' });
  });

  it('refuses days that do not exist', () => {
    expect(range('2026-02-29 to 2026-03-31')).toEqual({ ok: false, reason: 'notADate' });
    expect(range('2026-01-01 to 2026-13-01')).toEqual({ ok: false, reason: 'notADate' });
    expect(range('2024-02-29 to 2024-03-31')).toMatchObject({ ok: true });
  });

  it('refuses years before 2000 or after 2100', () => {
    expect(range('1999')).toEqual({ ok: false, reason: 'yearOutOfBounds' });
    expect(range('2101')).toEqual({ ok: false, reason: 'yearOutOfBounds' });
    expect(range('2000')).toMatchObject({ ok: true });
    expect(range('2100')).toMatchObject({ ok: true });
    expect(parseReportRange('last year', '2000-05-01')).toEqual({ ok: false, reason: 'yearOutOfBounds' });
  });

  it('refuses a range that ends before it starts', () => {
    expect(range('2026-06-30 to 2026-01-01')).toEqual({ ok: false, reason: 'reversed' });
    expect(range('2026-06-30 to 2026-06-30')).toMatchObject({ ok: true });
  });

  it('refuses more than five years', () => {
    expect(range('2022 to 2026')).toMatchObject({ ok: true });
    expect(range('2021 to 2026')).toEqual({ ok: false, reason: 'tooLong' });
    expect(range('2021-03-15 to 2026-03-14')).toMatchObject({ ok: true });
    expect(range('2021-03-15 to 2026-03-15')).toEqual({ ok: false, reason: 'tooLong' });
  });
});

describe('dayLabel and rangeLabel', () => {
  it('write days as people read them', () => {
    expect(dayLabel('2026-03-09')).toBe('9 Mar 2026');
    expect(rangeLabel('2026-01-01', '2026-12-31')).toBe('1 Jan 2026 – 31 Dec 2026');
    expect(dayLabel('soon')).toBe('soon');
  });
});
