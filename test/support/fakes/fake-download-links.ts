import type { DownloadLink, DownloadLinks } from '../../../src/domain/download-links';
import type { Versioned } from '../../../src/domain/ports';
import type { LinkPurge } from '../../../src/domain/retention-ports';
import { Faults } from './faults';
import { MemoryTable } from './memory-table';

type DownloadLinkOps = {
  create: [link: DownloadLink];
  get: [tokenHash: string];
  consume: [link: Versioned<DownloadLink>, usedAt: string];
};

/**
 * Download links in memory, with the contract of {@link TableDownloadLinks}: `create` refuses a taken hash
 * (AlreadyExistsError), `consume` writes only at the ETag read (StaleWriteError). Counts the calls of each
 * operation, for tests that check what a refusal touched.
 */
export class FakeDownloadLinks implements DownloadLinks, LinkPurge {
  readonly faults = new Faults<DownloadLinkOps>();
  readonly calls = { create: 0, get: 0, consume: 0 };
  private readonly table = new MemoryTable<DownloadLink>('downloadlinks');

  async create(link: DownloadLink): Promise<void> {
    this.calls.create++;
    await this.faults.check('create', link);
    this.table.create(link.tokenHash, link);
  }

  async get(tokenHash: string): Promise<Versioned<DownloadLink> | undefined> {
    this.calls.get++;
    await this.faults.check('get', tokenHash);
    return this.table.get(tokenHash);
  }

  async consume(link: Versioned<DownloadLink>, usedAt: string): Promise<void> {
    this.calls.consume++;
    await this.faults.check('consume', link, usedAt);
    this.table.replace(link.value.tokenHash, { ...link.value, usedAt }, link.etag);
  }

  /** Deletes links that expired before `before` (retention). */
  async purgeExpired(before: string, max: number): Promise<number> {
    await Promise.resolve();
    const old = this.table
      .values()
      .filter((l) => l.expiresAt < before)
      .slice(0, max);
    for (const l of old) this.table.delete(l.tokenHash);
    return old.length;
  }

  /** Every stored link (tests). */
  all(): DownloadLink[] {
    return this.table.values();
  }
}
