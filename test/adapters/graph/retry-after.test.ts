import { parseRetryAfter } from '../../../src/adapters/graph/retry-after';

describe('parseRetryAfter (one parser for every Graph answer, issue 13)', () => {
  const now = Date.parse('2026-11-22T09:00:00Z');

  it('reads delta-seconds, whole or fractional', () => {
    expect(parseRetryAfter('60', now)).toBe(60);
    expect(parseRetryAfter(' 2.5 ', now)).toBe(2.5);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('reads an HTTP-date as the seconds until then, never negative', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Sun, 22 Nov 2026 08:00:00 GMT', now)).toBe(0);
  });

  it('says nothing for an absent or unreadable value', () => {
    for (const v of [undefined, null, '', '   ', 'soon', '-5'])
      expect(parseRetryAfter(v, now)).toBeUndefined();
  });
});
