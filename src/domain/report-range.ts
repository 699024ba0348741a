/**
 * The range of days a metrics report covers, read from what an admin typed after `report`. Pure: `today` is
 * given, nothing reads the clock.
 */

/** Days from `from` to `to` (YYYY-MM-DD, both included), and how people read them. */
export interface ReportRange {
  readonly from: string;
  readonly to: string;
  /** `1 Jan 2026 – 31 Dec 2026`. */
  readonly label: string;
}

/**
 * Why a range was not accepted:
 * - `unreadable`: not one of the accepted forms;
 * - `notADate`: a day that does not exist (2026-02-30);
 * - `yearOutOfBounds`: a year before {@link FIRST_YEAR} or after {@link LAST_YEAR};
 * - `reversed`: the start comes after the end;
 * - `tooLong`: longer than {@link MAX_RANGE_YEARS} years.
 */
export type RangeRefusal = 'unreadable' | 'notADate' | 'yearOutOfBounds' | 'reversed' | 'tooLong';

export type ParsedRange =
  { readonly ok: true; readonly range: ReportRange } | { readonly ok: false; readonly reason: RangeRefusal };

export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;
export const MAX_RANGE_YEARS = 5;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** `2026-01-01` → `1 Jan 2026` (the text as it is when it is not a YYYY-MM-DD date). */
export function dayLabel(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined;
  return m && month ? `${Number(m[3])} ${month} ${m[1]}` : day;
}

/** `1 Jan 2026 – 31 Dec 2026`. */
export function rangeLabel(from: string, to: string): string {
  return `${dayLabel(from)} – ${dayLabel(to)}`;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The date when `day` is a YYYY-MM-DD day that exists, else undefined. */
function realDay(day: string): Date | undefined {
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || iso(d) !== day ? undefined : d;
}

/** One end of a range as typed: a year (its first or last day) or a day. */
const END = String.raw`(\d{4}(?:-\d{2}-\d{2})?)`;
/** Two ends with `to`, `..`, `-`, an en or em dash between them. */
const BETWEEN = new RegExp(String.raw`^${END}\s*(?:\s+to\s+|\.\.|-|–|—)\s*${END}$`, 'i');
const ONE = new RegExp(String.raw`^${END}$`);

const endDay = (typed: string, side: 'from' | 'to') =>
  typed.length === 4 ? `${typed}-${side === 'from' ? '01-01' : '12-31'}` : typed;

function check(from: string, to: string): ParsedRange {
  const start = realDay(from);
  const end = realDay(to);
  if (!start || !end) return { ok: false, reason: 'notADate' };
  const years = [start.getUTCFullYear(), end.getUTCFullYear()];
  if (years.some((y) => y < FIRST_YEAR || y > LAST_YEAR)) return { ok: false, reason: 'yearOutOfBounds' };
  if (from > to) return { ok: false, reason: 'reversed' };
  // The range ends before the same day MAX_RANGE_YEARS later: 2022-01-01 to 2026-12-31 is five years.
  const limit = new Date(start.getTime());
  limit.setUTCFullYear(start.getUTCFullYear() + MAX_RANGE_YEARS);
  if (end.getTime() >= limit.getTime()) return { ok: false, reason: 'tooLong' };
  return { ok: true, range: { from, to, label: rangeLabel(from, to) } };
}

/**
 * The range in `text`, or why it is refused. Accepted (case and spaces do not matter): nothing or `this
 * year` (the calendar year of `today`), `last year`, a year (`2026`), two days (`2026-01-01 to 2026-06-30`,
 * `2026-01-01..2026-06-30`, with a hyphen or a dash between them), or two years (`2024 to 2026`, from the first
 * day of one to the last of the other). Years from {@link FIRST_YEAR} to {@link LAST_YEAR}, the start on or
 * before the end, at most {@link MAX_RANGE_YEARS} years. `today` is YYYY-MM-DD.
 */
export function parseReportRange(text: string, today: string): ParsedRange {
  const typed = text.trim().replace(/\s+/g, ' ').toLowerCase();
  const year = Number(today.slice(0, 4));
  if (typed === '' || typed === 'this year') return check(`${year}-01-01`, `${year}-12-31`);
  if (typed === 'last year') return check(`${year - 1}-01-01`, `${year - 1}-12-31`);
  const one = ONE.exec(typed);
  if (one?.[1]) return check(endDay(one[1], 'from'), endDay(one[1], 'to'));
  const two = BETWEEN.exec(typed);
  if (two?.[1] && two[2]) return check(endDay(two[1], 'from'), endDay(two[2], 'to'));
  return { ok: false, reason: 'unreadable' };
}
