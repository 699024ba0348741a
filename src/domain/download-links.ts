import type { Actor } from './actor';
import type { Versioned } from './ports';

/**
 * One-time download links to files in the audit container (trail exports, reports). The link carries a random
 * token; only the token's hash is stored, with the file it opens, who it was issued to and until when. A link
 * opens its file once: the first redemption marks it used with a conditional write, so of two redemptions at
 * the same moment exactly one gets the file.
 */

/** How long a link may be redeemed after it was issued. */
export const DOWNLOAD_LINK_TTL_MS = 15 * 60_000;

/** A token: 32 random bytes in base64url without padding, 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Whether `value` has a token's shape (checked before any storage is touched). */
export function isDownloadToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN.test(value);
}

/** A link as stored: never the token itself. */
export interface DownloadLink {
  /** The token's SHA-256, lowercase hex: the link's key. */
  readonly tokenHash: string;
  /** The file's name in the audit container. */
  readonly fileName: string;
  /** The request the file is about, when it is about one (to tell the holder how to ask again). */
  readonly requestId?: string;
  /** The admin the link was issued to, as Teams identified them. */
  readonly issuedBy: Actor;
  readonly issuedAt: string;
  readonly expiresAt: string;
  /** When the link was redeemed; absent while it is unused. */
  readonly usedAt?: string;
}

/** What a stored link allows at `now`: its file (once), or nothing because it was used or has expired. */
export type LinkState = 'usable' | 'used' | 'expired';

/** The state of `link` at `now`. Pure. */
export function linkState(link: DownloadLink, now: Date): LinkState {
  if (link.usedAt !== undefined) return 'used';
  return now.getTime() >= Date.parse(link.expiresAt) ? 'expired' : 'usable';
}

/** The stored download links (an Azure Table; in memory in tests). */
export interface DownloadLinks {
  /** Stores a new link; rejects with AlreadyExistsError when its hash is taken (nothing is overwritten). */
  create(link: DownloadLink): Promise<void>;
  /** The link stored under a token's hash, with its version; undefined when there is none. */
  get(tokenHash: string): Promise<Versioned<DownloadLink> | undefined>;
  /**
   * Marks the link used at `usedAt`, only if it is still at the version read; otherwise rejects with
   * StaleWriteError (another redemption took it first) and writes nothing.
   */
  consume(link: Versioned<DownloadLink>, usedAt: string): Promise<void>;
}
