import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { personalMessage } from '../../support/activities';
import { startBotHarness, type BotHarness } from '../../support/bot-harness';
import { createHttpServer } from '../../../src/adapters/http/server';
import { azuriteConnectionString, freePort } from '../../../sandbox/embedded-azurite';
import { tablePing } from '../../../src/adapters/storage/table-store';
import { silentLogger, type Logger } from '../../../src/logger';
import { channelClaims, makeJwt, newSigningKey } from '../teams/adapter-tokens';

/** Files in the temp directory that appeared since `before` and contain `marker`. */
async function newTempFilesContaining(before: ReadonlySet<string>, marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of await readdir(tmpdir())) {
    if (before.has(name)) continue;
    const text = await readFile(join(tmpdir(), name), 'utf8').catch(() => '');
    if (text.includes(marker)) found.push(name);
  }
  return found;
}

/** A body sent without Content-Length (chunked), as a stream. */
function chunked(text: string): { body: ReadableStream<Uint8Array>; duplex: 'half' } {
  const bytes = new TextEncoder().encode(text);
  return {
    body: new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64 * 1024)
          controller.enqueue(bytes.subarray(i, i + 64 * 1024));
        controller.close();
      },
    }),
    duplex: 'half',
  };
}

function warnings(): Logger & { readonly warned: string[] } {
  const warned: string[] = [];
  return { warned, info: () => {}, warn: (m) => warned.push(m), error: (m) => warned.push(m) };
}

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

  it('holds the 1 MiB limit for a chunked JSON body without Content-Length (413)', async () => {
    const big = JSON.stringify(
      personalMessage('x'.repeat(2 * 1024 * 1024), { serviceUrl: h.connector.serviceUrl }),
    );
    const res = await fetch(`${h.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      ...chunked(big),
    });
    expect(res.status).toBe(413);
    await stillServes();
  });

  // Defect pinned: restify's bodyParser parsed text, urlencoded and multipart bodies (and any *+json type).
  it.each([
    ['text/plain', 'hello'],
    ['text/plain; charset=utf-8', '{"type":"message"}'],
    ['application/x-www-form-urlencoded', 'type=message&text=hi'],
    ['application/xml', '<activity/>'],
    ['application/activity+json', '{"type":"message"}'],
    ['application/json; charset=iso-8859-1', '{"type":"message"}'],
    ['application/json; boundary=x', '{"type":"message"}'],
    ['multipart/form-data; boundary=x', '--x--'],
  ])('refuses Content-Type %s with 415 UnsupportedMediaType', async (contentType, body) => {
    const before = h.connector.calls.length;
    const res = await h.post(body, { 'Content-Type': contentType });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      error: { code: 'UnsupportedMediaType', message: expect.stringMatching(/application\/json/) as unknown },
    });
    expect(h.connector.calls.length).toBe(before);
  });

  it('refuses a body without Content-Type with 415', async () => {
    const activity = personalMessage('help', { serviceUrl: h.connector.serviceUrl });
    const res = await fetch(`${h.url}/api/messages`, {
      method: 'POST',
      body: new TextEncoder().encode(JSON.stringify(activity)), // bytes: fetch adds no Content-Type
    });
    expect(res.status).toBe(415);
  });

  // Defect pinned: restify inflated gzip bodies with no limit on the inflated size (a 1 MiB bomb is ~1 GiB).
  it('refuses a compressed body with 415', async () => {
    const before = h.connector.calls.length;
    const activity = personalMessage('help', { serviceUrl: h.connector.serviceUrl });
    const res = await fetch(`${h.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: gzipSync(JSON.stringify(activity)),
    });
    expect(res.status).toBe(415);
    expect(h.connector.calls.length).toBe(before);
  });

  it('refuses a huge body that is not JSON with 415 or 413 and keeps serving', async () => {
    const res = await fetch(`${h.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: new Uint8Array(8 * 1024 * 1024),
    });
    expect([413, 415]).toContain(res.status);
    await stillServes();
  });

  it.each(['application/json; charset=UTF-8', 'Application/JSON', 'application/json;charset="utf-8"'])(
    'accepts Content-Type %s',
    async (contentType) => {
      const activity = personalMessage('help', { serviceUrl: h.connector.serviceUrl });
      expect((await h.post(activity, { 'Content-Type': contentType })).status).toBe(200);
      await h.connector.waitForSent(activity.conversation!.id);
    },
  );

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

describe('inbound authentication with a bot registration', () => {
  let h: BotHarness;
  const log = warnings();
  beforeAll(async () => {
    h = await startBotHarness({
      log,
      env: {
        BOT_ID: 'c0a70500-0000-4000-8000-0000000000b0',
        BOT_PASSWORD: 'bot-password-for-test',
        BOT_TENANT_ID: 'c0a70500-0000-4000-8000-000000000001',
      },
    });
  });
  afterAll(() => h.close());

  const appId = 'c0a70500-0000-4000-8000-0000000000b0';
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (overrides: Record<string, unknown> = {}) =>
    channelClaims(appId, h.connector.serviceUrl, overrides);

  // Each can be refused without the Bot Framework signing keys, so the answer is 401 even offline.
  it.each([
    ['no Authorization header', () => undefined],
    ['garbage', () => 'Bearer not.a.jwt'],
    // Defect pinned: a Bot Framework-issued alg none token made botbuilder fetch keys and answer 500.
    ['a JWT with alg none', () => `Bearer ${makeJwt(claims(), 'none')}`],
    ['an HS256 JWT', () => `Bearer ${makeJwt(claims(), { hs256: 'guessed' })}`],
    ['an expired JWT', () => `Bearer ${makeJwt(claims({ exp: now() - 3600 }), { rs256: newSigningKey() })}`],
    [
      'a JWT not valid yet',
      () => `Bearer ${makeJwt(claims({ nbf: now() + 3600 }), { rs256: newSigningKey() })}`,
    ],
    [
      'a JWT from an unknown issuer',
      () => `Bearer ${makeJwt(claims({ iss: 'https://evil.example' }), { rs256: newSigningKey() })}`,
    ],
  ] as [string, () => string | undefined][])(
    'answers 401 to %s and processes nothing',
    async (_what, authorization) => {
      const activity = personalMessage('whoami', { serviceUrl: h.connector.serviceUrl });
      const graphBefore = h.sandbox.requests.length;
      const header = authorization();
      const res = await h.post(activity, header === undefined ? {} : { Authorization: header });
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain('bot-password-for-test');
      expect(h.connector.calls).toHaveLength(0);
      expect(h.sandbox.requests.length).toBe(graphBefore);
      expect(log.warned).toContainEqual(expect.stringMatching(/unauthenticated/i));
    },
  );

  // These need the signing keys from login.botframework.com, which this machine cannot reach: the bot answers
  // 503 (it cannot check the token now) where it has the keys it answers 401 (test/adapters/teams/adapter.test.ts).
  // Defect pinned: the failed key fetch escaped botbuilder as a 500 carrying the fetch error's text.
  it.each([
    ['a JWT signed by an unknown key', () => makeJwt(claims(), { rs256: newSigningKey() })],
    [
      'a JWT for another bot',
      () => makeJwt(claims({ aud: '11111111-2222-4333-8444-555555555555' }), { rs256: newSigningKey() }),
    ],
  ])('never answers 500 to %s and processes nothing', async (_what, token) => {
    const activity = personalMessage('whoami', { serviceUrl: h.connector.serviceUrl });
    const graphBefore = h.sandbox.requests.length;
    const res = await h.post(activity, { Authorization: `Bearer ${token()}` });
    expect([401, 503]).toContain(res.status);
    expect(await res.text()).not.toMatch(/ENOTFOUND|botframework\.com|FetchError/);
    expect(h.connector.calls).toHaveLength(0);
    expect(h.sandbox.requests.length).toBe(graphBefore);
  });

  // Defect pinned: restify's bodyParser accepted multipart before any authentication and wrote the uploaded
  // files to the temp directory, where they stayed.
  it('refuses a multipart upload without a token with 415 and writes nothing to disk', async () => {
    const marker = `dsr-upload-${randomUUID()}`;
    const before = new Set(await readdir(tmpdir()));
    const form = new FormData();
    form.append('type', 'message');
    form.append('file', new Blob([marker.repeat(1000)], { type: 'application/octet-stream' }), 'evil.bin');
    const res = await fetch(`${h.url}/api/messages`, { method: 'POST', body: form });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      error: { code: 'UnsupportedMediaType', message: expect.any(String) as unknown },
    });
    expect(await newTempFilesContaining(before, marker)).toEqual([]);
  });
});
