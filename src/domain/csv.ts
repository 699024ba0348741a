/** CSV cells as spreadsheets read them safely: RFC 4180 quoting, and no formula from anyone's text. */

/** Cell starts a spreadsheet reads as a formula (and the quote that marks them, so that it stays reversible). */
const FORMULA_START = /^[=+\-@\t\r']/;

/**
 * One CSV cell (RFC 4180): finite numbers as they are, nothing for null, undefined or a non-finite number; text
 * quoted when it holds a comma, a semicolon or a tab (separators in some spreadsheets' locales), a quote, a CR
 * or a LF, quotes doubled. Text that a spreadsheet would run as a formula (starting with = + - @ tab or CR) gets
 * a leading single quote, and so does text already starting with one: strip one leading quote to read a cell
 * back exactly.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",;\t\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
