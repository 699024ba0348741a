import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
} from 'botbuilder';
import restify from 'restify';
import { startLocalConnector, type LocalConnector } from '../sandbox/local-connector';
import { DEMO_TENANT, DEMO_TENANT_ID, DEMO_USERS, ROLE, type SandboxUser } from '../sandbox/demo-tenant';
import { botEnvFor, startTenantSandbox, type TenantSandbox } from '../sandbox/tenant-sandbox';
import { createApp, type App } from '../src/compose';
import { readConfig, type Config } from '../src/config';
import { silentLogger } from '../src/logger';
import type { ServicesReady, ServicesStart } from './services-process';

/** The load figures: throughput and latency of many posts of one or several bodies. */
export interface LoadResult {
  readonly perSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

/** A personal-chat message activity, as the Teams channel posts it. */
export function activity(
  serviceUrl: string,
  conversationId: string,
  text: string,
  from: SandboxUser = DEMO_USERS[0]!,
) {
  return JSON.stringify({
    type: 'message',
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    text,
    from: { id: `29:${from.teamsId}`, name: from.displayName, aadObjectId: from.id },
    recipient: { id: '28:bot', name: 'DSR Export Bot' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: DEMO_TENANT_ID },
    channelData: { tenant: { id: DEMO_TENANT_ID } },
  });
}

/**
 * Posts `total` activities to `url` (one body with `concurrency` senders, or one sender per body) and measures
 * each answer. Any answer but 200 fails the step: a broken bot is not a slow one.
 */
export async function load(
  url: string,
  body: string | readonly string[],
  total: number,
  concurrency = 16,
): Promise<LoadResult> {
  const bodies = typeof body === 'string' ? [body] : body;
  const senders = typeof body === 'string' ? concurrency : bodies.length;
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (w: number) => {
    const b = bodies[w % bodies.length]!;
    while (next < total) {
      next++;
      const t0 = process.hrtime.bigint();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: b,
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: senders }, (_, w) => worker(w)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { perSecond: latencies.length / seconds, p50: pct(50), p95: pct(95), max: latencies.at(-1)! };
}

/** A bare botbuilder echo on the same restify + CloudAdapter: the baseline of the bot's throughput. */
export async function startEcho(): Promise<{ url: string; close(): Promise<void> }> {
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({}, new ConfigurationServiceClientCredentialFactory({})),
  );
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (context) => {
      if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text}`);
    });
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/api/messages`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

/** The whole bot on Azurite, the tenant sandbox (with ten extra admins) and a local connector, plus the echo. */
export interface BotStack {
  readonly config: Config;
  readonly sandbox: TenantSandbox;
  readonly connector: LocalConnector;
  readonly app: App;
  readonly botUrl: string;
  readonly echo: { url: string; close(): Promise<void> };
  /** Ten admins who ask at the same time. */
  readonly requesters: readonly SandboxUser[];
  close(): Promise<void>;
}

/** Ten admins (the bench's requesters), beside the demo tenant's people. */
function benchAdmins(requesterCount: number): SandboxUser[] {
  return Array.from({ length: requesterCount }, (_, i) => ({
    ...DEMO_USERS[0]!,
    id: `c0a70500-0000-4000-8000-0000000008${String(i).padStart(2, '0')}`,
    displayName: `Bench Admin ${i}`,
    userPrincipalName: `benchadmin${i}@contoso.com`,
    mail: `benchadmin${i}@contoso.com`,
    teamsId: `bench-${i}`,
    activeRoles: [ROLE.globalAdministrator],
  }));
}

/**
 * The bot alone in this process, on Azurite, with Graph, Entra ID and Teams in a process of their own
 * (bench/services-process.ts), as in production they answer from elsewhere: what a turn costs the bot.
 */
export async function startBotBesideServices(
  storage: string,
  requesterCount = 10,
): Promise<{
  readonly botUrl: string;
  readonly serviceUrl: string;
  readonly requesters: readonly SandboxUser[];
  close(): Promise<void>;
}> {
  const requesters = benchAdmins(requesterCount);
  const child = fork(path.join(__dirname, 'services-process.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopChild = async () => {
    if (child.connected) child.disconnect();
    await exited;
  };
  try {
    const ready = await new Promise<ServicesReady>((resolve, reject) => {
      child.once('message', (m: ServicesReady) => resolve(m));
      child.once('exit', (code) => reject(new Error(`The bench's Graph and Teams process exited (${code})`)));
      const start: ServicesStart = { users: requesters };
      child.send(start);
    });
    const app = await createApp({
      config: readConfig(ready.botEnv),
      storageConnectionString: storage,
      log: silentLogger,
    });
    const botUrl = `${await app.listen(0, '127.0.0.1')}/api/messages`;
    return {
      botUrl,
      serviceUrl: ready.serviceUrl,
      requesters,
      close: async () => {
        await app.close();
        await stopChild();
      },
    };
  } catch (err) {
    await stopChild();
    throw err;
  }
}

export async function startBotStack(storage: string, requesterCount = 10): Promise<BotStack> {
  const requesters = benchAdmins(requesterCount);
  const sandbox = await startTenantSandbox({
    tenant: { ...DEMO_TENANT, users: [...DEMO_TENANT.users, ...requesters] },
    tls: {
      cert: readFileSync(process.env.SANDBOX_TLS_CERT!, 'utf8'),
      key: readFileSync(process.env.SANDBOX_TLS_KEY!, 'utf8'),
    },
  });
  const started: { close(): Promise<void> }[] = [sandbox];
  try {
    const connector = await startLocalConnector({ record: false });
    started.push(connector);
    const config = readConfig(botEnvFor(sandbox));
    const app = await createApp({ config, storageConnectionString: storage, log: silentLogger });
    started.push({ close: () => app.close() });
    const botUrl = `${await app.listen(0, '127.0.0.1')}/api/messages`;
    const echo = await startEcho();
    started.push(echo);
    return {
      config,
      sandbox,
      connector,
      app,
      botUrl,
      echo,
      requesters,
      close: async () => {
        for (const s of started.reverse()) await s.close();
      },
    };
  } catch (err) {
    for (const s of started.reverse()) await s.close().catch(() => undefined);
    throw err;
  }
}
