import type { SandboxUser } from '../../../sandbox/demo-tenant';
import { ROLE } from '../../../sandbox/demo-tenant';
import { TableAuditLog } from '../../../src/adapters/storage/audit-log';
import { TableRequestStore } from '../../../src/adapters/storage/request-store';
import type { ExportRequest } from '../../../src/domain/export-request';
import { person } from '../../support/activities';
import { startBotHarness, type BotHarness } from '../../support/bot-harness';
import { cardProblems, cardText } from '../../support/cards';
import {
  APPROVALS_CHANNEL,
  approvalClick,
  createRequest,
  postedCard,
  useApprovalsChannel,
} from '../../support/flows';
import { testStorageConnectionString } from '../../support/sandbox';

const alex = person('Alex Wilber');
const megan = person('Megan Bowen');
const patti = person('Patti Fernandez');
const adele = person('Adele Vance');
const lynne = person('Lynne Robbins');

describe('approval cards in the channel (Azurite, tenant sandbox, local connector)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({
      env: { ADMIN_ROLE_TEMPLATE_IDS: `${ROLE.globalAdministrator},${ROLE.complianceAdministrator}` },
    });
    await useApprovalsChannel(h, megan);
  });
  afterAll(() => h.close());

  const requests = () => new TableRequestStore(testStorageConnectionString(), h.tables.requests);
  const audit = () => new TableAuditLog(testStorageConnectionString(), h.tables.audit);
  const stored = async (id: string) => (await requests().get(id)) as ExportRequest;

  async function posted(subject: SandboxUser, requester: SandboxUser = alex): Promise<ExportRequest> {
    const id = await createRequest(h, subject, requester);
    await h.drain();
    const request = await stored(id);
    expect(request.approvalCard?.conversationId).toBe(APPROVALS_CHANNEL);
    return request;
  }

  async function click(
    verb: string,
    request: ExportRequest,
    from: SandboxUser,
    data: Record<string, unknown> = {},
  ) {
    const { status, card } = await h.invoke(
      approvalClick(
        h,
        verb,
        { requestId: request.id, ...data },
        from,
        `${APPROVALS_CHANNEL};messageid=${request.approvalCard!.activityId}`,
      ),
    );
    expect(status).toBe(200);
    expect(cardProblems(card)).toEqual([]);
    return cardText(card);
  }

  it('posts the card as a new thread in the approvals channel with everything a decider needs', async () => {
    const request = await posted(person('Isaiah Langer'));
    const card = postedCard(h, request.id);
    expect(cardProblems(card)).toEqual([]);
    const text = cardText(card);
    for (const expected of [
      request.id,
      'Isaiah Langer (isaiahl@contoso.com)',
      'Alex Wilber',
      'GDPR',
      request.receivedDate,
      request.dueDate,
      'SR-9',
      'Subject access request by email.',
      'Waiting for a second admin',
    ]) {
      expect(text).toContain(expected);
    }
    const json = JSON.stringify(card);
    expect(json).toContain('"verb":"approval.refresh"');
    expect((card as { refresh?: { userIds?: string[] } }).refresh?.userIds?.length).toBeGreaterThan(0);
    expect(json).not.toContain('"verb":"approval.approve"'); // the shared card shows status; buttons come per viewer
  });

  it('lets a second admin approve: their card, the shared card, the thread and the requester all say so', async () => {
    const request = await posted(person('Lee Gu'));
    const answer = await click('approval.approve', request, megan);
    expect(answer).toMatch(/Approved by Megan Bowen/);
    expect((await stored(request.id)).status).toBe('approved');
    await h.drain();
    const update = h.connector.calls.find(
      (c) => c.method === 'PUT' && c.activityId === request.approvalCard!.activityId,
    );
    expect(cardText(update?.activity.attachments?.[0]?.content)).toMatch(/Approved by Megan Bowen/);
    const thread = h.connector.calls.find(
      (c) =>
        c.method === 'POST' &&
        c.conversationId === `${APPROVALS_CHANNEL};messageid=${request.approvalCard!.activityId}`,
    );
    expect(thread?.activity.text).toMatch(/Approved by Megan Bowen/);
    const toRequester = h.connector.calls.filter(
      (c) => c.method === 'POST' && c.conversationId === request.requestedIn.id,
    );
    expect(toRequester.at(-1)?.activity.text).toMatch(/Megan Bowen approved your request/);
    expect((await audit().list(request.id)).map((e) => e.action)).toEqual(
      expect.arrayContaining(['request.created', 'card.posted', 'request.approved']),
    );
  });

  it('rejects with a reason (and not without one)', async () => {
    const request = await posted(person('Nestor Wilke'));
    expect(await click('approval.reject', request, megan, { rejectReason: '  ' })).toMatch(/Give a reason/);
    expect(
      await click('approval.reject', request, megan, { rejectReason: 'No ticket in the DSR system.' }),
    ).toMatch(/Rejected by Megan Bowen[\s\S]*No ticket in the DSR system\./);
    expect((await stored(request.id)).decision).toMatchObject({
      verdict: 'rejected',
      reason: 'No ticket in the DSR system.',
    });
  });

  it.each([
    ['the requester (four eyes)', megan, /another admin has to decide it/],
    ['a plain user', adele, /Only admins holding an allowed role/],
    ['a PIM-eligible admin', lynne, /Only admins holding an allowed role/],
  ])(
    'refuses an approval by %s, records it, and keeps the request pending',
    async (_who, clicker, message) => {
      const request = await posted(person('Johanna Lorenz'), megan);
      const answer = await click('approval.approve', request, clicker);
      expect(answer).toMatch(message);
      // Issue 11: someone without the role learns why, and nothing about the request.
      if (clicker !== megan) expect(answer).not.toMatch(/Johanna|johannal|SR-9|Subject access/);
      expect((await stored(request.id)).status).toBe('pendingApproval');
      expect((await audit().list(request.id)).some((e) => e.action === 'decision.refused')).toBe(true);
      await click('approval.cancel', request, megan);
    },
  );

  it('refuses another tenant and a click from another conversation; forged data names nobody', async () => {
    const request = await posted(person('Grady Archie'));
    const foreign = await h.invoke({
      ...approvalClick(
        h,
        'approval.approve',
        { requestId: request.id },
        megan,
        `${APPROVALS_CHANNEL};messageid=${request.approvalCard!.activityId}`,
      ),
      conversation: {
        id: `${APPROVALS_CHANNEL};messageid=1`,
        tenantId: '99999999-9999-4999-8999-999999999999',
        conversationType: 'channel',
        isGroup: true,
        name: '',
      },
      channelData: { tenant: { id: '99999999-9999-4999-8999-999999999999' } },
    });
    expect(cardText(foreign.card)).toMatch(/Not available here/);
    expect(JSON.stringify(foreign.card)).not.toMatch(/Grady|Archie|gradya|Alex Wilber|SR-9/);
    const elsewhere = await h.invoke(
      approvalClick(
        h,
        'approval.approve',
        { requestId: request.id, approvedBy: megan.id, requester: megan.id },
        megan,
        '19:elsewhere@thread.tacv2',
      ),
    );
    expect(cardText(elsewhere.card)).toMatch(/Not available here/);
    expect(JSON.stringify(elsewhere.card)).not.toMatch(/Grady|Archie|gradya|Alex Wilber|SR-9/);
    expect((await stored(request.id)).status).toBe('pendingApproval');
    const forged = await click('approval.approve', request, megan, {
      by: alex.id,
      requester: megan.id,
      status: 'approved',
    });
    expect(forged).toMatch(/Approved by Megan Bowen/);
    expect((await stored(request.id)).decision?.by?.aadObjectId).toBe(megan.id);
  });

  describe('who may see a request (issue 11: a replayed card action showed a request to anyone)', () => {
    const secrets = /Grady|Archie|gradya|Alex Wilber|SR-9|Subject access request|pendingApproval|Waiting/;
    const foreignTenant = '99999999-9999-4999-8999-999999999999';

    it.each([
      ['a plain user in a 1:1 chat', adele, 'a:personal-replayed', 'personal', undefined],
      ['an admin in a 1:1 chat', megan, 'a:personal-replayed', 'personal', undefined],
      [
        'an admin in another channel',
        megan,
        '19:other0000000000000000000000000@thread.tacv2',
        'channel',
        undefined,
      ],
      [
        'a user of another tenant, in the approvals channel',
        megan,
        `${APPROVALS_CHANNEL};messageid=1`,
        'channel',
        foreignTenant,
      ],
    ])(
      'answers refresh and "Show my options" from %s with a card that names nothing',
      async (_who, from, conversationId, type, tenantId) => {
        const request = await posted(person('Grady Archie'));
        for (const trigger of ['automatic', 'manual']) {
          const activity = approvalClick(
            h,
            'approval.refresh',
            { requestId: request.id },
            from,
            conversationId,
          );
          const conversation = {
            ...activity.conversation!,
            conversationType: type,
            ...(tenantId ? { tenantId } : {}),
          };
          const { status, card } = await h.invoke({
            ...activity,
            conversation,
            ...(tenantId ? { channelData: { tenant: { id: tenantId } } } : {}),
            value: {
              action: { type: 'Action.Execute', verb: 'approval.refresh', data: { requestId: request.id } },
              trigger,
            },
          });
          expect(status).toBe(200);
          expect(cardProblems(card)).toEqual([]);
          expect(cardText(card)).toMatch(/Not available here/);
          expect(JSON.stringify(card)).not.toMatch(secrets);
        }
        await click('approval.cancel', request, alex);
      },
    );

    it('answers an unknown and an existing request id alike outside the channel (ids cannot be probed)', async () => {
      const request = await posted(person('Grady Archie'));
      const ask = (requestId: string) =>
        h.invoke(approvalClick(h, 'approval.refresh', { requestId }, adele, 'a:personal-probe'));
      const [known, unknown] = await Promise.all([ask(request.id), ask('DSR-2026-9999')]);
      expect(known.card).toEqual(unknown.card);
      await click('approval.cancel', request, alex);
    });

    it('refuses an activity whose two tenant ids disagree', async () => {
      const request = await posted(person('Grady Archie'));
      const activity = approvalClick(
        h,
        'approval.refresh',
        { requestId: request.id },
        megan,
        `${APPROVALS_CHANNEL};messageid=${request.approvalCard!.activityId}`,
      );
      const { card } = await h.invoke({ ...activity, channelData: { tenant: { id: foreignTenant } } });
      expect(cardText(card)).toMatch(/Not available here/);
      expect(JSON.stringify(card)).not.toMatch(secrets);
      await click('approval.cancel', request, alex);
    });

    it('refuses an activity from another channel of the same bot (Web Chat, Direct Line), whose client writes who and where', async () => {
      const request = await posted(person('Grady Archie'));
      const activity = approvalClick(
        h,
        'approval.refresh',
        { requestId: request.id },
        megan,
        `${APPROVALS_CHANNEL};messageid=${request.approvalCard!.activityId}`,
      );
      for (const channelId of ['webchat', 'directline']) {
        const { card } = await h.invoke({ ...activity, channelId });
        expect(cardText(card)).toMatch(/Not available here/);
        expect(JSON.stringify(card)).not.toMatch(secrets);
      }
      await click('approval.cancel', request, alex);
    });

    it('shows the card to a member of the approvals channel and the buttons to an admin there', async () => {
      const request = await posted(person('Grady Archie'));
      expect(await click('approval.refresh', request, adele)).toMatch(/Grady Archie/);
      const options = await h.invoke(
        approvalClick(
          h,
          'approval.refresh',
          { requestId: request.id },
          megan,
          `${APPROVALS_CHANNEL};messageid=${request.approvalCard!.activityId}`,
        ),
      );
      expect(JSON.stringify(options.card)).toContain('"verb":"approval.approve"');
      await click('approval.cancel', request, alex);
    });

    it('records refused attempts once per caller and hour, so repeats cannot flood the audit trail', async () => {
      const before = (await audit().list()).filter((e) => e.action === 'card.refused').length;
      for (let i = 0; i < 12; i++) {
        await h.invoke(
          approvalClick(h, 'approval.refresh', { requestId: 'DSR-2026-0001' }, adele, 'a:personal-flood'),
        );
      }
      const after = (await audit().list()).filter((e) => e.action === 'card.refused').length;
      expect(after - before).toBe(1);
    });
  });

  it('compares object ids without regard to case: the requester in capitals is still the requester (four eyes)', async () => {
    const request = await posted(person('Johanna Lorenz'), megan);
    const shouting = { ...megan, id: megan.id.toUpperCase() };
    expect(await click('approval.approve', request, shouting)).toMatch(/another admin has to decide it/);
    expect((await stored(request.id)).status).toBe('pendingApproval');
    await click('approval.cancel', request, megan);
  });

  it('stores exactly one outcome when two admins decide at once, and tells the other who decided', async () => {
    const request = await posted(person('Diego Siciliani'));
    const [a, b] = await Promise.all([
      click('approval.approve', request, megan),
      click('approval.reject', request, patti, { rejectReason: 'Duplicate of another ticket.' }),
    ]);
    const final = await stored(request.id);
    expect(['approved', 'rejected']).toContain(final.status);
    const winner = final.status === 'approved' ? 'Approved by Megan Bowen' : 'Rejected by Patti Fernandez';
    expect(a).toContain(winner);
    expect(b).toContain(winner);
    expect(
      (await audit().list(request.id)).filter(
        (e) => e.action === 'request.approved' || e.action === 'request.rejected',
      ),
    ).toHaveLength(1);
  });

  it('answers the same click delivered twice with the same card and acts once', async () => {
    const request = await posted(person('Adele Varga'));
    const [first, second] = await Promise.all([
      click('approval.approve', request, megan),
      click('approval.approve', request, megan),
    ]);
    expect(first).toMatch(/Approved by Megan Bowen/);
    expect(second).toMatch(/Approved by Megan Bowen/);
    await h.drain();
    expect((await audit().list(request.id)).filter((e) => e.action === 'request.approved')).toHaveLength(1);
    const threadReplies = h.connector.calls.filter(
      (c) =>
        c.method === 'POST' &&
        c.conversationId === `${APPROVALS_CHANNEL};messageid=${request.approvalCard!.activityId}`,
    );
    // One "Approved" reply (the export's own "Submitted" reply follows in the same thread).
    expect(threadReplies.filter((c) => c.activity.text?.startsWith('Approved by'))).toHaveLength(1);
  });

  it('lets the requester cancel before a decision, and nobody else', async () => {
    const request = await posted(person('Isaiah Langer'), patti);
    expect(await click('approval.cancel', request, megan)).toMatch(
      /Only the person who asked for this export can cancel it/,
    );
    expect(await click('approval.cancel', request, patti)).toMatch(/Cancelled by the requester/);
    expect((await stored(request.id)).status).toBe('cancelled');
  });

  it('gives each viewer their own card on refresh, and never updates or posts while answering it', async () => {
    const request = await posted(person('Lee Gu'), patti);
    await h.drain();
    const before = h.connector.calls.length;
    const view = async (from: SandboxUser) => {
      const { card } = await h.invoke({
        ...approvalClick(
          h,
          'approval.refresh',
          { requestId: request.id },
          from,
          `${APPROVALS_CHANNEL};messageid=${request.approvalCard!.activityId}`,
        ),
        value: {
          action: { type: 'Action.Execute', verb: 'approval.refresh', data: { requestId: request.id } },
          trigger: 'automatic',
        },
      });
      expect(cardProblems(card)).toEqual([]);
      return JSON.stringify(card);
    };
    const decider = await view(megan);
    expect(decider).toContain('"verb":"approval.approve"');
    expect(decider).toContain('"verb":"approval.reject"');
    const requester = await view(patti);
    expect(requester).toContain('"verb":"approval.cancel"');
    expect(requester).not.toContain('"verb":"approval.approve"');
    expect(requester).toContain('you cannot approve your own request');
    const viewer = await view(adele);
    expect(viewer).not.toMatch(/"verb":"approval\.(approve|reject|cancel)"/);
    await h.drain();
    expect(h.connector.calls.slice(before).filter((c) => c.method === 'PUT' || c.method === 'POST')).toEqual(
      [],
    );
  });
});

describe('approval when Graph is slow', () => {
  it('answers the invoke at once, records the decision and verifies the role in a job', async () => {
    const h = await startBotHarness({ roleCheckBudgetMs: 300 });
    try {
      await useApprovalsChannel(h, megan);
      const id = await createRequest(h, person('Isaiah Langer'), alex);
      await h.drain();
      const request = (await new TableRequestStore(testStorageConnectionString(), h.tables.requests).get(
        id,
      ))!;
      h.sandbox.inject({ method: 'POST', path: /checkMemberObjects$/, delayMs: 2000 });
      const started = Date.now();
      const { card } = await h.invoke(
        approvalClick(
          h,
          'approval.approve',
          { requestId: id },
          megan,
          `${APPROVALS_CHANNEL};messageid=${request.approvalCard!.activityId}`,
        ),
      );
      expect(Date.now() - started).toBeLessThan(1500);
      expect(cardText(card)).toMatch(/Your decision is recorded/);
      h.sandbox.clearFaults();
      await h.drain();
      const after = (await new TableRequestStore(testStorageConnectionString(), h.tables.requests).get(id))!;
      // Approved, and (the jobs having run) already submitted to Graph.
      expect(after).toMatchObject({ status: 'exporting', decision: { by: { aadObjectId: megan.id } } });
      expect(after.pendingDecision).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});

describe('approval cards when Teams pushes back', () => {
  it('posts once after a 429 with Retry-After, and updates after 503s, within Teams rules', async () => {
    const h = await startBotHarness();
    try {
      await useApprovalsChannel(h, megan);
      h.connector.inject({
        method: 'POST',
        path: /^\/v3\/conversations$/,
        status: 429,
        retryAfterSeconds: 1,
        times: 1,
      });
      const id = await createRequest(h, person('Isaiah Langer'), alex);
      const started = Date.now();
      await h.drain();
      const posts = h.connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations');
      expect(posts.map((c) => c.activity.type)).toEqual(['fault-429', 'message']);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      const request = (await new TableRequestStore(testStorageConnectionString(), h.tables.requests).get(
        id,
      ))!;
      expect(request.approvalCard).toBeDefined();

      h.connector.inject({ method: 'PUT', path: /\/activities\//, status: 503, times: 2 });
      await h.invoke(
        approvalClick(
          h,
          'approval.approve',
          { requestId: id },
          megan,
          `${APPROVALS_CHANNEL};messageid=${request.approvalCard!.activityId}`,
        ),
      );
      await h.drain();
      const puts = h.connector.calls.filter((c) => c.method === 'PUT');
      // Two refused, then the update; the next update is the export's "submitted".
      expect(puts.slice(0, 3).map((c) => c.activity.type)).toEqual(['fault-503', 'fault-503', 'message']);
      expect(cardText(puts.at(-1)?.activity.attachments?.[0]?.content)).toMatch(/Approved by\s+Megan Bowen/);
    } finally {
      await h.close();
    }
  }, 60000);

  it('keeps the request and tells the requester when the bot is not in the channel (403 BotNotInConversationRoster)', async () => {
    const h = await startBotHarness();
    try {
      await useApprovalsChannel(h, megan);
      h.connector.inject({
        method: 'POST',
        path: /^\/v3\/conversations$/,
        status: 403,
        code: 'BotNotInConversationRoster',
      });
      const id = await createRequest(h, person('Lee Gu'), alex);
      await h.drain();
      const request = (await new TableRequestStore(testStorageConnectionString(), h.tables.requests).get(
        id,
      ))!;
      expect(request.status).toBe('pendingApproval');
      expect(request.approvalCard).toBeUndefined();
      const notices = h.connector.calls.filter(
        (c) => c.method === 'POST' && c.conversationId === request.requestedIn.id,
      );
      expect(notices.at(-1)?.activity.text).toMatch(
        /could not post .* in the approvals channel \(BotNotInConversationRoster\)/,
      );
      expect(
        (await new TableAuditLog(testStorageConnectionString(), h.tables.audit).list(id)).some(
          (e) => e.action === 'notification.failed',
        ),
      ).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('pending requests do not wait forever', () => {
  it('reminds the channel after the configured time, then expires and tells the requester (injected clock)', async () => {
    let now = new Date();
    const start = now.getTime();
    const h = await startBotHarness({
      clock: { now: () => now },
      timerMaxVisibilitySeconds: 0,
      env: { APPROVAL_REMINDER_HOURS: '24', APPROVAL_EXPIRY_DAYS: '7' },
    });
    try {
      await useApprovalsChannel(h, megan);
      const id = await createRequest(h, person('Nestor Wilke'), alex);
      await h.drain();
      const store = new TableRequestStore(testStorageConnectionString(), h.tables.requests);
      const request = (await store.get(id))!;
      const thread = `${APPROVALS_CHANNEL};messageid=${request.approvalCard!.activityId}`;
      const threadTexts = () =>
        h.connector.calls
          .filter((c) => c.method === 'POST' && c.conversationId === thread)
          .map((c) => c.activity.text);

      now = new Date(start + 23 * 3600 * 1000);
      await h.drain();
      expect(threadTexts()).toEqual([]);

      now = new Date(start + 25 * 3600 * 1000);
      await h.drain();
      expect(threadTexts()).toEqual([
        expect.stringMatching(new RegExp(`^Reminder: ${id} still waits for a second admin`)),
      ]);

      now = new Date(start + 7 * 24 * 3600 * 1000 + 60 * 1000);
      await h.drain();
      const expired = (await store.get(id))!;
      expect(expired.status).toBe('expired');
      const update = h.connector.calls
        .filter((c) => c.method === 'PUT' && c.activityId === request.approvalCard!.activityId)
        .at(-1);
      expect(cardText(update?.activity.attachments?.[0]?.content)).toMatch(/Expired without a decision/);
      expect(threadTexts().at(-1)).toMatch(/^Expired: nobody decided in time/);
      const toRequester = h.connector.calls
        .filter((c) => c.method === 'POST' && c.conversationId === request.requestedIn.id)
        .at(-1);
      expect(toRequester?.activity.text).toMatch(
        new RegExp(`Your request ${id} .* expired without a decision`),
      );
      const actions = (await new TableAuditLog(testStorageConnectionString(), h.tables.audit).list(id)).map(
        (e) => e.action,
      );
      expect(actions).toEqual(expect.arrayContaining(['request.reminded', 'request.expired']));
    } finally {
      await h.close();
    }
  });
});

describe('setting the approvals channel', () => {
  it('posts the requests that waited for a channel once an admin sets it', async () => {
    const h = await startBotHarness();
    try {
      const id = await createRequest(h, person('Grady Archie'), alex);
      await h.drain();
      const store = new TableRequestStore(testStorageConnectionString(), h.tables.requests);
      expect((await store.get(id))?.approvalCard).toBeUndefined();
      expect(await useApprovalsChannel(h, megan)).toMatch(/1 waiting request will be posted now/);
      await h.drain();
      expect((await store.get(id))?.approvalCard?.conversationId).toBe(APPROVALS_CHANNEL);
      expect(cardText(postedCard(h, id))).toContain('Grady Archie');
    } finally {
      await h.close();
    }
  });
});
