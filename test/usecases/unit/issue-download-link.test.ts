import { issueDownloadLink } from '../../../src/usecases/issue-download-link';
import { actor, MEGAN } from './deps';
import { issued, tokenNo, trailWorld } from './trail-world';

describe('issueDownloadLink', () => {
  it('stores the token’s hash only, for 15 minutes, and records the issue without the token', async () => {
    const w = trailWorld('https://bot.example/');
    const { link, token } = await issued(w);
    expect(link).toEqual({
      url: `https://bot.example/audit-files/${tokenNo(1)}`,
      expiresAt: '2026-11-22T09:15:00.000Z',
    });
    expect(JSON.stringify(w.links.all())).not.toContain(token);
    expect(w.audit.all().at(-1)).toMatchObject({
      action: 'audit.linkIssued',
      outcome: 'ok',
      requestId: 'DSR-2026-0001',
      actor: { aadObjectId: MEGAN.id, name: MEGAN.displayName },
    });
    expect(JSON.stringify(w.audit.all())).not.toContain(token);
  });

  it('refuses a token generator that makes tokens of the wrong shape', async () => {
    const w = trailWorld();
    await expect(
      issueDownloadLink({ ...w.trailDeps, newToken: () => 'short' }, actor(MEGAN), {
        containerName: 'audit',
        name: 'x',
      }),
    ).rejects.toThrow(/wrong shape/);
    expect(w.links.all()).toEqual([]);
  });
});
