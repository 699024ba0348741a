import { fileLinkCard, type FileLinkCardModel } from '../../src/cards/file-link-card';
import { cardProblems, cardText } from '../support/cards';

const NOW = new Date('2026-11-30T10:00:00.000Z');
const LINK = {
  url: 'https://contoso-dsr.azurewebsites.net/audit-files/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  expiresAt: '2026-11-30T10:15:00.000Z',
};

const card = (model: Partial<FileLinkCardModel> = {}) =>
  fileLinkCard({
    title: 'Audit trail of DSR-2026-0042 exported',
    intro: '42 entries as CSV.',
    file: {
      accountName: 'contosodsrexports',
      containerName: 'audit',
      name: 'trails/DSR-2026-0042/20261130T100000Z-1a2b3c4d.csv',
      bytes: 5300,
    },
    link: LINK,
    now: NOW,
    ...model,
  });

type OpenUrl = { type: string; title: string; url: string };
const openUrls = (c: unknown): OpenUrl[] =>
  (JSON.stringify(c).match(/\{[^{}]*"Action\.OpenUrl"[^{}]*\}/g) ?? []).map((j) => JSON.parse(j) as OpenUrl);

describe('the file and one-time link card', () => {
  it('names the account, container, file and size, and offers the one-time link with when it ends', () => {
    const c = card();
    expect(cardProblems(c)).toEqual([]);
    const text = cardText(c);
    expect(text).toContain('contosodsrexports');
    expect(text).toContain('trails/DSR-2026-0042/20261130T100000Z-1a2b3c4d.csv');
    expect(text).toContain('5.2 KB');
    expect(text).toContain('works once, until 2026-11-30 10:15 UTC (15 minutes)');
    expect(openUrls(c)).toEqual([
      { type: 'Action.OpenUrl', title: 'Download (one-time link)', url: LINK.url },
    ]);
  });

  it('links the container in the portal, or locally in the sandbox console', () => {
    const portal = { host: 'https://portal.azure.com', tenantId: 'tenant' };
    expect(openUrls(card({ portal })).map((a) => a.title)).toEqual([
      'Download (one-time link)',
      'Open the container in the Azure portal',
    ]);
    const local = openUrls(card({ portal: { ...portal, localConsoleUrl: 'http://localhost:56151' } }));
    expect(local[1]).toMatchObject({ url: 'http://localhost:56151/containers/audit' });
  });

  it('says BOT_ENDPOINT must be set when there is no link, and offers no download', () => {
    const c = card({ link: undefined });
    expect(cardProblems(c)).toEqual([]);
    expect(cardText(c)).toMatch(/set BOT_ENDPOINT/);
    expect(openUrls(c)).toEqual([]);
    expect(JSON.stringify(c)).not.toContain('ActionSet');
  });

  it('adds the caller’s own buttons at the end', () => {
    const back = {
      type: 'Action.Execute',
      title: 'Back',
      verb: 'audit.page',
      data: { requestId: 'x', page: 0 },
    };
    const c = card({ actions: [back] });
    expect((c as { actions?: unknown[] }).actions).toEqual([back]);
    expect(cardProblems(c)).toEqual([]);
  });
});
