import { randomUUID } from 'node:crypto';
import { ROLE } from '../../../sandbox/demo-tenant';
import type { TenantSandbox } from '../../../sandbox/tenant-sandbox';
import { QueueJobs } from '../../../src/adapters/storage/queue-jobs';
import { TableRequestStore } from '../../../src/adapters/storage/request-store';
import { isoDate } from '../../../src/domain/policies';
import type { ExportRequest } from '../../../src/domain/export-request';
import { cardInvoke, person, personalMessage } from '../../support/activities';
import { startBotHarness, type BotHarness } from '../../support/bot-harness';
import { cardText } from '../../support/cards';
import { APPROVALS_CHANNEL, useApprovalsChannel } from '../../support/flows';
import { startSandbox, testStorageConnectionString } from '../../support/sandbox';

const alex = person('Alex Wilber');
const megan = person('Megan Bowen');
const HOUR = 3600_000;

function movableClock(start = Date.now()) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe('approval cards and their timers are posted and armed once (issue 11)', () => {
  const clock = movableClock();
  let sandbox: TenantSandbox;
  let h: BotHarness;
  beforeAll(async () => {
    sandbox = await startSandbox({ now: clock.now });
    h = await startBotHarness({
      sandbox,
      clock,
      timerMaxVisibilitySeconds: 0,
      env: {
        ADMIN_ROLE_TEMPLATE_IDS: ROLE.globalAdministrator,
        APPROVAL_REMINDER_HOURS: '1',
        APPROVAL_EXPIRY_DAYS: '1',
      },
    });
    await useApprovalsChannel(h, megan);
  });
  afterAll(async () => {
    await h.close();
    await sandbox.close();
  });

  const requests = () => new TableRequestStore(testStorageConnectionString(), h.tables.requests);
  const cardsPostedFor = (id: string) =>
    h.connector.calls.filter(
      (c) =>
        c.method === 'POST' &&
        c.path === '/v3/conversations' &&
        JSON.stringify(c.activity).includes(`Data export request ${id}`),
    );
  const remindersFor = (r: ExportRequest) =>
    h.connector
      .sentTo(`${APPROVALS_CHANNEL};messageid=${r.approvalCard!.activityId}`)
      .filter((a) => a.text?.startsWith('Reminder'));

  it('gives two concurrent submits of one draft, and a repeated post job, one card and one reminder chain', async () => {
    const conversationId = `a:personal-${alex.id}-${randomUUID()}`;
    const o = { serviceUrl: h.connector.serviceUrl, from: alex, conversationId };
    await h.post(personalMessage(`export data for ${person('Lee Gu').userPrincipalName}`, o));
    const [reply] = await h.connector.waitForSent(conversationId);
    const draftId = /"draftId":"([^"]+)"/.exec(JSON.stringify(reply))![1]!;
    const form = {
      draftId,
      regime: 'GDPR',
      receivedDate: isoDate(clock.now()),
      reference: 'SR-77',
      justification: 'Subject access request by email.',
    };
    const answers = await Promise.all([
      h.invoke(cardInvoke('intake.submit', form, o)),
      h.invoke(cardInvoke('intake.submit', form, o)),
    ]);
    const id = answers.map((a) => /DSR-\d{4}-\d{4}/.exec(cardText(a.card))?.[0]).find(Boolean)!;
    expect(id).toBeDefined();
    // A post job delivered twice (a sweep or a retry racing the first): still one card.
    const prefix = h.tables.requests.slice(0, -'requests'.length);
    const jobs = new QueueJobs(testStorageConnectionString(), `${prefix}jobs`, clock, 0);
    await jobs.enqueue({ type: 'postApprovalCard', requestId: id });
    await h.drain();
    expect(cardsPostedFor(id)).toHaveLength(1);
    const posted = (await requests().get(id))!;
    expect(posted.approvalCard).toBeDefined();

    // One reminder an hour, not two: the second chain (or the repeated timer) is stale.
    clock.advance(HOUR + 1000);
    await h.drain();
    expect(remindersFor(posted)).toHaveLength(1);
    clock.advance(HOUR + 1000);
    await h.drain();
    expect(remindersFor(posted)).toHaveLength(2);
    // After the expiry, nothing more.
    clock.advance(24 * HOUR);
    await h.drain();
    const expired = (await requests().get(id))!;
    expect(expired.status).toBe('expired');
    const count = remindersFor(posted).length;
    clock.advance(2 * HOUR);
    await h.drain();
    expect(remindersFor(posted)).toHaveLength(count);
  });
});
