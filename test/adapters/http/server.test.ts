import { personalMessage } from '../../support/activities';
import { startBotHarness, type BotHarness } from '../../support/bot-harness';
import { createHttpServer } from '../../../src/adapters/http/server';
import { azuriteConnectionString, freePort } from '../../../src/adapters/storage/embedded-azurite';
import { tablePing } from '../../../src/adapters/storage/table-store';
import { silentLogger } from '../../../src/logger';

describe('the HTTP transport', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness();
  });
  afterAll(() => h.close());

  const stillServes = async () => {
    const ok = personalMessage('help', { serviceUrl: h.connector.serviceUrl });
    expect((await h.post(ok)).status).toBe(200);
    await h.connector.waitForSent(ok.conversation!.id);
  };

  it.each([
    ['a body that is not JSON', '{"type": "message", ', { 'Content-Type': 'application/json' }],
    ['a text body', 'hello', { 'Content-Type': 'text/plain' }],
    ['a JSON array', '[]', {}],
    [
      'an activity without type',
      JSON.stringify({ conversation: { id: 'x' }, serviceUrl: 'http://x/', channelId: 'msteams' }),
      {},
    ],
    [
      'an activity without conversation',
      JSON.stringify({ type: 'message', text: 'hi', serviceUrl: 'http://x/', channelId: 'msteams' }),
      {},
    ],
    [
      'an activity without serviceUrl',
      JSON.stringify({ type: 'message', conversation: { id: 'x' }, channelId: 'msteams' }),
      {},
    ],
  ])('refuses %s with a 4xx and keeps serving', async (_what, body, headers) => {
    const before = h.connector.calls.length;
    const res = await h.post(body, headers);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(h.connector.calls.length).toBe(before);
    await stillServes();
  });

  it('refuses a body over 1 MB with 413', async () => {
    const big = personalMessage('x'.repeat(1024 * 1024 + 10), { serviceUrl: h.connector.serviceUrl });
    expect((await h.post(big)).status).toBe(413);
    await stillServes();
  });

  it('answers /healthz 200 when storage answers', async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('the HTTP transport when storage is down', () => {
  it('answers /healthz 503 without leaking the connection string', async () => {
    const p = await freePort();
    const dead = azuriteConnectionString({ blob: p, queue: p, table: p });
    const server = createHttpServer({
      processActivity: () => Promise.resolve(),
      checkHealth: tablePing(dead),
      log: silentLogger,
    });
    await new Promise<void>((r) => {
      server.listen(0, '127.0.0.1', () => r());
    });
    try {
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(text).not.toMatch(/AccountKey/);
    } finally {
      await new Promise<void>((r) => {
        server.close(() => r());
      });
    }
  });
});

describe('inbound authentication', () => {
  it('with BOT_ID set, refuses an activity without Authorization (401) and processes nothing', async () => {
    // botbuilder logs the refusal with console.error; keep it out of the test output but check it happened.
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const h = await startBotHarness({
      env: {
        BOT_ID: 'c0a70500-0000-4000-8000-0000000000b0',
        BOT_PASSWORD: 'bot-password-for-test',
        BOT_TENANT_ID: 'c0a70500-0000-4000-8000-000000000001',
      },
    });
    try {
      const activity = personalMessage('whoami', { serviceUrl: h.connector.serviceUrl });
      const graphBefore = h.sandbox.requests.length;
      const res = await h.post(activity);
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain('bot-password-for-test');
      const forged = await h.post(activity, { Authorization: 'Bearer not.a.jwt' });
      expect(forged.status).toBe(401);
      expect(h.connector.calls).toHaveLength(0);
      expect(h.sandbox.requests.length).toBe(graphBefore);
      expect(consoleError).toHaveBeenCalled();
    } finally {
      consoleError.mockRestore();
      await h.close();
    }
  });
});
