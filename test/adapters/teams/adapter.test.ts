import type { Activity } from 'botbuilder';
import type { Server } from 'restify';
import { createHttpServer } from '../../../src/adapters/http/server';
import {
  botFrameworkAuthSettings,
  createAdapter,
  tokenRefusedWithoutKeys,
} from '../../../src/adapters/teams/adapter';
import { readConfig, type CloudName } from '../../../src/config';
import type { Logger } from '../../../src/logger';
import {
  channelClaims,
  makeJwt,
  newSigningKey,
  remoteFetches,
  startKeyServer,
  type KeyServer,
  type SigningKey,
} from './adapter-tokens';

// Signing keys come from a local key server; any other fetch fails as an unreachable host would (offline,
// deterministic, and never the internet).
jest.mock('node-fetch', () =>
  jest.requireActual<typeof import('./adapter-tokens')>('./adapter-tokens').loopbackOnlyNodeFetch(),
);

const APP_ID = 'c0a70500-0000-4000-8000-0000000000b0';
const TENANT = 'c0a70500-0000-4000-8000-000000000001';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
const botEnv = { AAD_APP_TENANT_ID: TENANT, BOT_ID: APP_ID, BOT_PASSWORD: 'pw', BOT_TENANT_ID: TENANT };

function activity(serviceUrl = SERVICE_URL): Partial<Activity> {
  return {
    type: 'message',
    id: 'a1',
    text: 'hello',
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:alex', name: 'Alex' },
    recipient: { id: `28:${APP_ID}`, name: 'bot' },
    conversation: { id: 'a:1', conversationType: 'personal', isGroup: false, name: '' },
  };
}

interface Captured {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

function capturingLogger(): Logger & { lines: Captured[] } {
  const lines: Captured[] = [];
  return {
    lines,
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
  };
}

/** A bot (HTTP transport + adapter) whose logic only records the turns that reach it. */
async function startBot(
  cloud: CloudName,
  authSettings?: Parameters<typeof createAdapter>[2],
): Promise<{
  post: (authorization: string | undefined, body?: Partial<Activity>) => Promise<Response>;
  turns: Activity[];
  log: ReturnType<typeof capturingLogger>;
  close: () => Promise<void>;
}> {
  const log = capturingLogger();
  const config = readConfig({ ...botEnv, AZURE_CLOUD: cloud });
  const adapter = createAdapter(config, log, authSettings);
  const turns: Activity[] = [];
  const server: Server = createHttpServer({
    processActivity: (req, res) =>
      adapter.process(req, res, (context) => {
        turns.push(context.activity);
        return Promise.resolve();
      }),
    checkHealth: () => Promise.resolve(),
    log,
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address();
  return {
    turns,
    log,
    post: (authorization, body = activity()) =>
      fetch(`http://127.0.0.1:${port}/api/messages`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(authorization === undefined ? {} : { Authorization: authorization }),
        },
        body: JSON.stringify(body),
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

describe('botFrameworkAuthSettings', () => {
  const singleTenant = { type: 'SingleTenant', tenantId: TENANT } as const;

  it('uses the public Bot Framework endpoints in the global cloud', () => {
    expect(botFrameworkAuthSettings('global', singleTenant)).toEqual({
      ChannelService: '',
      ValidateAuthority: true,
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
      ToBotFromEmulatorOpenIdMetadataUrl:
        'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
      OAuthUrl: 'https://api.botframework.com',
      CallerId: 'urn:botframework:azure',
    });
  });

  const usGov = {
    ChannelService: 'https://botframework.azure.us',
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
    ToChannelFromBotOAuthScope: 'https://api.botframework.us',
    ToBotFromChannelTokenIssuer: 'https://api.botframework.us',
    ToBotFromChannelOpenIdMetadataUrl:
      'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
    ToBotFromEmulatorOpenIdMetadataUrl:
      'https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0/.well-known/openid-configuration',
    CallerId: 'urn:botframework:azureusgov',
  };

  // Defect pinned: createAdapter always used the public cloud, whatever AZURE_CLOUD said.
  it('uses the Azure Government endpoints for US Gov (GCC High), with the GCC High token service', () => {
    expect(botFrameworkAuthSettings('usgov', singleTenant)).toEqual({
      ...usGov,
      OAuthUrl: 'https://tokengcch.botframework.azure.us/',
    });
  });

  it('uses the Azure Government endpoints for DoD, with the DoD token service', () => {
    expect(botFrameworkAuthSettings('usgovdod', singleTenant)).toEqual({
      ...usGov,
      OAuthUrl: 'https://apiDoD.botframework.azure.us',
    });
  });

  it("uses the Azure China (21Vianet) endpoints, logging in to the bot's own tenant", () => {
    expect(botFrameworkAuthSettings('china', singleTenant)).toEqual({
      ChannelService: 'https://botframework.azure.cn',
      ValidateAuthority: true,
      ToChannelFromBotLoginUrl: `https://login.partner.microsoftonline.cn/${TENANT}`,
      ToChannelFromBotOAuthScope: 'https://api.botframework.azure.cn',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.azure.cn',
      ToBotFromChannelOpenIdMetadataUrl:
        'https://login.botframework.azure.cn/v1/.well-known/openidconfiguration',
      ToBotFromEmulatorOpenIdMetadataUrl:
        'https://login.partner.microsoftonline.cn/a55a4d5b-9241-49b1-b4ff-befa8db00269/v2.0/.well-known/openid-configuration',
      OAuthUrl: 'https://token.botframework.azure.cn/',
    });
    expect(
      botFrameworkAuthSettings('china', { type: 'MultiTenant', tenantId: undefined })
        .ToChannelFromBotLoginUrl,
    ).toBe('https://login.partner.microsoftonline.cn/microsoftservices.partner.onmschina.cn');
  });
});

describe('tokenRefusedWithoutKeys', () => {
  const now = 1_800_000_000;
  const key = newSigningKey();
  const claims = { iss: 'https://api.botframework.com', aud: APP_ID, nbf: now - 60, exp: now + 3600 };

  it('leaves a well-formed RS256 token in its validity period to the signature check', () => {
    expect(tokenRefusedWithoutKeys(`Bearer ${makeJwt(claims, { rs256: key })}`, now)).toBeUndefined();
  });

  it("allows botbuilder's five minutes of clock skew", () => {
    const skewed = { ...claims, exp: now - 200, nbf: now + 200 };
    expect(tokenRefusedWithoutKeys(`Bearer ${makeJwt(skewed, { rs256: key })}`, now)).toBeUndefined();
  });

  it.each([
    ['alg none', makeJwt(claims, 'none'), /signing algorithm/],
    ['HS256', makeJwt(claims, { hs256: 'secret' }), /signing algorithm/],
    ['expired', makeJwt({ ...claims, exp: now - 301 }, { rs256: key }), /expired/],
    ['not valid yet', makeJwt({ ...claims, nbf: now + 301 }, { rs256: key }), /not valid yet/],
    ['a string exp', makeJwt({ ...claims, exp: 'soon' }, { rs256: key }), /invalid exp/],
  ])('refuses %s without any key', (_what, token, reason) => {
    expect(tokenRefusedWithoutKeys(`Bearer ${token}`, now)).toMatch(reason);
  });

  it.each(['', 'Basic abc', 'Bearer not-a-jwt', 'Bearer a.b.c'])(
    'leaves %j to botbuilder (which refuses it without the network too)',
    (header) => {
      expect(tokenRefusedWithoutKeys(header, now)).toBeUndefined();
    },
  );
});

describe('createAdapter follows AZURE_CLOUD for inbound tokens', () => {
  // Defect pinned: the adapter checked every token against the public cloud's issuer and keys. Under US Gov a
  // token from the Gov channel was refused as foreign, and a public-cloud token sent the bot to the public keys.
  it.each([
    ['global', 'https://api.botframework.com', 'https://login.botframework.com/'],
    ['usgov', 'https://api.botframework.us', 'https://login.botframework.azure.us/'],
    ['usgovdod', 'https://api.botframework.us', 'https://login.botframework.azure.us/'],
    ['china', 'https://api.botframework.azure.cn', 'https://login.botframework.azure.cn/'],
  ] as const)(
    'in the %s cloud, checks a token from %s against the keys at %s',
    async (cloud, issuer, keysAt) => {
      const bot = await startBot(cloud);
      try {
        remoteFetches.length = 0;
        const token = makeJwt(channelClaims(APP_ID, SERVICE_URL, { iss: issuer }), {
          rs256: newSigningKey(),
        });
        const res = await bot.post(`Bearer ${token}`);
        // The keys cannot be fetched here: the bot says so (503) rather than pretend the caller is unknown.
        expect(res.status).toBe(503);
        expect(remoteFetches.length).toBeGreaterThan(0);
        expect(remoteFetches.every((url) => url.startsWith(keysAt))).toBe(true);
        expect(bot.turns).toHaveLength(0);
      } finally {
        await bot.close();
      }
    },
  );

  it('refuses a public-cloud token in US Gov without fetching any key', async () => {
    const bot = await startBot('usgov');
    try {
      remoteFetches.length = 0;
      const token = makeJwt(channelClaims(APP_ID, SERVICE_URL), { rs256: newSigningKey() });
      expect((await bot.post(`Bearer ${token}`)).status).toBe(401);
      expect(remoteFetches).toEqual([]);
    } finally {
      await bot.close();
    }
  });
});

describe('inbound authentication with a bot registration', () => {
  let keys: KeyServer;
  let published: SigningKey;
  let bot: Awaited<ReturnType<typeof startBot>>;
  let consoleError: jest.SpyInstance;

  beforeAll(async () => {
    published = newSigningKey();
    keys = await startKeyServer([published]);
    bot = await startBot('global', {
      ToBotFromChannelOpenIdMetadataUrl: keys.metadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: keys.metadataUrl,
    });
  });
  beforeEach(() => {
    // botbuilder prints some refusals with console.error; keep the test output clean.
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    bot.turns.length = 0;
    bot.log.lines.length = 0;
  });
  afterEach(() => consoleError.mockRestore());
  afterAll(async () => {
    await bot.close();
    await keys.close();
  });

  it('runs the turn for a token signed by the channel key (the positive control)', async () => {
    const token = makeJwt(channelClaims(APP_ID, SERVICE_URL), { rs256: published });
    const res = await bot.post(`Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(bot.turns).toHaveLength(1);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const stranger = newSigningKey();
  const forgeries: [string, () => string | undefined][] = [
    ['no Authorization header', () => undefined],
    ['a header that is not a bearer token', () => 'Basic YWxhZGRpbjpvcGVuc2VzYW1l'],
    ['garbage', () => 'Bearer not.a.jwt'],
    // Defect pinned: jsonwebtoken's "jwt signature is required" escaped botbuilder as a 500.
    [
      'a JWT with alg none',
      () => `Bearer ${makeJwt(channelClaims(APP_ID, SERVICE_URL), 'none', { kid: published.kid })}`,
    ],
    // Defect pinned: "invalid signature" escaped as a 500.
    [
      'a JWT signed by an unknown key under the published key id',
      () =>
        `Bearer ${makeJwt(channelClaims(APP_ID, SERVICE_URL), { rs256: { ...stranger, kid: published.kid } })}`,
    ],
    [
      'a JWT signed by an unknown key',
      () => `Bearer ${makeJwt(channelClaims(APP_ID, SERVICE_URL), { rs256: stranger })}`,
    ],
    // Defect pinned: "invalid algorithm" (an HMAC-signed token, the algorithm-confusion attack) escaped as a 500.
    [
      'an HS256 JWT',
      () =>
        `Bearer ${makeJwt(channelClaims(APP_ID, SERVICE_URL), { hs256: published.jwk.n }, { kid: published.kid })}`,
    ],
    [
      'a JWT for another bot (wrong audience)',
      () => `Bearer ${makeJwt(channelClaims('another-bot', SERVICE_URL), { rs256: published })}`,
    ],
    [
      'an expired JWT',
      () =>
        `Bearer ${makeJwt(channelClaims(APP_ID, SERVICE_URL, { exp: now() - 3600, nbf: now() - 7200 }), { rs256: published })}`,
    ],
    // Defect pinned: jsonwebtoken's NotBeforeError escaped as a 500.
    [
      'a JWT not valid yet',
      () =>
        `Bearer ${makeJwt(channelClaims(APP_ID, SERVICE_URL, { nbf: now() + 3600 }), { rs256: published })}`,
    ],
    [
      'a JWT from another issuer',
      () =>
        `Bearer ${makeJwt(channelClaims(APP_ID, SERVICE_URL, { iss: 'https://evil.example' }), { rs256: published })}`,
    ],
    [
      'a JWT issued for another service URL',
      () => `Bearer ${makeJwt(channelClaims(APP_ID, 'https://evil.example/'), { rs256: published })}`,
    ],
  ];

  it.each(forgeries)('answers 401 to %s, never 500, and runs nothing', async (_what, authorization) => {
    const res = await bot.post(authorization());
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { code: 'Unauthorized', message: expect.stringMatching(/not authenticated/) as unknown },
    });
    expect(bot.turns).toHaveLength(0);
    expect(bot.log.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: expect.stringMatching(/unauthenticated/i) as unknown,
      }),
    );
  });

  it('never echoes the token or botbuilder exception text', async () => {
    const token = makeJwt(channelClaims(APP_ID, SERVICE_URL), { rs256: stranger }, { kid: published.kid });
    const text = await (await bot.post(`Bearer ${token}`)).text();
    expect(text).not.toContain(token.slice(0, 40));
    expect(text).not.toMatch(/signature|jsonwebtoken|stack/i);
  });
});

describe('inbound authentication when the signing keys cannot be fetched', () => {
  // Defect pinned: a network failure fetching the keys escaped botbuilder as a 500 with the fetch error's text.
  it('answers 503 (try again), runs nothing, and tells the operator what is wrong', async () => {
    const dead = await startKeyServer([]);
    const metadataUrl = dead.metadataUrl;
    await dead.close(); // connection refused from now on
    const bot = await startBot('global', { ToBotFromChannelOpenIdMetadataUrl: metadataUrl });
    try {
      const token = makeJwt(channelClaims(APP_ID, SERVICE_URL), { rs256: newSigningKey() });
      const res = await bot.post(`Bearer ${token}`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        error: { code: 'ServiceUnavailable', message: expect.any(String) as unknown },
      });
      expect(bot.turns).toHaveLength(0);
      expect(bot.log.lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          message: expect.stringMatching(/signing keys/) as unknown,
        }),
      );
    } finally {
      await bot.close();
    }
  });
});

describe('local mode (no bot registration)', () => {
  it('runs the turn without any token, as the local tools expect', async () => {
    const log = capturingLogger();
    const adapter = createAdapter(readConfig({ AAD_APP_TENANT_ID: TENANT }), log);
    const turns: Activity[] = [];
    const server = createHttpServer({
      processActivity: (req, res) =>
        adapter.process(req, res, (context) => {
          turns.push(context.activity);
          return Promise.resolve();
        }),
      checkHealth: () => Promise.resolve(),
      log,
    });
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', () => resolve());
    });
    try {
      const { port } = server.address();
      const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: 'Bearer whatever.the.playground-sends',
        },
        body: JSON.stringify(activity('http://127.0.0.1:1/_connector')),
      });
      expect(res.status).toBe(200);
      expect(turns).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
    }
  });
});
