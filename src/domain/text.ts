/**
 * Text hygiene for everything a person (or the directory) types: cleaned, bounded without splitting a
 * character, and escaped where a card renders Markdown. Pure: no I/O.
 */

/** How long a rejection reason may be (the card's Input.Text says the same). */
export const MAX_REASON = 500;

// Lone UTF-16 surrogates: not text, and `encodeURIComponent` throws on them.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// C0 controls but tab and new line, DEL, C1 controls, zero-width space, LRM/RLM, bidirectional embeddings,
// overrides and isolates, invisible operators and the byte-order mark. ZWNJ and ZWJ (U+200C, U+200D) stay:
// Persian words and emoji sequences need them.
const INVISIBLE = new RegExp(
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u200B\\u200E\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF]',
  'g',
);

// Tabs and every Unicode space separator (no-break, ideographic …) but the ordinary space.
const SPACES = /[\t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;

/** The string with lone surrogates replaced by U+FFFD (what `String.prototype.toWellFormed` does). */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

export interface CleanOptions {
  /** Keep line breaks (at most one empty line in a row); otherwise every line break becomes a space. */
  readonly multiline?: boolean;
  /** Appended when the text was cut; `''` cuts silently. Default `…`. */
  readonly ellipsis?: string;
}

/**
 * What a person typed, fit to store and show: NFC-normalised; invisible and control characters removed (new
 * lines kept only when `multiline`); runs of spaces collapsed to one and lines trimmed; at most one empty
 * line in a row; trimmed; bounded to `maxLength` characters (code points) with {@link truncate}. Anything
 * that is not a string is `''`.
 */
export function cleanText(input: unknown, maxLength: number, options: CleanOptions = {}): string {
  if (typeof input !== 'string') return '';
  const lines = wellFormed(input)
    .normalize('NFC')
    .replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n')
    .replace(INVISIBLE, '')
    .replace(SPACES, ' ')
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim());
  const text = options.multiline
    ? lines
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim()
    : lines.filter((line) => line !== '').join(' ');
  return truncate(text, maxLength, options.ellipsis);
}

/** A rejection reason as stored and shown: cleaned like every typed text, several lines allowed, bounded. */
export function cleanReason(input: unknown): string {
  return cleanText(input, MAX_REASON, { multiline: true });
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const codePoints = (s: string): number => Array.from(s).length;

/**
 * `text` shortened to at most `max` characters (code points), the ellipsis included, ending with the
 * ellipsis when it was cut. Cuts between graphemes: never inside a surrogate pair, a flag, an emoji ZWJ
 * sequence or a letter with its combining marks (a grapheme longer than the room left is dropped whole).
 */
export function truncate(text: string, max: number, ellipsis = '…'): string {
  const limit = Math.max(0, Math.floor(max));
  if (codePoints(text) <= limit) return text;
  const room = limit - codePoints(ellipsis);
  if (room < 0) return '';
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = codePoints(segment);
    if (used + size > room) break;
    kept += segment;
    used += size;
  }
  return `${kept}${ellipsis}`;
}

/**
 * `text` with the Markdown that Adaptive Card TextBlocks and FactSet values render (emphasis, links, code,
 * headings, quotes, lists) backslash-escaped, so it shows literally. Only for those places: TextRuns and
 * input values render no Markdown and would show the backslashes. An underscore between two letters or
 * digits (`Authorization_RequestDenied`, `adele_v@contoso.com`) cannot start or end emphasis and is kept.
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/[\\`*[\]()#<>]/g, '\\$&')
      .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
      // List markers at the start of a line: `- `, `+ `, `1. `.
      .replace(/^([ \t]*)([-+])/gm, '$1\\$2')
      .replace(/^([ \t]*\d+)\./gm, '$1\\.')
  );
}
