import { ROLE } from '../../../sandbox/demo-tenant';
import type { SandboxConsole } from '../../../sandbox/console/console-server';
import { TableRequestStore } from '../../../src/adapters/storage/request-store';
import type { ExportRequest } from '../../../src/domain/export-request';
import { person } from '../../support/activities';
import { startBotHarness, type BotHarness } from '../../support/bot-harness';
import { cardText } from '../../support/cards';
import { APPROVALS_CHANNEL, createRequest, useApprovalsChannel } from '../../support/flows';
import { testStorageConnectionString } from '../../support/sandbox';
import { call, startConsole } from './console-helpers';

interface Acted {
  as: string;
  answer: { status: number; title: string; text: string; note: string };
}

/**
 * The console against the real bot (Azurite, tenant sandbox, local connector standing in for the Playground's):
 * its clicks are decided by the bot as Teams clicks are, and its controls steer the sandbox's exports.
 */
describe('the sandbox console with the bot', () => {
  let h: BotHarness;
  let c: SandboxConsole;
  const alex = person('Alex Wilber');
  const megan = person('Megan Bowen');
  const requests = () => new TableRequestStore(testStorageConnectionString(), h.tables.requests);
  const stored = async (id: string) => (await requests().get(id)) as ExportRequest;

  beforeAll(async () => {
    h = await startBotHarness({ env: { ADMIN_ROLE_TEMPLATE_IDS: ROLE.globalAdministrator } });
    await useApprovalsChannel(h, megan);
    c = await startConsole(h.sandbox, {
      botUrl: h.url,
      connectorUrl: h.connector.serviceUrl,
      requestsTable: h.tables.requests,
      containerPrefix: `${h.tables.requests.slice(0, -'requests'.length).toLowerCase()}-`,
      slowGraphMs: 400,
    });
  });
  afterAll(async () => {
    await c.close();
    await h.close();
  });

  /** A request by Alex whose approval card is in the channel. */
  async function posted(): Promise<ExportRequest> {
    const id = await createRequest(h, person('Lee Gu'), alex);
    await h.drain();
    const request = await stored(id);
    expect(request.approvalCard).toBeDefined();
    return request;
  }

  const act = async (id: string, as: string, verb: string, reason?: string) => {
    const { status, json } = await call(c, 'POST', `/api/requests/${id}/act`, { as, verb, reason });
    expect(status).toBe(200);
    return json as Acted;
  };

  it('approves as Megan: the bot decides, answers with the card, and updates the card in the channel', async () => {
    const request = await posted();
    const acted = await act(request.id, megan.id, 'approve');
    expect(acted.answer).toMatchObject({
      status: 200,
      title: `Data export request ${request.id}`,
      text: expect.stringMatching(/^Approved by Megan Bowen on /) as unknown,
      note: '',
    });
    expect((await stored(request.id)).decision).toMatchObject({
      verdict: 'approved',
      by: { name: 'Megan Bowen' },
    });
    await h.drain();
    const updates = h.connector.calls.filter(
      (x) => x.method === 'PUT' && x.activityId === request.approvalCard!.activityId,
    );
    // The card in the channel changed for everyone: approved by Megan, and no longer waiting.
    const last = cardText(updates.at(-1)?.activity.attachments?.[0]?.content);
    expect(last).toMatch(/Approved by\s+Megan Bowen on/);
    expect(last).not.toContain('Waiting for a second admin');
    expect(
      h.connector.sentTo(`${APPROVALS_CHANNEL};messageid=${request.approvalCard!.activityId}`).length,
    ).toBeGreaterThan(0);
  });

  it("shows the bot's refusal: the requester cannot approve their own request", async () => {
    const request = await posted();
    const acted = await act(request.id, alex.id, 'approve');
    expect(acted.answer.note).toBe(
      'You asked for this export, so another admin has to decide it (four eyes). You can cancel it.',
    );
    expect((await stored(request.id)).status).toBe('pendingApproval');
    const rejected = await act(request.id, megan.id, 'reject', 'Not a data-subject request.');
    expect(rejected.answer.text).toMatch(/^Rejected by Megan Bowen/);
    expect((await stored(request.id)).decision?.reason).toBe('Not a data-subject request.');
  });

  it('lists the open requests the bot stored, with their state', async () => {
    const request = await posted();
    const { json } = await call(c, 'GET', '/api/requests');
    expect((json as { items: { id: string; status: string }[] }).items).toContainEqual(
      expect.objectContaining({ id: request.id, status: 'pendingApproval', cardPosted: true }),
    );
  });

  it('finishes running exports now (files in the container) and makes the next export fail', async () => {
    const done = await posted();
    await act(done.id, megan.id, 'approve');
    await h.drain();
    const finished = await call(c, 'POST', '/api/controls/finish-exports');
    expect(finished.json).toEqual({
      message: expect.stringMatching(/^[1-9]\d* running exports? ended/) as unknown,
    });
    const container = (await stored(done.id)).export!.containerName;
    const { json } = await call(c, 'GET', '/api/containers');
    const files = (json as { name: string; files: { name: string }[] }[]).find(
      (x) => x.name === container,
    )?.files;
    expect(files?.map((f) => f.name)).toEqual(
      expect.arrayContaining(['RequestInfo.json', 'Teams/chats.json']),
    );

    expect((await call(c, 'POST', '/api/controls/fail-next')).status).toBe(200);
    expect(await call(c, 'GET', '/api/controls')).toMatchObject({ json: { nextExportFails: true } });
    const failing = await posted();
    await act(failing.id, megan.id, 'approve');
    await h.drain();
    expect(await call(c, 'GET', '/api/controls')).toMatchObject({
      json: { nextExportFails: false, runningExports: 1 },
    });
    await call(c, 'POST', '/api/controls/finish-exports');
    const operationOf = async (id: string) => {
      const name = (await stored(id)).export!.containerName;
      return [...h.sandbox.operations.values()].find((o) =>
        new URL(o.storageLocation).pathname.endsWith(`/${name}`),
      );
    };
    expect((await operationOf(done.id))?.status).toBe('complete');
    expect((await operationOf(failing.id))?.status).toBe('failed');
  });

  it('slows Graph down and back (Entra ID keeps its speed)', async () => {
    const graphCall = async () => {
      const started = Date.now();
      await fetch(`${h.sandbox.graphEndpoint}/v1.0/users`);
      return Date.now() - started;
    };
    await call(c, 'POST', '/api/controls/graph-speed', { slow: true });
    expect(await call(c, 'GET', '/api/controls')).toMatchObject({
      json: { graphDelayMs: 400, slowGraphMs: 400 },
    });
    expect(await graphCall()).toBeGreaterThanOrEqual(390);
    const started = Date.now();
    await fetch(`${h.sandbox.authorityHost}/${h.config.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(Date.now() - started).toBeLessThan(390);
    await call(c, 'POST', '/api/controls/graph-speed', { slow: false });
    expect(await call(c, 'GET', '/api/controls')).toMatchObject({ json: { graphDelayMs: 0 } });
    expect(await graphCall()).toBeLessThan(390);
  });
});
