import type { AuditEvent } from '../domain/audit';
import type { HashText } from '../domain/audit-chain';
import { isDownloadToken, linkState, type DownloadLinks } from '../domain/download-links';
import { StaleWriteError, type AuditLog, type Clock } from '../domain/ports';
import type { AuditFiles } from '../domain/records-ports';

export interface DownloadDeps {
  readonly links: DownloadLinks;
  readonly files: AuditFiles;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** The token's hash as stored (SHA-256, lowercase hex): the same function that issued it. */
  readonly hashToken: HashText;
}

/** Why a link gives nothing: no such link (or not a token), used already, expired, or its file is gone. */
export type DownloadRefusal = 'unknown' | 'used' | 'expired' | 'gone';

export type DownloadOutcome =
  | {
      readonly kind: 'file';
      /** The file's name in the audit container. */
      readonly fileName: string;
      readonly content: Buffer;
      readonly contentType: string;
    }
  | {
      readonly kind: 'refused';
      readonly why: DownloadRefusal;
      /** The request the link was about, when known (to say how to ask for a new link). */
      readonly requestId?: string;
    };

/**
 * Redeems a one-time download link: the file, once. A token of the wrong shape is refused before any storage
 * is touched (and not recorded). Otherwise the link is looked up by the token's hash; an unknown, used or
 * expired link is refused and the refusal recorded (`audit.linkRefused`, bounded per hour like every refusal);
 * a usable one has its file read, then is consumed with a conditional write, so that of two redemptions at once
 * exactly one gets the file (the other is refused as used). The download is recorded (`audit.downloaded`). The
 * token never reaches the audit trail.
 */
export async function downloadAuditFile(deps: DownloadDeps, token: string): Promise<DownloadOutcome> {
  if (!isDownloadToken(token)) return { kind: 'refused', why: 'unknown' };
  const record = (event: Pick<AuditEvent, 'action' | 'outcome' | 'requestId' | 'detail'>) =>
    deps.audit.append({
      at: deps.clock.now().toISOString(),
      action: event.action,
      // Nobody is identified by a link: the holder of the token is whoever has it.
      actor: {},
      outcome: event.outcome,
      ...(event.requestId ? { requestId: event.requestId } : {}),
      ...(event.detail ? { detail: event.detail } : {}),
    });
  const refuse = async (why: DownloadRefusal, requestId?: string, detail?: string) => {
    await record({ action: 'audit.linkRefused', outcome: 'refused', requestId, detail });
    return { kind: 'refused' as const, why, ...(requestId ? { requestId } : {}) };
  };

  const link = await deps.links.get(deps.hashToken(token));
  if (!link) return refuse('unknown', undefined, 'a download link that was never issued');
  const { fileName, requestId, issuedBy } = link.value;
  const issued = `the one-time link to ${fileName} issued to ${issuedBy.name}`;
  const state = linkState(link.value, deps.clock.now());
  if (state === 'used') return refuse('used', requestId, `${issued}: used already`);
  if (state === 'expired') return refuse('expired', requestId, `${issued}: expired`);
  const file = await deps.files.read(fileName);
  if (!file) return refuse('gone', requestId, `${issued}: the file is no longer in the audit container`);
  try {
    await deps.links.consume(link, deps.clock.now().toISOString());
  } catch (err) {
    if (err instanceof StaleWriteError) return refuse('used', requestId, `${issued}: used already`);
    throw err;
  }
  await record({
    action: 'audit.downloaded',
    outcome: 'ok',
    requestId,
    detail: `${fileName} downloaded with ${issued}`,
  });
  return { kind: 'file', fileName, content: file.content, contentType: file.contentType };
}
