import { randomUUID } from 'node:crypto';
import { ROLE } from '../../../sandbox/demo-tenant';
import { channelMention, person, personalMessage } from '../../support/activities';
import { startBotHarness, uniqueName, type BotHarness } from '../../support/bot-harness';
import { cardProblems, cardText } from '../../support/cards';
import { createRequest } from '../../support/flows';
import { openUrls } from './audit-world';

/**
 * Issue 16: `report …` (the yearly figures, with a one-time link to their CSV) and `hold …`/`release …` as
 * commands, on real parts (Azurite, the tenant sandbox, a local connector, the HTTP server).
 */
jest.setTimeout(60_000);

const alex = person('Alex Wilber'); // Global Administrator
const megan = person('Megan Bowen'); // Global Administrator
const isaiah = person('Isaiah Langer'); // no admin role

let h: BotHarness;
let requestId: string;
beforeAll(async () => {
  h = await startBotHarness({
    env: {
      ADMIN_ROLE_TEMPLATE_IDS: ROLE.globalAdministrator,
      AUDIT_CONTAINER: uniqueName('audit').toLowerCase(),
    },
  });
  requestId = await createRequest(h, isaiah, alex);
});
afterAll(async () => {
  await h?.close();
});

/** What the bot answers `text` in a new 1:1 chat of `who`: its text, or its card. */
async function say(text: string, who = megan): Promise<{ text: string; card: unknown }> {
  const conversationId = `a:personal-${randomUUID()}`;
  await h.post(personalMessage(text, { serviceUrl: h.connector.serviceUrl, from: who, conversationId }));
  const [reply] = await h.connector.waitForSent(conversationId);
  const card: unknown = reply?.attachments?.[0]?.content;
  return { text: reply?.text ?? cardText(card), card };
}

describe('report: the yearly figures', () => {
  it("gives an admin this year's figures as a card, with a one-time link to the CSV", async () => {
    const year = new Date().getUTCFullYear();
    const { text, card } = await say(`report ${year}`);
    expect(cardProblems(card)).toEqual([]);
    expect(text).toMatch(new RegExp(`Requests received 1 Jan ${year}`));
    expect(text).toMatch(/GDPR/);
    const [link] = openUrls(card).filter((u) => u.url.includes('/audit-files/'));
    expect(link).toBeDefined();
    // The link names BOT_ENDPOINT (here the default, localhost:3978); this bot listens on a port of its own.
    expect(link!.url).toMatch(/^http:\/\/localhost:3978\/audit-files\/[A-Za-z0-9_-]{43}$/);
    const url = `${h.url}${new URL(link!.url).pathname}`;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    const csv = await first.text();
    expect(csv.split('\r\n')[0]).toMatch(/regime/i);
    expect(csv).toMatch(/total/i);
    expect((await fetch(url)).status).toBe(410);
  });

  it('refuses a non-admin, says what a bad range should look like, and answers in a 1:1 chat only', async () => {
    expect((await say('report 2026', isaiah)).text).toMatch(/admins/i);
    expect((await say('report 2026-06-31 to 2026-07-01')).text).toMatch(/does not exist/);
    expect((await say('report 1999')).text).toMatch(/2000 to 2100/);
    const channel = `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`;
    await h.post(
      channelMention('report 2026', {
        serviceUrl: h.connector.serviceUrl,
        from: megan,
        conversationId: channel,
      }),
    );
    const [note] = await h.connector.waitForSent(channel);
    expect(note?.text).toMatch(/1:1 chat only/);
    expect(note?.attachments ?? []).toEqual([]);
  });
});

describe('hold and release', () => {
  it('holds a request with a reason and releases it, for admins only, with the same words for unknown ids', async () => {
    expect((await say(`hold ${requestId} complaint pending`, isaiah)).text).toMatch(/admins/i);
    const unknown = (await say('hold DSR-2026-9999 complaint pending', alex)).text;
    expect(unknown).toBe('This request is not available to you.');
    expect((await say(`hold ${requestId} complaint pending`, alex)).text).toMatch(/is on hold/);
    expect((await say(`release ${requestId}`, alex)).text).toMatch(/released/);
    expect((await say(`release ${requestId}`, alex)).text).toMatch(/released|not on hold/);
    expect((await say('release DSR-2026-9999', alex)).text).toBe(unknown);
    expect((await say('hold', alex)).text).toMatch(/Which request/);
  });
});
