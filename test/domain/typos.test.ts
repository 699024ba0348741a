import { correctCommandWords, editDistance } from '../../src/domain/typos';

describe('typos of command words (issue 14)', () => {
  it('counts an adjacent transposition as one edit', () => {
    expect(editDistance('exprot', 'export')).toBe(1);
    expect(editDistance('hlep', 'help')).toBe(1);
    expect(editDistance('export', 'export')).toBe(0);
    expect(editDistance('hello', 'help')).toBe(2);
  });

  it.each([
    ['exprot data for adele', 'export data for adele'],
    ['Exprot dta for Adele Vance', 'export data for Adele Vance'],
    ['hlep', 'help'],
    ['whoamii', 'whoami'],
    ['gdrp export Lee Gu', 'gdpr export Lee Gu'],
  ])('corrects %s to %s', (typed, meant) => {
    expect(correctCommandWords(typed)).toBe(meant);
  });

  it.each(['hello', 'make me a sandwich', 'export data for exprot', 'thanks', 'export data for adele'])(
    'leaves %s alone (nothing close, a name, or nothing to correct)',
    (typed) => {
      expect(correctCommandWords(typed)).toBeUndefined();
    },
  );

  it('looks only at the first words of a huge message (regression: a 770,000-character word blocked the bot; the fuzz test pins the liveness)', () => {
    expect(correctCommandWords(`${'x'.repeat(800_000)} data`)).toBeUndefined();
    expect(correctCommandWords(`exprot data for ${'y'.repeat(800_000)}`)).toMatch(/^export data for y+$/);
  });
});
