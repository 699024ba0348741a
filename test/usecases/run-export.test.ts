import { BlobServiceClient } from '@azure/storage-blob';
import type { TenantSandbox } from '../../sandbox/tenant-sandbox';
import { TableAuditLog } from '../../src/adapters/storage/audit-log';
import { TableRequestStore } from '../../src/adapters/storage/request-store';
import type { ExportRequest } from '../../src/domain/export-request';
import { person } from '../support/activities';
import { startBotHarness, type BotHarness } from '../support/bot-harness';
import { cardProblems, cardText } from '../support/cards';
import {
  APPROVALS_CHANNEL,
  approvalClick,
  createRequest,
  postedCard,
  useApprovalsChannel,
} from '../support/flows';
import { testStorageConnectionString, waitFor } from '../support/sandbox';
import { QueueClient } from '@azure/storage-queue';
import { startExportHarness, type ExportHarness } from '../support/export-harness';
import type { ExportDestinations } from '../../src/domain/ports';

const alex = person('Alex Wilber');
const RETRY_AFTER = 60;

jest.setTimeout(120_000);

describe('submitting and following exports (Azurite, tenant sandbox, local connector, moved clock)', () => {
  let x: ExportHarness;
  let h: BotHarness;
  let sandbox: TenantSandbox;
  let clock: ExportHarness['clock'];
  beforeAll(async () => {
    x = await startExportHarness({}, RETRY_AFTER);
    ({ h, sandbox, clock } = x);
  });
  afterEach(() => sandbox.clearFaults());
  afterAll(() => x.close());

  const requests = () => new TableRequestStore(testStorageConnectionString(), h.tables.requests);
  const stored = (id: string) => x.stored(id);
  const audit = (id: string) => x.audit(id);
  const blobs = BlobServiceClient.fromConnectionString(testStorageConnectionString());
  /** Requests made here, for the secrets check at the end. */
  const created: string[] = [];
  async function approved(subject = person('Isaiah Langer')): Promise<ExportRequest> {
    const r = await x.approved(subject);
    created.push(r.id);
    return r;
  }
  const click = (verb: string, r: ExportRequest) => x.click(verb, r);
  const follow = (id: string, done: (r: ExportRequest) => boolean, maxSteps?: number) =>
    x.follow(id, done, maxSteps);
  const threadTexts = (r: ExportRequest) => x.threadTexts(r);
  const requesterTexts = (r: ExportRequest) => x.requesterTexts(r);
  const submissions = (subjectId: string) => x.submissions(subjectId);
  const operationsFor = (container: string) => x.operationsFor(container);

  it('submits once, follows a 3-day export within the poll budget, and tells the thread and the requester once', async () => {
    const subject = person('Isaiah Langer');
    const r = await approved(subject);
    expect(r.status).toBe('exporting');
    expect(submissions(subject.id)).toHaveLength(1);
    expect(operationsFor(r.export!.containerName)).toHaveLength(1);
    expect(threadTexts(r).some((t) => t.startsWith('Submitted to Microsoft Graph'))).toBe(true);

    const done = await follow(r.id, (x) => x.status === 'completed');
    expect(done.export!.completedAt).toBeDefined();
    const polls = sandbox.requests.filter(
      (q) => q.method === 'GET' && q.path.endsWith(operationsFor(r.export!.containerName)[0]!.id),
    );
    expect(polls.length).toBeLessThanOrEqual(100);
    // Never earlier than Retry-After: after the 202, and after every answer that carried one.
    const submitted = submissions(subject.id)[0]!.time.getTime();
    let previous = submitted;
    for (const poll of polls) {
      expect(poll.time.getTime() - previous).toBeGreaterThanOrEqual(RETRY_AFTER * 1000);
      previous = poll.time.getTime();
    }
    // Noticed within the cap (an hour) of the operation's end.
    const completedAt = submitted + 3 * 24 * 3600_000;
    expect(polls.at(-1)!.time.getTime() - completedAt).toBeLessThanOrEqual(3600_000);

    await h.drain();
    const completedThread = threadTexts(r).filter((t) => t.startsWith(`The export for ${r.id}`));
    expect(completedThread).toHaveLength(1);
    expect(completedThread[0]).toContain(
      `container ${r.export!.containerName} in storage account devstoreaccount1`,
    );
    const completedRequester = requesterTexts(r).filter((t) => t.includes('is complete'));
    expect(completedRequester).toHaveLength(1);

    const card = postedCard(h, r.id);
    expect(cardProblems(card)).toEqual([]);
    const text = cardText(card);
    expect(text).toContain('Export completed on');
    expect(text).toContain(r.export!.containerName);
    expect(text).toContain('devstoreaccount1');
    expect(JSON.stringify(card)).toContain('"type":"Action.OpenUrl"');
    expect(JSON.stringify(card)).toMatch(/https:\/\/portal\.azure\.com\/#@[^"]+\/browse\/Microsoft\.Storage/);

    // The SAS no longer grants anything.
    const policy = await blobs.getContainerClient(r.export!.containerName).getAccessPolicy();
    expect(policy.signedIdentifiers).toEqual([]);
    const actions = (await audit(r.id)).map((e) => e.action);
    for (const a of [
      'sas.created',
      'export.submitted',
      'export.statusChanged',
      'export.completed',
      'sas.revoked',
      'notification.sent',
    ])
      expect(actions).toContain(a);
    expect(actions.filter((a) => a === 'export.completed')).toHaveLength(1);
  });

  it('turns a Graph 403 into a failure that names the missing permission, and Retry exports into a new container', async () => {
    const lee = person('Lee Gu');
    // Graph's answer when the application lacks User.Export.All (as the sandbox gives it for such a token).
    sandbox.inject({
      method: 'POST',
      path: `/users/${lee.id}/exportPersonalData`,
      status: 403,
      code: 'Authorization_RequestDenied',
      times: 1,
    });
    const r = await approved(lee);
    expect(r.status).toBe('failed');
    expect(r.export!.failure!.code).toBe('Authorization_RequestDenied');
    expect(r.export!.failure!.message).toContain('User.Export.All');
    await h.drain();
    expect(threadTexts(r).some((t) => t.includes('User.Export.All') && t.includes('Retry'))).toBe(true);
    expect(requesterTexts(r).some((t) => t.includes('failed') && t.includes('User.Export.All'))).toBe(true);
    const card = postedCard(h, r.id);
    expect(cardText(card)).toContain('Export failed (Authorization_RequestDenied)');
    expect(JSON.stringify(card)).toContain('export.resubmit');

    const { status } = await h.invoke(click('export.resubmit', r));
    expect(status).toBe(200);
    // The same click again does nothing more.
    await h.invoke(click('export.resubmit', r));
    await h.drain();
    const again = await stored(r.id);
    expect(again.status).toBe('exporting');
    expect(again.export!.attempt).toBe(2);
    expect(again.export!.containerName).toBe(`${r.export!.containerName}-r2`);
    expect(submissions(r.subject.id)).toHaveLength(2); // one refused, one accepted
    expect(operationsFor(again.export!.containerName)).toHaveLength(1);
    const actions = (await audit(r.id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'export.resubmitted')).toHaveLength(1);
  });

  it('says clearly when Graph does not know the person (404)', async () => {
    sandbox.inject({
      method: 'POST',
      path: 'exportPersonalData',
      status: 404,
      code: 'Request_ResourceNotFound',
      times: 1,
    });
    const r = await approved(person('Nestor Wilke'));
    expect(r.status).toBe('failed');
    expect(r.export!.failure!.code).toBe('Request_ResourceNotFound');
    expect(r.export!.failure!.message).toMatch(/does not know this person/);
  });

  it('refuses a container Graph says was used, and a container that already holds data', async () => {
    sandbox.inject({
      method: 'POST',
      path: 'exportPersonalData',
      status: 400,
      code: 'StorageLocationAlreadyUsed',
      times: 1,
    });
    const r = await approved(person('Johanna Lorenz'));
    expect(r.status).toBe('failed');
    expect(r.export!.failure!.code).toBe('StorageLocationAlreadyUsed');
    expect(r.export!.failure!.message).toMatch(/container|storage location/i);

    // Attempt 2's container exists and holds something: nothing is submitted into it.
    const name = `${r.export!.containerName}-r2`;
    const container = blobs.getContainerClient(name);
    await container.create();
    await container.getBlockBlobClient('leftover.txt').upload('x', 1);
    const before = submissions(r.subject.id).length;
    await h.invoke(click('export.resubmit', r));
    await h.drain();
    const again = await stored(r.id);
    expect(again.status).toBe('failed');
    expect(again.export!.failure!.code).toBe('ContainerInUse');
    expect(submissions(r.subject.id)).toHaveLength(before);
  });

  it('waits out a 429 storm and 503s as Graph asks, and ends with exactly one submission and one notice', async () => {
    sandbox.inject({
      method: 'POST',
      path: 'exportPersonalData',
      status: 429,
      retryAfterSeconds: 30,
      times: 6,
    });
    sandbox.inject({
      method: 'POST',
      path: 'exportPersonalData',
      status: 503,
      retryAfterSeconds: 10,
      times: 2,
    });
    const subject = person('Grady Archie');
    const r = await approved(subject);
    expect(r.status).toBe('approved');
    expect(r.export!.throttled).toBe(1);
    const started = clock.now().getTime();
    const exporting = await follow(r.id, (x) => x.status === 'exporting');
    expect(exporting.export!.throttled).toBe(8);
    const posts = submissions(subject.id);
    expect(posts).toHaveLength(9);
    for (let i = 1; i < posts.length; i++)
      expect(posts[i]!.time.getTime() - posts[i - 1]!.time.getTime()).toBeGreaterThanOrEqual(
        i <= 6 ? 30_000 : 10_000,
      );
    expect(clock.now().getTime() - started).toBeGreaterThanOrEqual(6 * 30_000);
    expect(operationsFor(r.export!.containerName)).toHaveLength(1);
    await follow(r.id, (x) => x.status === 'completed');
    await h.drain();
    expect(threadTexts(r).filter((t) => t.startsWith(`The export for ${r.id}`))).toHaveLength(1);
    expect(requesterTexts(r).filter((t) => t.includes('is complete'))).toHaveLength(1);
  });

  it('does not submit again after a connection dropped once Graph took the export: it finds the evidence and follows it', async () => {
    sandbox.inject({ method: 'POST', path: 'exportPersonalData', drop: 'after', times: 1 });
    const subject = person('Adele Vance');
    const r = await approved(subject);
    expect(submissions(subject.id)).toHaveLength(1);
    const recovered = await stored(r.id);
    expect(recovered.status).toBe('exporting');
    expect(recovered.export!.operationUrl).toContain(operationsFor(r.export!.containerName)[0]!.id);
    await follow(r.id, (x) => x.status === 'completed');
    expect(submissions(subject.id)).toHaveLength(1);
    expect(operationsFor(r.export!.containerName)).toHaveLength(1);
    expect((await audit(r.id)).map((e) => e.action)).toContain('export.recovered');
  });

  it('asks the channel before resubmitting when a submission may not have reached Graph, and one admin click resubmits', async () => {
    sandbox.inject({ method: 'POST', path: 'exportPersonalData', drop: 'before', times: 1 });
    const subject = person('Diego Siciliani');
    const r = await approved(subject);
    expect(r.status).toBe('outcomeUnknown');
    const asked = await follow(r.id, (x) => x.export?.unknown?.askedAt !== undefined);
    expect(asked.status).toBe('outcomeUnknown');
    await h.drain();
    expect(
      threadTexts(r).some((t) => t.includes('I do not know whether Microsoft Graph took the export')),
    ).toBe(true);
    expect(operationsFor(r.export!.containerName)).toHaveLength(0);
    expect(JSON.stringify(postedCard(h, r.id))).toContain('Resubmit into a new container');

    await h.invoke(click('export.resubmit', asked));
    await h.drain();
    const again = await stored(r.id);
    expect(again.status).toBe('exporting');
    expect(again.export!.attempt).toBe(2);
    expect(operationsFor(again.export!.containerName)).toHaveLength(1);
  });

  it('reports a failed operation with Retry, and reports repeated failures to read it without dropping it', async () => {
    const r = await approved(person('Megan Bowen'));
    const op = operationsFor(r.export!.containerName)[0]!;
    sandbox.inject({ method: 'GET', path: op.id, status: 503, times: 5 });
    const afterErrors = await follow(r.id, (x) => (x.export?.pollErrors ?? 0) >= 5);
    await h.drain();
    expect(threadTexts(r).some((t) => t.includes('could not read the status') && t.includes('5 times'))).toBe(
      true,
    );
    expect(afterErrors.status).toBe('exporting');

    op.status = 'failed';
    op.completedDateTime = clock.now().toISOString();
    const failed = await follow(r.id, (x) => x.status === 'failed');
    expect(failed.export!.failure!.code).toBe('OperationFailed');
    await h.drain();
    expect(JSON.stringify(postedCard(h, r.id))).toContain('Retry into a new container');
    expect(requesterTexts(r).some((t) => t.includes('failed'))).toBe(true);
  });

  it('tells a requester who asked in a channel in a 1:1 chat it opens, and falls back to where they asked when Teams refuses it', async () => {
    for (const refused of [false, true]) {
      const id = await createRequest(h, person(refused ? 'Lee Gu' : 'Nestor Wilke'), alex);
      created.push(id);
      await h.drain();
      // As if asked in a team channel (intake from channels is covered by the intake tests).
      const where = { id: `19:team-general@thread.tacv2;messageid=${id}`, type: 'channel' as const };
      const v = (await requests().getVersioned(id))!;
      await requests().replace({ ...v.value, requestedIn: where }, v.etag);
      await h.invoke(click('approval.approve', await stored(id)));
      await h.drain();
      if (refused)
        h.connector.inject({
          method: 'POST',
          path: /^\/v3\/conversations$/,
          status: 403,
          code: 'Forbidden',
          times: 1,
        });
      const done = await follow(id, (x) => x.status === 'completed');
      await h.drain();
      const oneOnOne = `a:1on1-${alex.id}`;
      const inChat = h.connector
        .sentTo(oneOnOne)
        .filter((a) => a.text?.includes(`${id}`) && a.text.includes('is complete'));
      const inChannel = h.connector.sentTo(where.id).filter((a) => a.text?.includes('is complete'));
      expect(done.status).toBe('completed');
      if (refused) {
        expect(inChat).toHaveLength(0);
        expect(inChannel).toHaveLength(1);
      } else {
        expect(inChat).toHaveLength(1);
        expect(inChannel).toHaveLength(0);
        const opened = h.connector.calls.filter(
          (c) => c.path === '/v3/conversations' && c.conversationId === oneOnOne,
        );
        expect(opened.length).toBeGreaterThan(0);
      }
    }
    // Two exports followed to their end, three days each on the moved clock: the file's default budget is for one.
  }, 240_000);

  it('never lets a SAS signature reach Teams, the logs or the audit trail', async () => {
    const everything = [
      JSON.stringify(h.connector.calls),
      x.logLines.join('\n'),
      JSON.stringify(await Promise.all(created.map((id) => audit(id)))),
      JSON.stringify(await Promise.all(created.map((id) => stored(id)))),
    ].join('\n');
    const ids = [...sandbox.operations.values()].map((o) =>
      new URL(o.storageLocation).searchParams.get('sig')!,
    );
    expect(ids.length).toBeGreaterThan(3);
    for (const sig of ids) {
      expect(everything).not.toContain(sig);
      expect(everything).not.toContain(encodeURIComponent(sig));
    }
    expect(everything).not.toMatch(/[?&]sig=/);
  });
});

describe('an export job that keeps failing', () => {
  it('is reported in the thread and comes back later, never dropped', async () => {
    const megan = person('Megan Bowen');
    const failing: ExportDestinations = {
      prepare: () => Promise.reject(new Error('The blob service is unavailable.')),
      findEvidence: () => Promise.resolve({ found: false }),
      revoke: () => Promise.resolve(),
      summarize: () => Promise.resolve({ folders: [], files: 0, bytes: 0 }),
    };
    const h = await startBotHarness({
      destinations: failing,
      env: { WORKER_LEASE_SECONDS: '1', EXPORT_POLL_MAX_MINUTES: '60' },
    });
    try {
      await useApprovalsChannel(h, megan);
      const id = await createRequest(h, person('Isaiah Langer'), person('Alex Wilber'));
      await h.drain();
      const store = new TableRequestStore(testStorageConnectionString(), h.tables.requests);
      const r = (await store.get(id))!;
      const thread = `${APPROVALS_CHANNEL};messageid=${r.approvalCard!.activityId}`;
      await h.invoke(approvalClick(h, 'approval.approve', { requestId: id }, megan, thread));
      await waitFor(
        async () => {
          await h.drain();
          return h.connector
            .sentTo(thread)
            .some((a) => a.text?.includes('I keep failing to submit the export'));
        },
        'the thread to hear about the failing submission',
        30_000,
      );
      const text = h.connector.sentTo(thread).find((a) => a.text?.includes('I keep failing'))!.text!;
      expect(text).toContain('The blob service is unavailable.');
      expect(text).toMatch(/I will try again at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
      const stored = (await store.get(id))!;
      expect(stored.status).toBe('approved'); // still waiting to be submitted, not lost
      const q = new QueueClient(
        testStorageConnectionString(),
        `${h.tables.requests.replace(/requests$/, '')}jobs`,
      );
      const peek = await q.getProperties();
      expect(peek.approximateMessagesCount).toBeGreaterThan(0);
      const actions = (await new TableAuditLog(testStorageConnectionString(), h.tables.audit).list(id)).map(
        (e) => e.action,
      );
      expect(actions).toContain('notification.failed');
    } finally {
      await h.close();
    }
  });
});
