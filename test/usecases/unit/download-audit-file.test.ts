import { downloadAuditFile } from '../../../src/usecases/download-audit-file';
import { issueDownloadLink } from '../../../src/usecases/issue-download-link';
import { actor, MEGAN } from './deps';
import { issued, tokenNo, trailWorld } from './trail-world';

describe('downloadAuditFile: a one-time link redeemed', () => {
  it('gives the file once, records the download, then refuses the link as used', async () => {
    const w = trailWorld();
    const { token } = await issued(w);
    expect(await downloadAuditFile(w.downloadDeps, token)).toMatchObject({
      kind: 'file',
      fileName: 'trails/DSR-2026-0001/f.csv',
      contentType: 'text/csv; charset=utf-8',
      content: Buffer.from('seq,at\r\n'),
    });
    expect(w.audit.all().at(-1)).toMatchObject({
      action: 'audit.downloaded',
      outcome: 'ok',
      requestId: 'DSR-2026-0001',
    });
    expect(await downloadAuditFile(w.downloadDeps, token)).toEqual({
      kind: 'refused',
      why: 'used',
      requestId: 'DSR-2026-0001',
    });
    expect(w.audit.all().at(-1)).toMatchObject({ action: 'audit.linkRefused', outcome: 'refused' });
    expect(JSON.stringify(w.audit.all())).not.toContain(token);
  });

  it('refuses a link after 15 minutes as expired, and records it', async () => {
    const w = trailWorld();
    const { token } = await issued(w);
    w.clock.advance(15 * 60_000);
    expect(await downloadAuditFile(w.downloadDeps, token)).toMatchObject({ kind: 'refused', why: 'expired' });
    expect(w.audit.all().at(-1)).toMatchObject({ action: 'audit.linkRefused', requestId: 'DSR-2026-0001' });
    expect(w.links.calls.consume).toBe(0);
  });

  it('refuses a malformed token before touching any storage, and records nothing', async () => {
    const w = trailWorld();
    const recorded = w.audit.all().length;
    for (const bad of ['', '../x', 'a'.repeat(44), `${tokenNo(1).slice(0, 42)}=`])
      expect(await downloadAuditFile(w.downloadDeps, bad)).toEqual({ kind: 'refused', why: 'unknown' });
    expect(w.links.calls.get).toBe(0);
    expect(w.audit.all()).toHaveLength(recorded);
  });

  it('refuses a forged token after the one lookup: no file read, no write, the refusal recorded', async () => {
    const w = trailWorld();
    await issued(w);
    const read = jest.spyOn(w.files, 'read');
    expect(await downloadAuditFile(w.downloadDeps, tokenNo(99))).toEqual({ kind: 'refused', why: 'unknown' });
    expect(w.links.calls.get).toBe(1);
    expect(w.links.calls.consume).toBe(0);
    expect(read).not.toHaveBeenCalled();
    expect(w.audit.all().at(-1)).toMatchObject({ action: 'audit.linkRefused', outcome: 'refused' });
    expect(w.audit.all().at(-1)).not.toHaveProperty('requestId');
  });

  it('gives the file to exactly one of two redemptions at the same moment', async () => {
    const w = trailWorld();
    const { token } = await issued(w);
    const outcomes = await Promise.all([
      downloadAuditFile(w.downloadDeps, token),
      downloadAuditFile(w.downloadDeps, token),
    ]);
    expect(outcomes.map((o) => (o.kind === 'file' ? 'file' : o.why)).sort()).toEqual(['file', 'used']);
    expect(w.audit.actions('DSR-2026-0001').filter((a) => a === 'audit.downloaded')).toHaveLength(1);
  });

  it('refuses a link whose file is gone (404) without using the link up', async () => {
    const w = trailWorld();
    const link = await issueDownloadLink(w.trailDeps, actor(MEGAN), { containerName: 'audit', name: 'nope' });
    const token = link!.url.split('/').at(-1)!;
    expect(await downloadAuditFile(w.downloadDeps, token)).toEqual({ kind: 'refused', why: 'gone' });
    expect(w.links.calls.consume).toBe(0);
  });
});
