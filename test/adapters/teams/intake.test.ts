import { TableClient } from '@azure/data-tables';
import type { Activity } from 'botbuilder';
import { DEMO_TENANT, DEMO_USERS, ROLE, type SandboxUser } from '../../../sandbox/demo-tenant';
import { TableAuditLog } from '../../../src/adapters/storage/audit-log';
import { TableRequestStore } from '../../../src/adapters/storage/request-store';
import type { ExportRequest } from '../../../src/domain/export-request';
import { dueDate, isoDate } from '../../../src/domain/policies';
import {
  cardInvoke,
  cardSubmit,
  channelMention,
  groupMention,
  person,
  personalMessage,
  personMention,
} from '../../support/activities';
import { startBotHarness, type BotHarness } from '../../support/bot-harness';
import { cardProblems, cardText } from '../../support/cards';
import { startSandbox, testStorageConnectionString } from '../../support/sandbox';

const alex = person('Alex Wilber');
const megan = person('Megan Bowen');
const adele = person('Adele Vance');
const isaiah = person('Isaiah Langer');
const lynne = person('Lynne Robbins');
const patti = person('Patti Fernandez');

const cardOf = (a: Partial<Activity> | undefined): unknown => a?.attachments?.[0]?.content;

/** The first action's data in a card (every intake card's actions carry the draft id). */
function draftIdOf(card: unknown): string {
  const m = /"draftId":"([^"]+)"/.exec(JSON.stringify(card));
  if (!m) throw new Error(`No draft id in ${JSON.stringify(card).slice(0, 300)}`);
  return m[1]!;
}

async function countRows(cs: string, table: string): Promise<number> {
  const client = TableClient.fromConnectionString(cs, table, { allowInsecureConnection: true });
  let n = 0;
  try {
    for await (const page of client.listEntities().byPage()) n += page.length;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return 0;
    throw err;
  }
  return n;
}

describe('intake through /api/messages (Azurite, tenant sandbox, local connector)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness();
  });
  afterAll(() => h.close());

  const today = () => isoDate(new Date());
  const requests = () => new TableRequestStore(testStorageConnectionString(), h.tables.requests);
  const audit = () => new TableAuditLog(testStorageConnectionString(), h.tables.audit);

  /** Sends a message and returns the bot's reply (card and text). */
  async function say(activity: Partial<Activity>): Promise<Partial<Activity>> {
    const before = h.connector.sentTo(activity.conversation!.id).length;
    const res = await h.post(activity);
    expect(res.status).toBe(200);
    const sent = await h.connector.waitForSent(activity.conversation!.id, before + 1);
    const reply = sent[before]!;
    const card = cardOf(reply);
    if (card) expect(cardProblems(card)).toEqual([]);
    return reply;
  }

  /** Each person's 1:1 chat with the bot: their cards are clicked where they were sent, as in Teams. */
  const personalChat = (who: SandboxUser) => `a:personal-${who.id}`;

  const ask = (text: string, from: SandboxUser = alex, conversationId?: string) =>
    say(
      personalMessage(text, {
        serviceUrl: h.connector.serviceUrl,
        from,
        conversationId: conversationId ?? personalChat(from),
      }),
    );

  async function click(
    verb: string,
    data: Record<string, unknown>,
    from: SandboxUser = alex,
    conversationId?: string,
  ) {
    const { status, card } = await h.invoke(
      cardInvoke(verb, data, {
        serviceUrl: h.connector.serviceUrl,
        from,
        conversationId: conversationId ?? personalChat(from),
      }),
    );
    expect(status).toBe(200);
    expect(cardProblems(card)).toEqual([]);
    return card;
  }

  const validForm = {
    regime: 'GDPR',
    receivedDate: '',
    reference: 'SR-1001',
    justification: 'Subject access request received by email.',
  };

  async function confirmFor(subject: SandboxUser, from: SandboxUser = alex): Promise<string> {
    const reply = await ask(`export data for ${subject.userPrincipalName}`, from);
    const text = cardText(cardOf(reply));
    expect(text).toContain(subject.userPrincipalName);
    expect(text).toContain('Submit for approval');
    return draftIdOf(cardOf(reply));
  }

  describe('phrasings', () => {
    it.each([
      ['export data for adelev@contoso.com', 'adelev@contoso.com'],
      ['export data for Adele Vance', 'adelev@contoso.com'],
      ['Export Data For   ADELEV@CONTOSO.COM', 'adelev@contoso.com'],
      ['export data for @Isaiah Langer', 'isaiahl@contoso.com'],
      ["export isaiah's data", 'isaiahl@contoso.com'],
      ['export personal data of Isaiah Langer', 'isaiahl@contoso.com'],
      ['export the data of leeg@contoso.com', 'leeg@contoso.com'],
      ['gdpr export Lee Gu', 'leeg@contoso.com'],
      ['CCPA export for nestorw@contoso.com', 'nestorw@contoso.com'],
      ['data export for Johanna', 'johannal@contoso.com'],
    ])('%j → the confirmation card for %s', async (text, upn) => {
      const card = cardOf(await ask(text));
      expect(cardText(card)).toContain(upn);
      expect(cardText(card)).toContain('Submit for approval');
    });

    it('reads a typo of the export command as the command: "exprot dta for adelev@contoso.com" (issue 14)', async () => {
      const text = cardText(cardOf(await ask('exprot dta for adelev@contoso.com')));
      expect(text).toContain('adelev@contoso.com');
      expect(text).toContain('Submit for approval');
    });

    it('preselects the regime the requester named', async () => {
      const card = JSON.stringify(cardOf(await ask('ccpa export data for leeg@contoso.com')));
      expect(card).toMatch(/"id":"regime"[^}]*"value":"CCPA"/);
    });

    it('asks whom to export when no person is named, then finds them from the search box', async () => {
      const conversationId = `a:${Date.now()}`;
      const reply = await ask('export data', alex, conversationId);
      expect(cardText(cardOf(reply))).toContain('Whose personal data should I export?');
      const card = await click(
        'intake.find',
        { draftId: draftIdOf(cardOf(reply)), subjectQuery: 'Patti' },
        alex,
        conversationId,
      );
      expect(cardText(card)).toContain('pattif@contoso.com');
    });

    it('answers something it does not understand with what it can do', async () => {
      const reply = await ask('export');
      expect(reply.text ?? cardText(cardOf(reply))).toMatch(/didn't understand|did not understand/);
    });
  });

  describe('where people ask', () => {
    it('in a channel, reads the request after its own @mention and resolves a person @mention by user id', async () => {
      // The mention shows "Someone Else" but points at Adele: the id decides, not the text.
      const activity = channelMention('export data for <at>Someone Else</at>', {
        serviceUrl: h.connector.serviceUrl,
        from: megan,
      });
      activity.entities = [...(activity.entities ?? []), personMention(adele, 'Someone Else')];
      const reply = await say(activity);
      expect(cardText(cardOf(reply))).toContain('adelev@contoso.com');
      expect(
        h.connector.calls.some(
          (c) => c.method === 'GET' && decodeURIComponent(c.path).endsWith('/members/29:user-id-2'),
        ),
      ).toBe(true);
    });

    it('in a group chat, when @mentioned', async () => {
      const reply = await say(
        groupMention(
          'export data for <at>Isaiah Langer</at>',
          { serviceUrl: h.connector.serviceUrl, from: alex },
          [personMention(isaiah)],
        ),
      );
      expect(cardText(cardOf(reply))).toContain('isaiahl@contoso.com');
    });
  });

  describe('who is meant', () => {
    it('offers a choice when several people match, and continues with the one picked', async () => {
      const reply = await ask('export data for adele');
      const text = cardText(cardOf(reply));
      expect(text).toContain('Several people match');
      expect(text).toContain('adelev@contoso.com');
      expect(text).toContain('adelevarga@contoso.com');
      expect(text).toContain('Retail Manager · Retail');
      const choice = text.indexOf('adelevarga@contoso.com') < text.indexOf('adelev@contoso.com') ? 0 : 1;
      const card = await click('intake.pick', { draftId: draftIdOf(cardOf(reply)), choice });
      expect(cardText(card)).toContain('adelevarga@contoso.com');
      expect(cardText(card)).toContain('Submit for approval');
    });

    it('refuses a choice outside the list it offered (forged card data)', async () => {
      const reply = await ask('export data for adele');
      const card = await click('intake.pick', { draftId: draftIdOf(cardOf(reply)), choice: 7 });
      expect(cardText(card)).toMatch(/no longer valid/);
    });

    it('says when nobody matches and how to search', async () => {
      const text = cardText(cardOf(await ask('export data for Zebulon Quux')));
      expect(text).toMatch(/Nobody in the directory matches "Zebulon Quux"\. Try the sign-in name/);
    });

    it('asks to be more precise when too many match', async () => {
      const many = Array.from({ length: 10 }, (_, i) => ({
        ...DEMO_USERS[2]!,
        id: `c0a70500-0000-4000-8000-0000000009${String(i).padStart(2, '0')}`,
        displayName: `Sam Person${i}`,
        userPrincipalName: `sam${i}@contoso.com`,
        mail: `sam${i}@contoso.com`,
        teamsId: undefined,
      }));
      const sandbox = await startSandbox({
        tenant: { ...DEMO_TENANT, users: [...DEMO_TENANT.users, ...many] },
      });
      const other = await startBotHarness({ sandbox });
      try {
        const activity = personalMessage('export data for sam', { serviceUrl: other.connector.serviceUrl });
        await other.post(activity);
        const [reply] = await other.connector.waitForSent(activity.conversation!.id);
        expect(cardText(cardOf(reply))).toMatch(/More than 8 people match "sam"/);
      } finally {
        await other.close();
        await sandbox.close();
      }
    });
  });

  describe('who may ask', () => {
    it.each([
      ['a plain user', adele, /Only admins may request/],
      ['a PIM-eligible admin', lynne, /activate it first/],
    ])('refuses %s, records it, and stores nothing else', async (_who, from, message) => {
      const draftsBefore = await countRows(testStorageConnectionString(), h.tables.drafts);
      const reply = await ask('export data for isaiahl@contoso.com', from);
      expect(cardText(cardOf(reply))).toMatch(message);
      expect(cardText(cardOf(reply))).toContain('Global Administrator');
      expect(await countRows(testStorageConnectionString(), h.tables.drafts)).toBe(draftsBefore);
      const refusals = (await audit().list()).filter((e) => e.actor.aadObjectId === from.id);
      expect(refusals.at(-1)).toMatchObject({ action: 'request.refused', outcome: 'refused' });
    });

    it('accepts another allowed role when configured (Compliance Administrator)', async () => {
      const other = await startBotHarness({
        env: { ADMIN_ROLE_TEMPLATE_IDS: `${ROLE.globalAdministrator},${ROLE.complianceAdministrator}` },
      });
      try {
        const activity = personalMessage('export data for isaiahl@contoso.com', {
          serviceUrl: other.connector.serviceUrl,
          from: patti,
        });
        await other.post(activity);
        const [reply] = await other.connector.waitForSent(activity.conversation!.id);
        expect(cardText(cardOf(reply))).toContain('Submit for approval');
      } finally {
        await other.close();
      }
    });

    it('refuses a user from another tenant without asking Graph, records it, and stores nothing else', async () => {
      const draftsBefore = await countRows(testStorageConnectionString(), h.tables.drafts);
      const graphBefore = h.sandbox.requests.filter((r) => r.path.startsWith('/v1.0/')).length;
      const activity = personalMessage('export data for adelev@contoso.com', {
        serviceUrl: h.connector.serviceUrl,
        from: alex,
        tenantId: '99999999-9999-4999-8999-999999999999',
      });
      const reply = await say(activity);
      expect(cardText(cardOf(reply))).toMatch(/another tenant/);
      expect(h.sandbox.requests.filter((r) => r.path.startsWith('/v1.0/')).length).toBe(graphBefore);
      expect(await countRows(testStorageConnectionString(), h.tables.drafts)).toBe(draftsBefore);
      expect(
        (await audit().list()).some((e) => e.actor.tenantId === '99999999-9999-4999-8999-999999999999'),
      ).toBe(true);
    });
  });

  describe('confirming', () => {
    it('answers an invalid submit with the same card and the errors beside the fields, keeping what was typed', async () => {
      const draftId = await confirmFor(isaiah);
      const card = await click('intake.submit', {
        draftId,
        regime: 'GDPR',
        receivedDate: '2099-01-01',
        reference: '',
        justification: '${x}',
      });
      const text = cardText(card);
      expect(text).toContain('The received date cannot be in the future.');
      expect(text).toContain('Give a reference or ticket number.');
      expect(text).toMatch(/at least 10 characters/);
      expect(JSON.stringify(card)).toContain('"value":"${x}"');
      expect(await requests().openForSubject(isaiah.id)).toEqual([]);
    });

    it('stores the request with the requester from the activity (forged requester ignored) and confirms id and due date', async () => {
      const subject = person('Grady Archie');
      const draftId = await confirmFor(subject);
      const received = today();
      const card = await click('intake.submit', {
        ...validForm,
        receivedDate: received,
        draftId,
        requester: megan.id,
        requesterName: 'Megan Bowen',
        from: { aadObjectId: megan.id },
      });
      const text = cardText(card);
      const id = /Request (DSR-\d{4}-\d{4}) is waiting for approval/.exec(text)?.[1];
      expect(id).toBeDefined();
      expect(text).toContain(dueDate('GDPR', received));
      expect(text).toMatch(/No approvals channel is set yet/);
      const stored = (await requests().get(id!)) as ExportRequest;
      expect(stored).toMatchObject({
        status: 'pendingApproval',
        requester: { aadObjectId: alex.id, name: 'Alex Wilber' },
        subject: {
          id: subject.id,
          userPrincipalName: subject.userPrincipalName,
          displayName: subject.displayName,
        },
        regime: 'GDPR',
        receivedDate: received,
        dueDate: dueDate('GDPR', received),
        reference: 'SR-1001',
        requestedIn: { type: 'personal' },
      });
      expect((await audit().list(id)).map((e) => [e.action, e.actor.aadObjectId])).toEqual([
        ['request.created', alex.id],
      ]);
    });

    it('gives the same answer to the same click delivered twice, and creates one request', async () => {
      const subject = person('Nestor Wilke');
      const draftId = await confirmFor(subject);
      const data = { ...validForm, receivedDate: today(), draftId };
      const [first, second] = await Promise.all([click('intake.submit', data), click('intake.submit', data)]);
      const ids = [first, second].map((c) => /DSR-\d{4}-\d{4}/.exec(cardText(c))?.[0]);
      expect(ids[0]).toBeDefined();
      expect(ids[1]).toBe(ids[0]);
      expect((await requests().openForSubject(subject.id)).map((r) => r.id)).toEqual([ids[0]]);
      const third = await click('intake.submit', data);
      expect(cardText(third)).toContain(ids[0]!);
    });

    it('ignores a click on someone else’s draft (a forged or shared card), names nobody, and records it', async () => {
      const draftId = await confirmFor(person('Diego Siciliani'));
      // Another admin, in the requester's own chat (a shared card) and in their own chat (a replayed one).
      for (const where of [personalChat(alex), personalChat(megan)]) {
        const card = await click(
          'intake.submit',
          { ...validForm, receivedDate: today(), draftId },
          megan,
          where,
        );
        expect(cardText(card)).toMatch(/Not available here/);
        expect(cardText(card)).not.toMatch(/Alex|Diego|Siciliani/);
      }
      expect(await requests().openForSubject(person('Diego Siciliani').id)).toEqual([]);
      expect(
        (await audit().list()).some((e) => e.action === 'card.refused' && e.actor.aadObjectId === megan.id),
      ).toBe(true);
    });

    it('refuses the requester’s own draft clicked from another conversation (issue 11: a replayed card)', async () => {
      const draftId = await confirmFor(person('Diego Siciliani'));
      const card = await click(
        'intake.submit',
        { ...validForm, receivedDate: today(), draftId },
        alex,
        '19:elsewhere0000000000000000000000@thread.tacv2',
      );
      expect(cardText(card)).toMatch(/Not available here/);
      expect(await requests().openForSubject(person('Diego Siciliani').id)).toEqual([]);
    });

    it('works with Action.Submit (clients without Universal Actions)', async () => {
      const draftId = await confirmFor(person('Johanna Lorenz'));
      const activity = cardSubmit(
        { verb: 'intake.cancel', draftId },
        { serviceUrl: h.connector.serviceUrl, from: alex, conversationId: personalChat(alex) },
      );
      const reply = await say(activity);
      expect(cardText(cardOf(reply))).toContain('Cancelled');
      expect(
        (await audit().list()).some(
          (e) => e.action === 'draft.cancelled' && e.subjectId === person('Johanna Lorenz').id,
        ),
      ).toBe(true);
    });

    it('answers a click on an unknown draft or with an unknown verb clearly', async () => {
      expect(cardText(await click('intake.submit', { draftId: 'nope' }))).toMatch(/no longer valid/);
      expect(cardText(await click('intake.launchMissiles', { draftId: 'nope' }))).toMatch(
        /do not know this button/,
      );
    });
  });

  describe('duplicates', () => {
    it('points a second request for the same person at the open one, and allows another on purpose', async () => {
      const subject = person('Lee Gu');
      const first = await confirmFor(subject, alex);
      const created = cardText(
        await click('intake.submit', { ...validForm, receivedDate: today(), draftId: first }),
      );
      const openId = /DSR-\d{4}-\d{4}/.exec(created)![0];

      const again = await ask(`export data for ${subject.userPrincipalName}`, megan);
      const dupText = cardText(cardOf(again));
      expect(dupText).toContain('There is already an open request for this person');
      expect(dupText).toContain(openId);
      expect(dupText).toContain('Alex Wilber');

      // Issue 11: in a channel everyone would see the list: it is not shown there.
      const inChannel = cardText(
        cardOf(
          await say(
            channelMention(`export data for ${subject.userPrincipalName}`, {
              serviceUrl: h.connector.serviceUrl,
              from: megan,
            }),
          ),
        ),
      );
      expect(inChannel).toContain('There is already an open request for this person');
      expect(inChannel).toMatch(/its details are not shown here/);
      expect(inChannel).not.toContain(openId);
      expect(inChannel).not.toContain('Alex Wilber');

      const confirm = await click('intake.duplicate', { draftId: draftIdOf(cardOf(again)) }, megan);
      expect(cardText(confirm)).toContain(`although ${openId} is still open`);
      const second = cardText(
        await click(
          'intake.submit',
          { ...validForm, receivedDate: today(), draftId: draftIdOf(confirm) },
          megan,
        ),
      );
      const secondId = /DSR-\d{4}-\d{4}/.exec(second)![0];
      expect(secondId).not.toBe(openId);
      expect((await requests().get(secondId))?.duplicateOf).toBe(openId);
      expect(
        (await audit().list()).some(
          (e) => e.action === 'duplicate.acknowledged' && e.actor.aadObjectId === megan.id,
        ),
      ).toBe(true);
    });
  });

  describe('the approvals channel', () => {
    it('is set by an admin in a channel, refused to others and outside channels, then named in confirmations', async () => {
      const refused = await say(
        channelMention('use this channel for approvals', { serviceUrl: h.connector.serviceUrl, from: adele }),
      );
      expect(refused.text).toMatch(/Only admins may choose the approvals channel/);

      const personal = await ask('use this channel for approvals', alex);
      expect(personal.text).toMatch(/Say this in the channel the approvers use/);

      // Issue 11: a shared channel has members of other organisations, who would see every request.
      const sharedActivity = channelMention('use this channel for approvals', {
        serviceUrl: h.connector.serviceUrl,
        from: megan,
      });
      const channelData = sharedActivity.channelData as { channel: Record<string, unknown> };
      const shared = await say({
        ...sharedActivity,
        channelData: { ...channelData, channel: { ...channelData.channel, membershipType: 'shared' } },
      });
      expect(shared.text).toMatch(/This is a shared channel/);

      const set = await say(
        channelMention('use this channel for approvals', { serviceUrl: h.connector.serviceUrl, from: megan }),
      );
      expect(set.text).toMatch(/approval cards for data-export requests will be posted in this channel/);

      const draftId = await confirmFor(person('Patti Fernandez'));
      const created = cardText(
        await click('intake.submit', { ...validForm, receivedDate: today(), draftId }),
      );
      expect(created).toMatch(/A second admin approves or rejects it in the approvals channel/);
    });
  });
});
