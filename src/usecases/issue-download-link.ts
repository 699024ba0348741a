import type { Actor } from '../domain/actor';
import type { HashText } from '../domain/audit-chain';
import { DOWNLOAD_LINK_TTL_MS, isDownloadToken, type DownloadLinks } from '../domain/download-links';
import type { AuditLog, Clock } from '../domain/ports';
import type { StoredFile } from '../domain/records-ports';

export interface IssueLinkDeps {
  readonly links: DownloadLinks;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** The bot's public base URL (BOT_ENDPOINT); undefined when it is not set: no links then. */
  readonly publicUrl: string | undefined;
  /** A fresh token: 32 random bytes in base64url. */
  readonly newToken: () => string;
  /** The token's hash as stored (SHA-256, lowercase hex). */
  readonly hashToken: HashText;
}

/** A link handed to one admin: it opens its file once, until `expiresAt`. The URL holds the token. */
export interface IssuedLink {
  readonly url: string;
  readonly expiresAt: string;
}

/**
 * Issues a one-time, 15-minute read link to a file in the audit container, for `actor`: the link row holds the
 * token's hash only (never the token), the file, the request it is about and who it was issued to; issuing is
 * audited (`audit.linkIssued`, never the token or the URL). Undefined when the bot has no public URL
 * (BOT_ENDPOINT unset): nothing is stored or recorded then. Any part that talks to storage may reject.
 */
export async function issueDownloadLink(
  deps: IssueLinkDeps,
  actor: Actor,
  file: Pick<StoredFile, 'containerName' | 'name'>,
  requestId?: string,
): Promise<IssuedLink | undefined> {
  if (deps.publicUrl === undefined) return undefined;
  const token = deps.newToken();
  if (!isDownloadToken(token))
    throw new Error('The download token generator made a token of the wrong shape (32 bytes, base64url).');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + DOWNLOAD_LINK_TTL_MS).toISOString();
  await deps.links.create({
    tokenHash: deps.hashToken(token),
    fileName: file.name,
    ...(requestId ? { requestId } : {}),
    issuedBy: { aadObjectId: actor.aadObjectId, name: actor.name },
    issuedAt: now.toISOString(),
    expiresAt,
  });
  await deps.audit.append({
    at: now.toISOString(),
    action: 'audit.linkIssued',
    actor: { aadObjectId: actor.aadObjectId, name: actor.name },
    outcome: 'ok',
    ...(requestId ? { requestId } : {}),
    detail: `one-time link to ${file.containerName}/${file.name}, valid until ${expiresAt}`,
  });
  return { url: `${deps.publicUrl.replace(/\/+$/, '')}/audit-files/${token}`, expiresAt };
}
