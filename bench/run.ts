import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
} from 'botbuilder';
import restify from 'restify';
import { startLocalConnector } from '../sandbox/local-connector';
import { DEMO_TENANT, DEMO_TENANT_ID, DEMO_USERS, ROLE, type SandboxUser } from '../sandbox/demo-tenant';
import { botEnvFor, startTenantSandbox } from '../sandbox/tenant-sandbox';
import { createApp } from '../src/compose';
import { azuriteConnectionString, startAzurite, type EmbeddedAzurite } from '../sandbox/embedded-azurite';
import { readConfig } from '../src/config';
import { silentLogger } from '../src/logger';
import { benchApprove } from './approve';
import { benchInFlight, benchPollBudget } from './exports';
import { benchOpenRequests, openRequestsLine } from './open-requests';
import { auditTrailLine, benchAuditTrail } from './audit-trail';
import { benchYearReport, yearReportLine } from './year-report';

/**
 * npm run bench: activity throughput through POST /api/messages for `help` in a personal chat (the whole bot:
 * shape checks, TeamsFx middleware, conversation-reference store on Azurite, card rendering, reply to a
 * local connector) against a bare botbuilder echo handler on the same restify + CloudAdapter + connector,
 * measured alternately in the same run. Reports the ratio help / echo.
 */

const TOTAL = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REQUESTERS = 10;
const EXPORT_MESSAGES = Number(process.env.BENCH_EXPORT_MESSAGES ?? 400);

interface Result {
  perSecond: number;
  p50: number;
  p95: number;
  max: number;
}

function activity(
  serviceUrl: string,
  conversationId: string,
  text: string,
  from: SandboxUser = DEMO_USERS[0]!,
) {
  const alex = from;
  return JSON.stringify({
    type: 'message',
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    text,
    from: { id: `29:${alex.teamsId}`, name: alex.displayName, aadObjectId: alex.id },
    recipient: { id: '28:bot', name: 'DSR Export Bot' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: DEMO_TENANT_ID },
    channelData: { tenant: { id: DEMO_TENANT_ID } },
  });
}

async function load(url: string, body: string | readonly string[], total = TOTAL): Promise<Result> {
  const bodies = typeof body === 'string' ? [body] : body;
  const concurrency = typeof body === 'string' ? CONCURRENCY : bodies.length;
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (w: number) => {
    const body = bodies[w % bodies.length]!;
    while (next < total) {
      next++;
      const t0 = process.hrtime.bigint();
      const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return {
    perSecond: latencies.length / seconds,
    p50: pct(50),
    p95: pct(95),
    max: latencies[latencies.length - 1]!,
  };
}

async function startEcho(): Promise<{ url: string; close(): Promise<void> }> {
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (r: Result) =>
  `${r.perSecond.toFixed(0).padStart(6)} act/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p95 ${r.p95.toFixed(1).padStart(6)} ms   max ${r.max.toFixed(1).padStart(6)} ms`;

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'open-requests') {
    await runOpenRequestsBench();
    return;
  }
  if (process.env.BENCH_ONLY === 'records') {
    await runRecordsBench();
    return;
  }
  const azurite = await startAzurite();
  if (process.env.BENCH_ONLY === 'exports') {
    await runExportBenches(azurite);
    await azurite.stop();
    return;
  }
  // Ten admins who ask at the same time (the demo tenant has two Global Administrators).
  const requesters: SandboxUser[] = Array.from({ length: REQUESTERS }, (_, i) => ({
    ...DEMO_USERS[0]!,
    id: `c0a70500-0000-4000-8000-0000000008${String(i).padStart(2, '0')}`,
    displayName: `Bench Admin ${i}`,
    userPrincipalName: `benchadmin${i}@contoso.com`,
    mail: `benchadmin${i}@contoso.com`,
    teamsId: `bench-${i}`,
    activeRoles: [ROLE.globalAdministrator],
  }));
  const sandbox = await startTenantSandbox({
    tenant: { ...DEMO_TENANT, users: [...DEMO_TENANT.users, ...requesters] },
    tls: {
      cert: readFileSync(process.env.SANDBOX_TLS_CERT!, 'utf8'),
      key: readFileSync(process.env.SANDBOX_TLS_KEY!, 'utf8'),
    },
  });
  const connector = await startLocalConnector({ record: false });
  const config = readConfig(botEnvFor(sandbox));
  const app = await createApp({
    config,
    storageConnectionString: azurite.connectionString,
    log: silentLogger,
  });
  const botUrl = `${await app.listen(0, '127.0.0.1')}/api/messages`;
  const echo = await startEcho();

  const helpBody = activity(connector.serviceUrl, 'a:bench-help', 'help');
  const echoBody = activity(connector.serviceUrl, 'a:bench-echo', 'help');
  process.stdout.write(
    `Warming up… (${TOTAL} requests per run, concurrency ${CONCURRENCY}, ${ROUNDS} rounds)\n`,
  );
  await load(botUrl, helpBody);
  await load(echo.url, echoBody);

  const helpRuns: Result[] = [];
  const echoRuns: Result[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const e = await load(echo.url, echoBody);
    const h = await load(botUrl, helpBody);
    echoRuns.push(e);
    helpRuns.push(h);
    process.stdout.write(`round ${round}  echo ${fmt(e)}\n         help ${fmt(h)}\n`);
  }
  const helpRate = median(helpRuns.map((r) => r.perSecond));
  const echoRate = median(echoRuns.map((r) => r.perSecond));
  // Message → reply: the HTTP answer to the POST comes once the reply has reached the connector.
  const exportBodies = requesters.map((r, i) =>
    activity(connector.serviceUrl, `a:bench-export-${i}`, 'export data for isaiahl@contoso.com', r),
  );
  const helpBodies = requesters.map((r, i) => activity(connector.serviceUrl, `a:bench-help-${i}`, 'help', r));
  await load(botUrl, exportBodies, REQUESTERS * 3); // warm: tokens, role cache, tables
  const exportLatency = await load(botUrl, exportBodies, EXPORT_MESSAGES);
  const helpLatency = await load(botUrl, helpBodies, EXPORT_MESSAGES);
  process.stdout.write(
    `\nMessage → reply latency, ${REQUESTERS} concurrent requesters, ${EXPORT_MESSAGES} messages per scenario:\n` +
      `  help                                 p50 ${helpLatency.p50.toFixed(1)} ms   p95 ${helpLatency.p95.toFixed(1)} ms   (${helpLatency.perSecond.toFixed(0)} msg/s)\n` +
      `  export data for isaiahl@contoso.com  p50 ${exportLatency.p50.toFixed(1)} ms   p95 ${exportLatency.p95.toFixed(1)} ms   (${exportLatency.perSecond.toFixed(0)} msg/s)\n` +
      `  export / help                        p50 ×${(exportLatency.p50 / helpLatency.p50).toFixed(1)}   p95 ×${(exportLatency.p95 / helpLatency.p95).toFixed(1)}\n`,
  );

  process.stdout.write(
    `\nActivity throughput through /api/messages (median of ${ROUNDS} rounds):\n` +
      `  bare botbuilder echo : ${echoRate.toFixed(0)} activities/s\n` +
      `  help (personal chat) : ${helpRate.toFixed(0)} activities/s\n` +
      `  ratio help / echo    : ${(helpRate / echoRate).toFixed(2)}\n`,
  );

  await runOpenRequestsBench();
  await runRecordsBench();
  const fastGraph = await benchApprove(config, azurite.connectionString, sandbox, connector.serviceUrl, 0);
  const slowGraph = await benchApprove(config, azurite.connectionString, sandbox, connector.serviceUrl, 2000);
  const line = (r: { p50: number; p95: number; max: number }) =>
    `p50 ${r.p50.toFixed(1)} ms   p95 ${r.p95.toFixed(1)} ms   max ${r.max.toFixed(1)} ms`;
  process.stdout.write(
    `\nApprove: invoke response time (40 approvals, 5 at a time; every approval verified and stored):\n` +
      `  Graph answering at once   ${line(fastGraph)}\n` +
      `  Graph slowed to 2 s/call  ${line(slowGraph)}\n`,
  );

  await echo.close();
  await app.close();
  await connector.close();
  await sandbox.close();
  await runExportBenches(azurite);
  await azurite.stop();
}

const STORED = Number(process.env.BENCH_STORED_REQUESTS ?? 10_000);

/**
 * Listing open requests with many stored, on an emulator of its own: a realistic mix, then all open. The
 * emulator has the in-flight bench's fast path: without it, Azurite finds one entity by scanning its table
 * (6 ms a read with 10,000 stored), where Azure reads a row by its keys.
 */
/** Issue 16: verifying a 1,000-entry audit trail, and a year's metrics report over the stored requests. */
async function runRecordsBench(): Promise<void> {
  const tables = await startAzurite({
    preload: path.join(__dirname, '..', '..', 'bench', 'azurite-loki-fast-path.cjs'),
  });
  process.stdout.write(`\nAudit trail (Azurite, fast path):\n`);
  process.stdout.write(`  ${auditTrailLine(await benchAuditTrail(tables.connectionString))}\n`);
  process.stdout.write(`\nMetrics report of a year (Azurite, fast path):\n`);
  const report = await benchYearReport(tables.connectionString, { stored: STORED, tombstones: 500, runs: 5 });
  process.stdout.write(`  ${yearReportLine(report)}\n`);
  await tables.stop();
}

async function runOpenRequestsBench(): Promise<void> {
  const tables = await startAzurite({
    preload: path.join(__dirname, '..', '..', 'bench', 'azurite-loki-fast-path.cjs'),
  });
  process.stdout.write(`\nOpen requests, first page of 10, through the index (Azurite, fast path):\n`);
  const mix = { stored: STORED, open: 300, overdue: 40, listings: 200 };
  process.stdout.write(`  ${openRequestsLine(await benchOpenRequests(tables.connectionString, mix))}\n`);
  const allOpen = { stored: STORED, open: STORED, overdue: 500, listings: 50 };
  process.stdout.write(`  ${openRequestsLine(await benchOpenRequests(tables.connectionString, allOpen))}\n`);
  await tables.stop();
}

const IN_FLIGHT = Number(process.env.BENCH_EXPORTS ?? 10_000);
const EXPORT_SECONDS = Number(process.env.BENCH_EXPORT_SECONDS ?? 60);

/** Issue 5's figures: Graph calls and notice delay for a 3-day export; many exports in flight in one process. */
async function runExportBenches(azurite: EmbeddedAzurite): Promise<void> {
  const budget = await benchPollBudget(azurite.connectionString);
  process.stdout.write(
    `\nOne 3-day export, compressed clock (Graph Retry-After 60 s, poll cap ${budget.capMs / 60_000} min):\n` +
      `  Graph calls for the export (submit + status reads): ${budget.calls}   (target ≤ 100: ratio ${(budget.calls / 100).toFixed(2)})\n` +
      `  operation end → completion notice in the thread: ${(budget.delayMs / 60_000).toFixed(1)} min   (target ≤ cap: ratio ${(budget.delayMs / budget.capMs).toFixed(2)})\n`,
  );
  process.stdout.write(
    `\n${IN_FLIGHT} exports in flight in one bot process (compiled bot, ${EXPORT_SECONDS} s exports in the sandbox):\n`,
  );
  // Tables, the queue and the export blobs each on an emulator of their own (one thread each; in Azure they
  // are separate services), each with a fast path around a cost Azure does not have (azurite-loki-fast-path.cjs).
  const preload = path.join(__dirname, '..', '..', 'bench', 'azurite-loki-fast-path.cjs');
  const queueHost = await startAzurite({ preload });
  const exportAccount = await startAzurite({ preload });
  const tableHost = await startAzurite({ preload });
  const state = azuriteConnectionString({ ...tableHost.ports, queue: queueHost.ports.queue });
  const flight = await benchInFlight(
    state,
    exportAccount.connectionString,
    IN_FLIGHT,
    EXPORT_SECONDS,
    (l: string) => process.stdout.write(`${l}\n`),
  );
  await exportAccount.stop();
  await queueHost.stop();
  await tableHost.stop();
  process.stdout.write(
    `  RSS once started ${flight.idleMiB.toFixed(0)} MiB; peak RSS (VmHWM) ${flight.peakMiB.toFixed(0)} MiB   (ratio ${(flight.peakMiB / flight.idleMiB).toFixed(2)})\n` +
      `  completion notices: ${flight.threadNotices}/${IN_FLIGHT} in threads, ${flight.requesterNotices}/${IN_FLIGHT} to requesters, ${flight.duplicates} conversations with a repeat; all done in ${flight.seconds.toFixed(0)} s\n` +
      `  approval cards updated in place by then: ${flight.cardUpdates}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`Benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
