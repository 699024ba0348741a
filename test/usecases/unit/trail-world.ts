import { createHash } from 'node:crypto';
import { describeVerdict } from '../../../src/cards/audit-trail-card';
import type { AuditEvent } from '../../../src/domain/audit';
import type { ExportTrailDeps } from '../../../src/usecases/export-audit-trail';
import type { DownloadDeps } from '../../../src/usecases/download-audit-file';
import { FakeAuditFiles } from '../../support/fakes';
import { FakeDownloadLinks } from '../../support/fakes/fake-download-links';
import { issueDownloadLink } from '../../../src/usecases/issue-download-link';
import { actor, MEGAN, pendingRequest, unitWorld, type UnitWorld } from './deps';

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The n-th token the world hands out: 43 base64url characters, predictable. */
export const tokenNo = (n: number) => `tok${String(n).padStart(40, '0')}`;

/** Every port in memory, with the audit container and download links, and the trail use cases' deps. */
export interface TrailWorld extends UnitWorld {
  readonly files: FakeAuditFiles;
  readonly links: FakeDownloadLinks;
  readonly trailDeps: ExportTrailDeps;
  readonly downloadDeps: DownloadDeps;
  /** Tokens issued so far, in order. */
  readonly tokens: string[];
}

/** `publicUrl` null: the bot has no public URL (BOT_ENDPOINT unset). */
export function trailWorld(publicUrl: string | null = 'https://bot.example'): TrailWorld {
  const w = unitWorld();
  const files = new FakeAuditFiles();
  const links = new FakeDownloadLinks();
  const tokens: string[] = [];
  const trailDeps: ExportTrailDeps = {
    ...w.decideDeps,
    files,
    links,
    publicUrl: publicUrl ?? undefined,
    newToken: () => {
      const t = tokenNo(tokens.length + 1);
      tokens.push(t);
      return t;
    },
    hashToken: sha256,
    describeVerdict,
  };
  const downloadDeps: DownloadDeps = { links, files, audit: w.audit, clock: w.clock, hashToken: sha256 };
  return { ...w, files, links, trailDeps, downloadDeps, tokens };
}

/** A request DSR-2026-0001 with `n` audit entries. */
export async function withTrail(w: TrailWorld, n: number, id = 'DSR-2026-0001'): Promise<void> {
  await w.requests.create(pendingRequest(id));
  for (let i = 1; i <= n; i++) {
    const e: AuditEvent = {
      at: w.clock.now().toISOString(),
      action: 'request.viewed',
      actor: { aadObjectId: 'alex', name: 'Alex Wilber' },
      outcome: 'ok',
      requestId: id,
      detail: `entry ${i}`,
    };
    await w.audit.append(e);
  }
}

/** A file in the audit container and a link to it, issued to Megan. */
export async function issued(w: TrailWorld) {
  const file = await w.files.write('trails/DSR-2026-0001/f.csv', 'seq,at\r\n', 'text/csv; charset=utf-8');
  const link = await issueDownloadLink(w.trailDeps, actor(MEGAN), file, 'DSR-2026-0001');
  if (!link) throw new Error('no link');
  return { file, link, token: link.url.split('/').at(-1)! };
}
