import type { DownloadLink, DownloadLinks } from '../../src/domain/download-links';
import { AlreadyExistsError, StaleWriteError } from '../../src/domain/ports';

const link = (hash: string, extra: Partial<DownloadLink> = {}): DownloadLink => ({
  tokenHash: hash,
  fileName: 'trails/DSR-2026-0042/20261130T101500Z-1a2b3c4d.csv',
  requestId: 'DSR-2026-0042',
  issuedBy: { aadObjectId: 'megan', name: 'Megan Bowen' },
  issuedAt: '2026-11-30T10:15:00.000Z',
  expiresAt: '2026-11-30T10:30:00.000Z',
  ...extra,
});

const hash = (n: number) => n.toString(16).padStart(64, '0');

/**
 * What every DownloadLinks promises (domain/download-links.ts): a link is created once and never overwritten,
 * read back by its hash with a version, and consumed only at the version read, so that of two redemptions of
 * one link exactly one wins.
 */
export function describeDownloadLinksContract(
  name: string,
  makeLinks: () => DownloadLinks | Promise<DownloadLinks>,
): void {
  describe(`the DownloadLinks contract: ${name}`, () => {
    it('stores a link and reads it back by its hash, unused; an unknown hash is undefined', async () => {
      const links = await makeLinks();
      await links.create(link(hash(1)));
      expect((await links.get(hash(1)))?.value).toEqual(link(hash(1)));
      expect(await links.get(hash(2))).toBeUndefined();
    });

    it('never overwrites a link: a second create with the hash is AlreadyExistsError', async () => {
      const links = await makeLinks();
      await links.create(link(hash(1)));
      await expect(links.create(link(hash(1), { fileName: 'other' }))).rejects.toBeInstanceOf(
        AlreadyExistsError,
      );
      expect((await links.get(hash(1)))?.value.fileName).toBe(link(hash(1)).fileName);
    });

    it('marks a link used at the version read; that version is then stale', async () => {
      const links = await makeLinks();
      await links.create(link(hash(1)));
      const read = (await links.get(hash(1)))!;
      await links.consume(read, '2026-11-30T10:16:00.000Z');
      expect((await links.get(hash(1)))?.value.usedAt).toBe('2026-11-30T10:16:00.000Z');
      await expect(links.consume(read, '2026-11-30T10:17:00.000Z')).rejects.toBeInstanceOf(StaleWriteError);
      expect((await links.get(hash(1)))?.value.usedAt).toBe('2026-11-30T10:16:00.000Z');
    });

    it('lets exactly one of two consumptions of one version win', async () => {
      const links = await makeLinks();
      await links.create(link(hash(1)));
      const read = (await links.get(hash(1)))!;
      const results = await Promise.allSettled([
        links.consume(read, '2026-11-30T10:16:00.000Z'),
        links.consume(read, '2026-11-30T10:16:00.001Z'),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(StaleWriteError);
    });
  });
}
