import { TableClient } from '@azure/data-tables';
import type { Activity } from 'botbuilder';
import { DEMO_TENANT_ID } from '../../../sandbox/demo-tenant';
import { encodeKey } from '../../../src/adapters/storage/table-store';
import type { Logger } from '../../../src/logger';
import {
  cardInvoke,
  channelMention,
  installationUpdate,
  person,
  personalMessage,
} from '../../support/activities';
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

  it('answers anything else in one short line, the help card only on help (issue 14)', async () => {
    const reply = await ask('make me a sandwich');
    expect(reply.text).toBe('I did not understand that. Say "help" to see what I can do.');
    expect(cardOf(reply)).toBeUndefined();
  });

  it.each([
    ['whoamii', 'whoami'],
    ['hlep', 'help'],
  ])('names the command closest to a typo: %s → %s (issue 14)', async (typed, meant) => {
    const reply = await ask(typed);
    expect(reply.text).toBe(`I did not understand that. Did you mean "${meant}"?`);
    expect(cardOf(reply)).toBeUndefined();
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

/**
 * Issue 11 fuzz: botbuilder's ActivityHandler answers 501 Not Implemented to every invoke it has no handler for,
 * and fails the turn (TypeError on value.action.type, then 501) for an adaptiveCard/action without an action.
 * A 5xx makes Teams retry and reads as an outage; the bot answers 400 with the Adaptive Card error shape.
 */
describe('invokes the bot does not handle, and malformed card actions', () => {
  let h: BotHarness;
  const errors: string[] = [];
  const log: Logger = { info: () => {}, warn: () => {}, error: (message) => errors.push(message) };
  beforeAll(async () => {
    h = await startBotHarness({ log });
  });
  afterAll(() => h.close());
  beforeEach(() => errors.splice(0));

  const invoke = (name: string | undefined, value: unknown): Partial<Activity> => {
    const activity: Partial<Activity> = {
      ...cardInvoke(
        'approval.refresh',
        { requestId: 'DSR-2026-0001' },
        { serviceUrl: h.connector.serviceUrl },
      ),
      value,
    };
    if (name === undefined) delete activity.name;
    else activity.name = name;
    return activity;
  };

  async function answer(activity: Partial<Activity>) {
    const res = await h.post(activity);
    const body: unknown = await res.json();
    return { status: res.status, body };
  }

  it.each([
    ['value {}', {}],
    ['value "x"', 'x'],
    ['value []', []],
    ['no value', undefined],
    ['action null', { action: null, trigger: 'manual' }],
    ['action "approval.approve"', { action: 'approval.approve' }],
    ['an action without a verb', { action: { type: 'Action.Execute', data: {} } }],
    ['a verb that is a number', { action: { type: 'Action.Execute', verb: 7, data: {} } }],
    // botbuilder puts the type in its "not supported" message: an object without toString threw (seed 7 #6739).
    [
      'a type that cannot become text',
      { action: { type: { toString: 'x', valueOf: 1 }, verb: 'intake.find', data: {} } },
    ],
    ['no type', { action: { verb: 'approval.refresh', data: {} } }],
  ])(
    'answers 400 BadRequest (not a failed turn and 501) to adaptiveCard/action with %s (regression)',
    async (_what, value) => {
      const { status, body } = await answer(invoke('adaptiveCard/action', value));
      expect(status).toBe(400);
      expect(body).toEqual({
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: expect.stringMatching(/Action\.Execute/) as unknown },
      });
      expect(errors).toEqual([]);
    },
  );

  it.each([
    ['composeExtension/query', { commandId: 'search', parameters: [] }],
    ['composeExtension/submitAction', undefined],
    ['task/fetch', { data: { verb: 'approval.refresh' } }],
    ['signin/verifyState', { state: '123456' }],
    ['config/fetch', {}],
    ['adaptiveCard/Action', { action: { type: 'Action.Execute', verb: 'approval.refresh', data: {} } }],
  ])('answers 400 (not 501) to the invoke %s, naming it (regression)', async (name, value) => {
    const { status, body } = await answer(invoke(name, value));
    expect(status).toBe(400);
    expect(body).toEqual({
      statusCode: 400,
      type: 'application/vnd.microsoft.error',
      value: { code: 'BadRequest', message: expect.stringContaining(`"${name}"`) as unknown },
    });
    expect(errors).toEqual([]);
  });

  it.each([
    ['without a name', undefined],
    ['with an empty name', ''],
  ])('answers 400 (not 501) to an invoke %s (regression)', async (_what, name) => {
    const { status, body } = await answer(invoke(name, { action: { type: 'Action.Execute', verb: 'x' } }));
    expect(status).toBe(400);
    expect((body as { value?: { message?: string } }).value?.message).toMatch(/invokes without a name/);
    expect(errors).toEqual([]);
  });

  it('keeps answering Action.Execute clicks with a card, an unknown verb with "I do not know this button"', async () => {
    const { status, card } = await h.invoke(
      invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'no.such.verb', data: {} } }),
    );
    expect(status).toBe(200);
    expect(cardText(card)).toMatch(/I do not know this button/);
  });

  it("keeps botbuilder's answer to an action type other than Action.Execute (400 NotSupported)", async () => {
    const { status, body } = await answer(
      invoke('adaptiveCard/action', {
        action: { type: 'Action.Submit', verb: 'approval.refresh', data: {} },
      }),
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({ statusCode: 400, value: { code: 'NotSupported' } });
  });
});
