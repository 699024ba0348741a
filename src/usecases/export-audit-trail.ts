import type { ChainVerification } from '../domain/audit-chain';
import { trailFile, type TrailFileFormat } from '../domain/audit-file-format';
import type { AuditFiles, StoredFile } from '../domain/records-ports';
import { issueDownloadLink, type IssueLinkDeps, type IssuedLink } from './issue-download-link';
import { checkTrailReader, trailOf, type TrailDeps, type TrailRefusal } from './read-audit-trail';
import type { Caller } from './who-am-i';

export interface ExportTrailDeps extends TrailDeps, IssueLinkDeps {
  /** The audit container in the export account. */
  readonly files: AuditFiles;
  /** A random id (a UUID): its first letters and digits make the file name unique. */
  readonly newId: () => string;
  /** The verdict on a trail in words, as the card says it (worded at the edge), for the file. */
  readonly describeVerdict: (verification: ChainVerification) => string;
}

export type ExportTrailAnswer =
  | {
      readonly kind: 'exported';
      readonly requestId: string;
      readonly file: StoredFile;
      /** Entries written to the file. */
      readonly entries: number;
      readonly verification: ChainVerification;
      /** The one-time read link; undefined when the bot has no public URL (BOT_ENDPOINT unset). */
      readonly link: IssuedLink | undefined;
    }
  | { readonly kind: 'none' }
  | TrailRefusal;

const FORMAT_NAMES: Record<TrailFileFormat, string> = { jsonl: 'JSON Lines', csv: 'CSV' };

/** `trails/DSR-2026-0042/20261130T101500Z-1a2b3c4d.csv`: the request, the UTC time and a random part. */
export function trailFileName(requestId: string, at: Date, random: string, format: TrailFileFormat): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  const suffix =
    random
      .replace(/[^A-Za-z0-9]/g, '')
      .toLowerCase()
      .slice(0, 8) || '0';
  return `trails/${requestId}/${stamp}-${suffix}.${format}`;
}

/**
 * Writes a request's whole audit trail to a new file in the audit container (JSON Lines or CSV: every entry
 * with every field, and the chain's verdict), for an admin (home tenant, allowed role now, checked live), and
 * issues them a one-time read link to it. The export is audited (`audit.exported`, naming the file) and so is
 * the link (`audit.linkIssued`). Files are never overwritten. Anyone else is refused as a trail view is, with
 * the same answer whether or not the request exists.
 */
export async function exportAuditTrail(
  deps: ExportTrailDeps,
  caller: Caller,
  requestId: string,
  format: TrailFileFormat,
): Promise<ExportTrailAnswer> {
  const access = await checkTrailReader(deps, caller, `audit trail export (${FORMAT_NAMES[format]})`);
  if (!access.ok) return access.refusal;
  const id = requestId.trim().toUpperCase();
  const trail = await trailOf(deps, id);
  if (!trail) return { kind: 'none' };
  const now = deps.clock.now();
  const { content, contentType } = trailFile(format, trail, {
    requestId: id,
    exportedAt: now.toISOString(),
    verdict: deps.describeVerdict(trail.verification),
  });
  const file = await deps.files.write(trailFileName(id, now, deps.newId(), format), content, contentType);
  const v = trail.verification;
  await deps.audit.append({
    at: now.toISOString(),
    action: 'audit.exported',
    actor: { ...access.actor, tenantId: caller.tenantId },
    outcome: 'ok',
    requestId: id,
    detail:
      `audit trail exported as ${FORMAT_NAMES[format]} to ${file.containerName}/${file.name}: ` +
      `${trail.entries.length} entries, ${v.valid ? 'the chain intact' : `${v.problems.length} chain problems`}`,
  });
  const link = await issueDownloadLink(deps, access.actor, file, id);
  return { kind: 'exported', requestId: id, file, entries: trail.entries.length, verification: v, link };
}
