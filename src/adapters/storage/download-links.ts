import { randomBytes } from 'node:crypto';
import type { DownloadLink, DownloadLinks } from '../../domain/download-links';
import type { Versioned } from '../../domain/ports';
import type { LinkPurge } from '../../domain/retention-ports';
import { TableStore } from './table-store';
import { odata } from '@azure/data-tables';

const LINKS = 'links';

/** A fresh download token: 32 random bytes from the operating system's CSPRNG, base64url (43 characters). */
export const newDownloadToken = (): string => randomBytes(32).toString('base64url');

/**
 * One-time download links in an Azure Table (`downloadlinks`), keyed by the token's SHA-256: the token itself
 * is never stored. Creating never overwrites; consuming is a Replace at the ETag read, so of two redemptions
 * of one link exactly one succeeds (the other gets StaleWriteError). A used link is kept (marked used), so
 * that a second click is told "used" rather than "unknown".
 */
export class TableDownloadLinks implements DownloadLinks, LinkPurge {
  private readonly table: TableStore<DownloadLink>;

  constructor(connectionString: string, table = 'downloadlinks') {
    // The expiry as a column: the retention sweep deletes links a day after they expired (they name the admin).
    this.table = TableStore.fromConnectionString<DownloadLink>(connectionString, table, (l) => ({
      expiresAt: l.expiresAt,
    }));
  }

  async create(link: DownloadLink): Promise<void> {
    await this.table.create(LINKS, link.tokenHash, link);
  }

  get(tokenHash: string): Promise<Versioned<DownloadLink> | undefined> {
    return this.table.get(LINKS, tokenHash);
  }

  async consume(link: Versioned<DownloadLink>, usedAt: string): Promise<void> {
    await this.table.replace(LINKS, link.value.tokenHash, { ...link.value, usedAt }, link.etag);
  }

  async purgeExpired(before: string, max: number): Promise<number> {
    const old = await this.table.query(LINKS, odata`expiresAt lt ${before}`, max);
    let purged = 0;
    for (const link of old) if (await this.table.delete(LINKS, link.tokenHash)) purged++;
    return purged;
  }
}
