import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DEMO_BOT_ID, DEMO_TENANT, DEMO_TENANT_ID } from '../../../sandbox/demo-tenant';
import type { TenantSandbox } from '../../../sandbox/tenant-sandbox';
import type { SandboxConsole } from '../../../sandbox/console/console-server';
import { TableRequestStore } from '../../../src/adapters/storage/request-store';
import type { ExportRequest } from '../../../src/domain/export-request';
import { pendingRequest } from '../../support/requests';
import { startSandbox, testStorageConnectionString } from '../../support/sandbox';
import { call, startConsole } from './console-helpers';

let sandbox: TenantSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

describe('acting as a demo user on an approval card', () => {
  let bot: Server;
  const received: Record<string, unknown>[] = [];
  let c: SandboxConsole;
  const table = `c${randomUUID().replace(/-/g, '').slice(0, 12)}requests`;
  const store = () => new TableRequestStore(testStorageConnectionString(), table);
  const request: ExportRequest = {
    ...pendingRequest(`DSR-2026-${String(Math.floor(Math.random() * 9000) + 1000)}`),
    approvalCard: {
      conversationId: '19:sandbox-approvals@thread.tacv2',
      serviceUrl: 'http://localhost:56150/_connector',
      activityId: 'card-activity-7',
      postedAt: '2026-11-21T10:00:00Z',
    },
  };

  beforeAll(async () => {
    // A stand-in for the bot: records the invoke and answers as the bot does (an invoke response with a card).
    bot = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            statusCode: 200,
            type: 'application/vnd.microsoft.card.adaptive',
            value: {
              type: 'AdaptiveCard',
              body: [
                { type: 'TextBlock', text: `Data export request ${request.id}` },
                { type: 'TextBlock', text: 'Approved by Megan Bowen on 2026-11-21 10:01 UTC' },
              ],
            },
          }),
        );
      });
    });
    await new Promise<void>((r) => bot.listen(0, '127.0.0.1', () => r()));
    await store().create(request);
    c = await startConsole(sandbox, {
      botUrl: `http://127.0.0.1:${(bot.address() as AddressInfo).port}`,
      connectorUrl: 'http://localhost:56150/_connector',
      requestsTable: table,
    });
  });
  afterAll(async () => {
    await c.close();
    await new Promise<void>((r) => bot.close(() => r()));
  });

  it('lists the open requests with their state and whether their card is posted', async () => {
    const { json } = await call(c, 'GET', '/api/requests');
    expect(json).toMatchObject({
      total: 1,
      items: [
        {
          id: request.id,
          status: 'pendingApproval',
          subject: 'Adele Vance (adelev@contoso.com)',
          requester: 'Alex Wilber',
          cardPosted: true,
        },
      ],
    });
  });

  it("sends Teams' adaptiveCard/action invoke in the card's channel thread, from the chosen person, and shows the answer", async () => {
    const megan = DEMO_TENANT.users.find((u) => u.displayName === 'Megan Bowen')!;
    const { status, json } = await call(c, 'POST', `/api/requests/${request.id}/act`, {
      as: megan.id,
      verb: 'approve',
    });
    expect(status).toBe(200);
    expect(json).toEqual({
      request: request.id,
      as: 'Megan Bowen',
      verb: 'approve',
      answer: {
        status: 200,
        title: `Data export request ${request.id}`,
        text: 'Approved by Megan Bowen on 2026-11-21 10:01 UTC',
        note: '',
      },
    });
    expect(received.at(-1)).toMatchObject({
      type: 'invoke',
      name: 'adaptiveCard/action',
      channelId: 'msteams',
      serviceUrl: 'http://localhost:56150/_connector',
      from: { id: 'user-id-1', name: 'Megan Bowen', aadObjectId: megan.id },
      recipient: { id: DEMO_BOT_ID, name: 'DSR Export Bot' },
      conversation: {
        id: '19:sandbox-approvals@thread.tacv2;messageid=card-activity-7',
        conversationType: 'channel',
        isGroup: true,
        tenantId: DEMO_TENANT_ID,
      },
      channelData: { tenant: { id: DEMO_TENANT_ID }, channel: { id: '19:sandbox-approvals@thread.tacv2' } },
      replyToId: 'card-activity-7',
      value: {
        action: { type: 'Action.Execute', verb: 'approval.approve', data: { requestId: request.id } },
        trigger: 'manual',
      },
    });
  });

  it('sends a rejection with its reason and a cancellation as their card verbs', async () => {
    const patti = DEMO_TENANT.users.find((u) => u.displayName === 'Patti Fernandez')!;
    await call(c, 'POST', `/api/requests/${request.id}/act`, { as: patti.id, verb: 'reject', reason: 'No.' });
    expect(received.at(-1)).toMatchObject({
      value: { action: { verb: 'approval.reject', data: { requestId: request.id, rejectReason: 'No.' } } },
    });
    await call(c, 'POST', `/api/requests/${request.id}/act`, { as: patti.id, verb: 'cancel' });
    expect(received.at(-1)).toMatchObject({
      value: { action: { verb: 'approval.cancel', data: { requestId: request.id } } },
    });
  });

  it('refuses an unknown person, verb or request before anything is sent', async () => {
    const sent = received.length;
    const megan = DEMO_TENANT.users[1]!.id;
    expect(
      (await call(c, 'POST', `/api/requests/${request.id}/act`, { as: 'x', verb: 'approve' })).status,
    ).toBe(400);
    expect(
      (await call(c, 'POST', `/api/requests/${request.id}/act`, { as: megan, verb: 'delete' })).status,
    ).toBe(400);
    const missing = await call(c, 'POST', '/api/requests/DSR-1999-0001/act', { as: megan, verb: 'approve' });
    expect(missing).toEqual({ status: 404, json: { error: 'No request DSR-1999-0001.' } });
    expect(received.length).toBe(sent);
  });
});
