import { randomBytes } from 'node:crypto';
import {
  DOWNLOAD_LINK_TTL_MS,
  isDownloadToken,
  linkState,
  type DownloadLink,
} from '../../src/domain/download-links';

const link = (extra: Partial<DownloadLink> = {}): DownloadLink => ({
  tokenHash: 'a'.repeat(64),
  fileName: 'trails/DSR-2026-0042/x.csv',
  requestId: 'DSR-2026-0042',
  issuedBy: { aadObjectId: 'megan', name: 'Megan Bowen' },
  issuedAt: '2026-11-30T10:00:00.000Z',
  expiresAt: '2026-11-30T10:15:00.000Z',
  ...extra,
});

describe('download tokens and links', () => {
  it('takes 32 random bytes in base64url as a token, and nothing else', () => {
    expect(isDownloadToken(randomBytes(32).toString('base64url'))).toBe(true);
    for (const bad of [
      '',
      'short',
      randomBytes(32).toString('base64'), // padding and + /
      `${randomBytes(32).toString('base64url')}x`,
      '../../../etc/passwd'.padEnd(43, 'a'),
      42,
      undefined,
    ])
      expect(isDownloadToken(bad)).toBe(false);
  });

  it('lasts 15 minutes', () => {
    expect(DOWNLOAD_LINK_TTL_MS).toBe(15 * 60_000);
  });

  it('is usable until it expires, expired from then on, and used once used, whatever the time', () => {
    expect(linkState(link(), new Date('2026-11-30T10:14:59.999Z'))).toBe('usable');
    expect(linkState(link(), new Date('2026-11-30T10:15:00.000Z'))).toBe('expired');
    expect(linkState(link({ usedAt: '2026-11-30T10:01:00.000Z' }), new Date('2026-11-30T10:02:00Z'))).toBe(
      'used',
    );
    expect(linkState(link({ usedAt: '2026-11-30T10:01:00.000Z' }), new Date('2026-12-01T00:00:00Z'))).toBe(
      'used',
    );
  });
});
