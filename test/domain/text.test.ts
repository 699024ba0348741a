import {
  cleanReason,
  cleanText,
  escapeMarkdown,
  MAX_REASON,
  truncate,
  wellFormed,
} from '../../src/domain/text';

const FAMILY = '👩‍👩‍👧‍👦'; // 7 code points, one grapheme
const FLAGS = '🇫🇷🇩🇪'; // two flags, two code points each
const codePoints = (s: string) => Array.from(s).length;
const hasLoneSurrogate = (s: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('truncate', () => {
  it('leaves short text alone and counts code points, not UTF-16 units', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('🎉🎉🎉', 3)).toBe('🎉🎉🎉');
    expect(truncate('🎉🎉🎉', 2)).toBe('🎉…');
  });

  it('never splits an emoji ZWJ sequence (defect: the family was cut into loose people and a dangling joiner)', () => {
    const text = `ab${FAMILY}cd`;
    expect(truncate(text, 6)).toBe('ab…');
    expect(truncate(text, 10)).toBe(`ab${FAMILY}…`);
  });

  it('never splits a flag or a letter from its combining accent (defect: half a flag, a silently dropped accent)', () => {
    expect(truncate(FLAGS, 2)).toBe('…');
    expect(truncate(FLAGS, 3)).toBe('🇫🇷…');
    expect(truncate('Rene\u0301e', 5)).toBe('Ren…');
  });

  it('never leaves a lone surrogate, whatever the bound', () => {
    const text = `x${'😀'.repeat(3)}${FAMILY}${FLAGS}`;
    for (let max = 0; max <= codePoints(text) + 1; max++) {
      const cut = truncate(text, max);
      expect({ max, lone: hasLoneSurrogate(cut) }).toEqual({ max, lone: false });
      expect(codePoints(cut)).toBeLessThanOrEqual(max);
    }
  });

  it('answers empty text for a bound of zero (defect: slice(0, max - 1) kept all but one character)', () => {
    expect(truncate('abcdef', 0)).toBe('');
    expect(truncate('abcdef', 1)).toBe('…');
    expect(truncate('abcdef', 3, '')).toBe('abc');
  });
});

describe('cleanText', () => {
  it('removes control and direction-override characters but keeps emoji and Persian joiners', () => {
    expect(cleanText('a\u0000b\u202Ec\u2066d\uFEFF 🎉', 100)).toBe('abcd 🎉');
    // Defect: U+200C and U+200D were removed with the zero-width characters, breaking Persian words and emoji.
    expect(cleanText(`می\u200Cخواهم ${FAMILY}`, 100)).toBe(`می\u200Cخواهم ${FAMILY}`);
  });

  it('collapses runs of spaces and tabs, and makes one line of several unless several are allowed', () => {
    expect(cleanText('  Adele \t\u00A0 Vance \r\n\r\n  (Retail)  ', 100)).toBe('Adele Vance (Retail)');
    expect(cleanText('first  line \r\n\r\n\r\n\n second\u2028third ', 100, { multiline: true })).toBe(
      'first line\n\nsecond\nthird',
    );
  });

  it('bounds the length, with or without an ellipsis (defect: typed text was cleaned but never bounded)', () => {
    expect(cleanText('x'.repeat(10_000), 64)).toBe(`${'x'.repeat(63)}…`);
    expect(cleanText('x'.repeat(10_000), 64, { ellipsis: '' })).toBe('x'.repeat(64));
  });

  it('replaces lone surrogates, which break URL encoding and JSON consumers', () => {
    expect(cleanText('a\uD83Db', 10)).toBe('a\uFFFDb');
    expect(wellFormed('\uDE00x\uD83D\uDE00')).toBe('\uFFFDx😀');
  });

  it('normalises to NFC and answers empty text for anything that is not a string', () => {
    expect(cleanText('Rene\u0301e', 10)).toBe('Renée');
    expect(cleanText(42, 10)).toBe('');
    expect(cleanText(undefined, 10)).toBe('');
  });
});

describe('cleanReason', () => {
  it('cleans a rejection reason like any typed text and bounds it (defect: only trimmed and sliced)', () => {
    expect(cleanReason('  Not\u202E verified \u0007\r\n\r\n\r\nby  phone ')).toBe('Not verified\n\nby phone');
    const long = cleanReason(`${'🎉'.repeat(MAX_REASON - 1)}${FAMILY}`);
    expect(codePoints(long)).toBeLessThanOrEqual(MAX_REASON);
    expect(hasLoneSurrogate(long) || long.includes('\u200D')).toBe(false);
    expect(cleanReason(null)).toBe('');
  });
});

describe('escapeMarkdown', () => {
  /** What CommonMark shows for backslash escapes of ASCII punctuation: the character itself. */
  const rendered = (s: string) => s.replace(/\\([!-/:-@[-`{-~])/g, '$1');

  it.each([
    ['[click](https://evil.example)', '\\[click\\]\\(https://evil.example\\)'],
    ['**ALL APPROVED**', '\\*\\*ALL APPROVED\\*\\*'],
    ['_x_ `code` # h <b> a\\b', '\\_x\\_ \\`code\\` \\# h \\<b\\> a\\\\b'],
    ['- item\n+ item\n12. item\n  3. item', '\\- item\n\\+ item\n12\\. item\n  3\\. item'],
    ['2026-11-20 and a-b and 1.5', '2026-11-20 and a-b and 1.5'],
  ])('escapes %j so it renders literally', (input, escaped) => {
    expect(escapeMarkdown(input)).toBe(escaped);
    expect(rendered(escapeMarkdown(input))).toBe(input);
  });

  it('keeps an underscore inside a word, where it cannot make emphasis (error codes, sign-in names)', () => {
    expect(escapeMarkdown('Authorization_RequestDenied adele_v@contoso.com')).toBe(
      'Authorization_RequestDenied adele_v@contoso.com',
    );
    expect(escapeMarkdown('_x_ a_ _b snake_case_')).toBe('\\_x\\_ a\\_ \\_b snake_case\\_');
  });

  it('leaves ordinary names and addresses readable', () => {
    expect(escapeMarkdown('Adele Vance (adelev@contoso.com)')).toBe('Adele Vance \\(adelev@contoso.com\\)');
    expect(escapeMarkdown("Conor O'Brien")).toBe("Conor O'Brien");
  });
});
