import { randomUUID } from 'node:crypto';
import { ROLE } from '../../../sandbox/demo-tenant';
import type { ExportRequest } from '../../../src/domain/export-request';
import { isoDate } from '../../../src/domain/policies';
import { channelMention, person, personalMessage } from '../../support/activities';
import { startBotHarness, type BotHarness } from '../../support/bot-harness';
import { cardText } from '../../support/cards';
import { startExportHarness, type ExportHarness } from '../../support/export-harness';
import { APPROVALS_CHANNEL, approvalClick, postedCard, walkIntake } from '../../support/flows';

/**
 * Issue 14: every request followed to its legal end, on real parts (sandbox, Azurite, local connector) and a
 * moved clock: reminders before and after the due date, extensions, delivery, closure with four eyes, identity
 * verification before approval, and the contents of a finished export.
 */
jest.setTimeout(120_000);

const alex = person('Alex Wilber'); // Global Administrator
const megan = person('Megan Bowen'); // Global Administrator
const isaiah = person('Isaiah Langer'); // no admin role

let x: ExportHarness;
let second: BotHarness;

beforeAll(async () => {
  x = await startExportHarness();
  // A second instance of the same bot: the same tables and queue, its own process state.
  second = await startBotHarness({
    sandbox: x.sandbox,
    clock: x.clock,
    tablePrefix: x.h.tables.requests.slice(0, -'requests'.length),
    timerMaxVisibilitySeconds: 0,
    env: { ADMIN_ROLE_TEMPLATE_IDS: ROLE.globalAdministrator },
  });
});

afterAll(async () => {
  await second?.close();
  await x?.close();
});

/** A click on a request's card in the approvals channel. */
const onCard = (verb: string, r: ExportRequest, data: Record<string, unknown> = {}, who = megan) =>
  x.h.invoke(
    approvalClick(
      x.h,
      verb,
      { requestId: r.id, ...data },
      who,
      `${APPROVALS_CHANNEL};messageid=${r.approvalCard!.activityId}`,
    ),
  );

/** What the bot answers `text` in a new 1:1 chat of `who`. */
async function ask(text: string, who = alex, tenantId?: string): Promise<string> {
  const conversationId = `a:personal-${randomUUID()}`;
  await x.h.post(
    personalMessage(text, {
      serviceUrl: x.h.connector.serviceUrl,
      from: who,
      conversationId,
      ...(tenantId ? { tenantId } : {}),
    }),
  );
  const [reply] = await x.h.connector.waitForSent(conversationId);
  return reply?.text ?? cardText(reply?.attachments?.[0]?.content);
}

/** A request created by Alex in a 1:1 chat and posted in the approvals channel. */
async function created(form: Record<string, string> = {}): Promise<ExportRequest> {
  const { id } = await walkIntake(x.h, isaiah, alex, {
    reference: 'SR-14',
    justification: 'Subject access request by email.',
    // Today on the bot's clock, which earlier tests moved on.
    receivedDate: isoDate(x.clock.now()),
    ...form,
  });
  await x.h.drain();
  return x.stored(id);
}

describe('the legal clock, followed to its end', () => {
  it('reminds 7 days and 1 day before the due date and once overdue, each once with two instances running, then delivery stops the clock', async () => {
    const approved = await x.approved(isaiah);
    const done = await x.follow(approved.id, (r) => r.status === 'completed');

    // What the export holds, read with the bot's own credential, on the record and in the thread.
    expect(done.export?.contents?.files).toBeGreaterThan(0);
    expect(done.export?.contents?.folders.map((f) => f.name)).toContain('Exchange');
    expect(x.threadTexts(done).join('\n')).toMatch(/\d+ files/);
    expect(done.identity?.method).toBe('corporateSignIn');
    expect(cardText(postedCard(x.h, done.id))).toMatch(/Identity verified/);
    expect(cardText(postedCard(x.h, done.id))).toMatch(/Exchange/);

    for (const step of ['week', 'day', 'overdue'] as const) {
      const before = x.threadTexts(done).length;
      const r = await x.stored(done.id);
      expect(r.deadline?.step).toBe(step);
      x.clock.set(new Date(r.deadline!.at));
      // Both instances take jobs at once: the reminder is said once.
      await Promise.all([x.h.drain(), second.drain(), x.h.drain()]);
      const said = x.threadTexts(done).slice(before);
      expect(said).toHaveLength(1);
      expect(said[0]).toContain(done.id);
    }
    const reminded = (await x.audit(done.id)).filter((e) => e.action === 'deadline.reminded');
    expect(reminded).toHaveLength(3);

    // While it is overdue, the approvals channel gets one digest a day, whichever instance runs it.
    x.clock.set(new Date(`${isoDate(x.clock.now())}T09:00:00Z`));
    const outcomes = await Promise.all([x.h.app.overdueDigest(), second.app.overdueDigest()]);
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    expect(await x.h.app.overdueDigest()).toBe('elsewhere');
    const digest = x.h.connector.calls.filter(
      (c) => c.conversationId === APPROVALS_CHANNEL && (c.activity.text ?? '').includes(done.id),
    );
    expect(digest).toHaveLength(1);
    expect(digest[0]?.activity.text).not.toContain('Isaiah Langer');

    // Delivery, recorded late: the clock stops and the lateness shows.
    const today = isoDate(x.clock.now());
    const { card } = await onCard('request.deliver', done, {
      deliveryDate: today,
      deliveryMethod: 'secureLink',
      deliveryNote: 'Link sent by email',
    });
    const delivered = await x.stored(done.id);
    expect(delivered).toMatchObject({ status: 'delivered', delivery: { date: today, method: 'secureLink' } });
    expect(delivered.delivery?.daysLate).toBeGreaterThan(0);
    expect(cardText(card)).toMatch(/late/i);
    expect(await ask('open requests')).not.toContain(done.id);
    // A later reminder timer finds the clock stopped.
    await x.h.drain();
    expect(x.threadTexts(done).filter((t) => /overdue/i.test(t))).toHaveLength(1);
  });

  it('extends GDPR twice by a month, refuses a third; extends CCPA once, refuses a second', async () => {
    const gdpr = await created();
    await onCard('request.extend', gdpr, { extendReason: 'Data in many systems', extendMonths: '1' });
    await onCard('request.extend', gdpr, { extendReason: 'Still collecting', extendMonths: '1' }, alex);
    const twice = await x.stored(gdpr.id);
    expect(twice.extensions).toHaveLength(2);
    expect(twice.dueDate > gdpr.dueDate).toBe(true);
    const { card } = await onCard('request.extend', gdpr, { extendReason: 'One more', extendMonths: '1' });
    expect(cardText(card)).toMatch(/cannot be extended/);
    expect((await x.stored(gdpr.id)).dueDate).toBe(twice.dueDate);
    // The requester is reminded to tell the data subject.
    await x.h.drain();
    expect(x.requesterTexts(twice).join('\n')).toMatch(/tell/i);

    const ccpa = await created({ regime: 'CCPA' });
    await onCard('request.extend', ccpa, { extendReason: 'Large mailbox' });
    expect((await x.stored(ccpa.id)).extensions).toHaveLength(1);
    const again = await onCard('request.extend', ccpa, { extendReason: 'Another reason' });
    expect(cardText(again.card)).toMatch(/cannot be extended/);
    expect((await x.stored(ccpa.id)).extensions).toHaveLength(1);
  });

  it('closes a request without export only with a second admin, and it leaves the open list', async () => {
    const r = await created();
    await onCard('request.close', r, {
      closeReason: 'withdrawn',
      closeNote: 'The subject withdrew by email',
    });
    expect((await x.stored(r.id)).closure?.proposedBy.name).toBe('Megan Bowen');
    const own = await onCard('request.confirmClose', r);
    expect(cardText(own.card)).toMatch(/another admin has to confirm/);
    expect((await x.stored(r.id)).status).toBe('pendingApproval');
    const nonAdmin = await onCard('request.confirmClose', r, {}, isaiah);
    expect(cardText(nonAdmin.card)).toMatch(/admins/i);
    await onCard('request.confirmClose', r, {}, alex);
    expect(await x.stored(r.id)).toMatchObject({ status: 'closed', closure: { reason: 'withdrawn' } });
    expect(await ask('open requests')).not.toContain(r.id);
    const approve = await onCard('approval.approve', r);
    expect((await x.stored(r.id)).status).toBe('closed');
    expect(cardText(approve.card)).not.toMatch(/Approved by/);
  });

  it('creates a request without identity verification, but it cannot be approved until an admin records it', async () => {
    const r = await created({ identityMethod: 'notYet' });
    expect(r.identity).toBeUndefined();
    const refused = await onCard('approval.approve', r);
    expect(cardText(refused.card)).toMatch(/identity is not verified/i);
    expect((await x.stored(r.id)).status).toBe('pendingApproval');
    await onCard(
      'request.identity',
      r,
      { identityMethod: 'hrRecords', identityNote: 'Matched HR file' },
      alex,
    );
    expect((await x.stored(r.id)).identity).toMatchObject({
      method: 'hrRecords',
      by: { name: 'Alex Wilber' },
    });
    await onCard('approval.approve', r);
    expect((await x.stored(r.id)).status).not.toBe('pendingApproval');
    expect((await x.audit(r.id)).map((e) => e.action)).toContain('identity.recorded');
  });
});

describe('finding requests: status, my requests, open requests', () => {
  let r: ExportRequest;
  beforeAll(async () => {
    r = await created();
  });

  it("shows an admin a request by id, with its timeline, and by the subject's name", async () => {
    const byId = await ask(`status ${r.id}`);
    expect(byId).toContain(r.id);
    expect(byId).toContain('Isaiah Langer');
    expect(byId).toMatch(/Created/);
    expect(await ask(r.id.toLowerCase())).toContain(r.id);
    expect(await ask('status isaiah')).toContain(r.id);
  });

  it('lists my requests and every open request, with how many there are', async () => {
    expect(await ask('my requests')).toContain(r.id);
    expect(await ask('my requests', megan)).not.toContain(r.id);
    const open = await ask('open requests', megan);
    expect(open).toContain(r.id);
    expect(open).toMatch(/\d+ open requests?/i);
  });

  it("shows nothing of anyone's requests to a non-admin or to another tenant", async () => {
    for (const text of ['open requests', `status ${r.id}`, 'my requests', 'status isaiah']) {
      const answer = await ask(text, isaiah);
      expect(answer).toMatch(/admins/i);
      expect(answer).not.toContain('Isaiah Langer');
      const foreign = await ask(text, alex, '99999999-9999-4999-8999-999999999999');
      expect(foreign).not.toContain(r.id);
      expect(foreign).not.toContain('Isaiah Langer');
    }
  });

  it('answers in a shared channel with a neutral note that each admin opens on their own screen', async () => {
    const channel = `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`;
    await x.h.post(
      channelMention('open requests', {
        serviceUrl: x.h.connector.serviceUrl,
        from: alex,
        conversationId: channel,
      }),
    );
    const [note] = await x.h.connector.waitForSent(channel);
    const content = note?.attachments?.[0]?.content as { refresh?: { userIds?: string[] } };
    expect(cardText(content)).not.toContain('Isaiah Langer');
    expect(content.refresh?.userIds).toEqual([`29:${alex.teamsId ?? alex.id}`]);
    const page = (who: typeof alex) =>
      x.h.invoke(approvalClick(x.h, 'requests.page', { list: 'open', page: 0 }, who, channel));
    expect(cardText((await page(megan)).card)).toContain(r.id);
    const refused = cardText((await page(isaiah)).card);
    expect(refused).not.toContain(r.id);
    expect(refused).toMatch(/admins/i);
  });

  it('never posts a request for everyone when an old client clicks (Action.Submit) in a shared chat', async () => {
    const channel = `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`;
    for (const value of [
      { verb: 'request.show', requestId: r.id },
      { verb: 'requests.page', list: 'open', page: 0 },
      { verb: 'request.extend', requestId: r.id, extendReason: 'Complex case' },
    ]) {
      const before = x.h.connector.sentTo(channel).length;
      await x.h.post({
        ...channelMention('', { serviceUrl: x.h.connector.serviceUrl, from: alex, conversationId: channel }),
        text: '',
        entities: [],
        value,
      });
      const [posted] = (await x.h.connector.waitForSent(channel, before + 1)).slice(before);
      const text = JSON.stringify(posted);
      expect(text).not.toContain('Isaiah Langer');
      expect(text).toMatch(/1:1 chat/);
    }
  });

  it('answers a non-admin the same whether the request exists or not', async () => {
    const click = (requestId: string) =>
      x.h.invoke(approvalClick(x.h, 'request.confirmClose', { requestId }, isaiah, 'a:personal-isaiah'));
    const existing = cardText((await click(r.id)).card);
    const unknown = cardText((await click('DSR-2099-9999')).card);
    expect(existing).toBe(unknown);
    expect(existing).not.toContain(r.id);
  });

  it('understands a typo of a command word', async () => {
    expect(await ask('stauts open')).toMatch(/Did you mean/);
    expect(await ask(`exprot data for ${isaiah.userPrincipalName}`)).toMatch(/Isaiah Langer/);
  });
});
