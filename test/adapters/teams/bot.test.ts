import { TableClient } from '@azure/data-tables';
import type { Activity } from 'botbuilder';
import { DEMO_TENANT_ID } from '../../../sandbox/demo-tenant';
import { encodeKey } from '../../../src/adapters/storage/table-store';
import { channelMention, installationUpdate, person, personalMessage } from '../../support/activities';
import { startBotHarness, type BotHarness } from '../../support/bot-harness';
import { cardProblems, cardText } from '../../support/cards';
import { testStorageConnectionString, waitFor } from '../../support/sandbox';

const cardOf = (activity: Partial<Activity> | undefined): unknown => activity?.attachments?.[0]?.content;

describe('the bot through /api/messages (Azurite, tenant sandbox, local connector)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness();
  });
  afterAll(() => h.close());

  async function ask(text: string, from = person('Alex Wilber'), tenantId?: string) {
    const activity = personalMessage(text, {
      serviceUrl: h.connector.serviceUrl,
      from,
      ...(tenantId ? { tenantId } : {}),
    });
    const res = await h.post(activity);
    expect(res.status).toBe(200);
    const [reply] = await h.connector.waitForSent(activity.conversation!.id);
    return reply!;
  }

  it('answers help with a valid Adaptive Card listing the commands', async () => {
    const reply = await ask('help');
    const card = cardOf(reply);
    expect(reply.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toMatch(/whoami/);
    expect(cardText(card)).toMatch(/Global Administrator/);
  });

  it('understands help in any case with extra spaces', async () => {
    expect(cardText(cardOf(await ask('   HeLp  ')))).toMatch(/whoami/);
  });

  it('answers whoami for a Global Administrator with the role read live from Graph', async () => {
    const reply = await ask('whoami');
    const card = cardOf(reply);
    expect(cardProblems(card)).toEqual([]);
    const text = cardText(card);
    expect(text).toContain('Alex Wilber');
    expect(text).toContain('alexw@contoso.com');
    expect(text).toMatch(/Admin roles\n?Global Administrator/);
    // And which Graph permissions the bot's own token carries.
    expect(text).toContain("The bot's Graph token carries User.Export.All, User.Read.All.");
    expect(h.sandbox.requests.some((r) => r.path.endsWith('/checkMemberObjects') && r.status === 200)).toBe(
      true,
    );
  });

  it('answers whoami for a plain user with no role and what is needed', async () => {
    const text = cardText(cardOf(await ask('whoami', person('Adele Vance'))));
    expect(text).toContain('none of the allowed roles');
    expect(text).toMatch(/needs the Entra role Global Administrator, active now/);
    // Issue 11: the bot's own permissions and configuration hints are for admins only.
    expect(text).not.toMatch(/Graph token|User\.Export\.All|User\.Read\.All|deploy\.md/);
  });

  it('does not count a PIM-eligible role that is not activated', async () => {
    const text = cardText(cardOf(await ask('who am i', person('Lynne Robbins'))));
    expect(text).toContain('none of the allowed roles');
    expect(text).toMatch(/eligible in Privileged Identity Management counts once you activate it/);
  });

  it('refuses to look up a caller from another tenant', async () => {
    const before = h.sandbox.requests.length;
    const reply = await ask('whoami', person('Alex Wilber'), '99999999-9999-4999-8999-999999999999');
    expect(reply.text).toMatch(/only serve the organisation that installed me/);
    expect(reply.text).not.toContain(DEMO_TENANT_ID);
    expect(h.sandbox.requests.slice(before).filter((r) => r.path.startsWith('/v1.0/'))).toEqual([]);
  });

  it('answers anything else with a short apology and the help card', async () => {
    const reply = await ask('make me a sandwich');
    expect(reply.text).toMatch(/didn't understand/);
    expect(cardProblems(cardOf(reply))).toEqual([]);
  });

  it('strips its own @mention in a channel before reading the command', async () => {
    const activity = channelMention('whoami', {
      serviceUrl: h.connector.serviceUrl,
      from: person('Megan Bowen'),
    });
    expect((await h.post(activity)).status).toBe(200);
    const [reply] = await h.connector.waitForSent(activity.conversation!.id);
    expect(cardText(cardOf(reply))).toMatch(/Megan Bowen[\s\S]*Global Administrator/);
  });

  it('stores the conversation reference on install (with its serviceUrl) and removes it on uninstall', async () => {
    const refs = TableClient.fromConnectionString(
      testStorageConnectionString(),
      h.tables.conversationReferences,
      {
        allowInsecureConnection: true,
      },
    );
    const add = installationUpdate('add', { serviceUrl: h.connector.serviceUrl });
    const conversationId = add.conversation!.id;
    const key = encodeKey(`_${DEMO_TENANT_ID}_${conversationId}`);
    expect((await h.post(add)).status).toBe(200);
    const [welcome] = await h.connector.waitForSent(conversationId);
    expect(welcome?.text).toMatch(/Hello/);
    const stored = await refs.getEntity<{ json: string }>('installations', key);
    expect(JSON.parse(stored.json)).toMatchObject({
      serviceUrl: h.connector.serviceUrl,
      conversation: { id: conversationId },
    });

    const remove = installationUpdate('remove', { serviceUrl: h.connector.serviceUrl, conversationId });
    expect((await h.post(remove)).status).toBe(200);
    await waitFor(
      () =>
        refs.getEntity('installations', key).then(
          () => false,
          (e: { statusCode?: number }) => e.statusCode === 404,
        ),
      'the reference to be removed',
    );
  });

  it('stores the reference of a personal chat on its first message', async () => {
    const activity = personalMessage('help', { serviceUrl: h.connector.serviceUrl });
    await h.post(activity);
    await h.connector.waitForSent(activity.conversation!.id);
    const refs = TableClient.fromConnectionString(
      testStorageConnectionString(),
      h.tables.conversationReferences,
      {
        allowInsecureConnection: true,
      },
    );
    const stored = await refs.getEntity<{ json: string }>(
      'installations',
      encodeKey(`_${DEMO_TENANT_ID}_${activity.conversation!.id}`),
    );
    expect((JSON.parse(stored.json) as Partial<Activity>).conversation?.conversationType).toBe('personal');
  });
});

describe('whoami when Entra ID or Graph refuse', () => {
  it('says the client secret is wrong, naming the variable, without the secret', async () => {
    const h = await startBotHarness({ env: { AAD_APP_CLIENT_SECRET: 'this-is-not-the-secret' } });
    try {
      const activity = personalMessage('whoami', { serviceUrl: h.connector.serviceUrl });
      await h.post(activity);
      const [reply] = await h.connector.waitForSent(activity.conversation!.id);
      expect(reply?.text).toMatch(
        /^I could not check your roles: Entra ID refused .*AADSTS7000215.*AAD_APP_CLIENT_SECRET/,
      );
      expect(JSON.stringify(h.connector.calls)).not.toContain('this-is-not-the-secret');
    } finally {
      await h.close();
    }
  });

  it('says which application permission to grant when Graph answers 403', async () => {
    const h = await startBotHarness();
    try {
      h.sandbox.setAppRoles(h.config.auth.credential.clientId!, ['User.Export.All']);
      const activity = personalMessage('whoami', { serviceUrl: h.connector.serviceUrl });
      await h.post(activity);
      const [reply] = await h.connector.waitForSent(activity.conversation!.id);
      expect(reply?.text).toMatch(
        /403 Authorization_RequestDenied.*grant the application permission User\.Read\.All and admin consent/,
      );
    } finally {
      await h.close();
    }
  });
});
