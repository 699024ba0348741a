import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startLocalConnector } from '../sandbox/local-connector';
import { botEnvFor, startTenantSandbox } from '../sandbox/tenant-sandbox';
import { createApp } from '../src/compose';
import { freePort } from '../sandbox/embedded-azurite';
import { QueueJobs } from '../src/adapters/storage/queue-jobs';
import { TableRequestStore } from '../src/adapters/storage/request-store';
import { SendPacer } from '../src/adapters/teams/pacer';
import { readConfig } from '../src/config';
import type { ExportRequest } from '../src/domain/export-request';
import { DEFAULT_EXPORT_POLICY } from '../src/domain/policies';
import { seededRequest } from '../sandbox/seed-requests';
import { systemClock, type Clock } from '../src/domain/ports';
import { transition } from '../src/domain/workflow';
import { silentLogger } from '../src/logger';
import { BOT_NODE_FLAGS } from '../src/process-helpers';

const HOUR = 3600_000;
const CHANNEL = '19:benchexports00000000000000000000@thread.tacv2';

function tls() {
  return {
    cert: readFileSync(process.env.SANDBOX_TLS_CERT!, 'utf8'),
    key: readFileSync(process.env.SANDBOX_TLS_KEY!, 'utf8'),
  };
}

/** An approved request whose export is the next job (as the approval leaves it). */
function approvedRequest(i: number, serviceUrl: string, now: Date, prefix: string): ExportRequest {
  const pending = seededRequest(i, { serviceUrl, channel: CHANNEL, tag: 'bench', now });
  const approved = transition(
    pending,
    { type: 'approve', by: { aadObjectId: 'megan', name: 'Megan Bowen' } },
    now,
    { ...DEFAULT_EXPORT_POLICY, containerPrefix: prefix },
  );
  if (!approved.ok) throw new Error(approved.reason);
  return approved.request;
}

/**
 * One 3-day export on a compressed clock: the clock jumps to each job the request waits for. Counts the
 * Graph calls for the export (the submission and every read of the operation) and the time from the
 * operation's end to the completion notice in the channel thread.
 */
export async function benchPollBudget(
  storage: string,
): Promise<{ calls: number; delayMs: number; capMs: number }> {
  let t = Date.now();
  const clock: Clock = { now: () => new Date(t) };
  const durationMs = 72 * HOUR;
  const sandbox = await startTenantSandbox({
    tls: tls(),
    now: () => clock.now(),
    retryAfterSeconds: 60,
    exportDurationMs: durationMs,
  });
  const connector = await startLocalConnector();
  const prefix = `b${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const config = readConfig({ ...botEnvFor(sandbox), STORAGE_PREFIX: prefix });
  const app = await createApp({
    config,
    storageConnectionString: storage,
    log: silentLogger,
    ports: {
      clock,
      pacer: new SendPacer(
        () => performance.now(),
        (ms) => new Promise((r) => setTimeout(r, ms)),
        {
          perConversation: [{ count: 1e6, windowMs: 1000 }],
          perApp: [{ count: 1e6, windowMs: 1000 }],
        },
      ),
    },
    tuning: { tablePrefix: prefix, timerMaxVisibilitySeconds: 0, startWorker: false },
  });
  try {
    const requests = new TableRequestStore(storage, `${prefix}requests`);
    const jobs = new QueueJobs(storage, `${prefix}jobs`, clock, 0);
    const request = approvedRequest(0, connector.serviceUrl, clock.now(), prefix);
    await requests.create(request);
    await jobs.enqueue({
      type: 'submitExport',
      requestId: request.id,
      attempt: 1,
      at: request.export!.nextAt!,
    });
    const thread = `${CHANNEL};messageid=${request.approvalCard!.activityId}`;
    let noticeAt: number | undefined;
    for (let step = 0; step < 2000 && noticeAt === undefined; step++) {
      // The export service ends the export at its time (its files written), read or not.
      await sandbox.exportControls.settleDue();
      // The clock stands still while the due jobs run: a notice sent now was sent at t.
      while ((await app.worker.runOnce()) > 0);
      if (connector.sentTo(thread).some((a) => a.text?.startsWith(`The export for ${request.id}`)))
        noticeAt ??= t;
      // On to whichever is due first: the next read of Graph, or the next look into the container.
      const x = (await requests.get(request.id))?.export;
      const due = [x?.nextAt, x?.watchAt]
        .filter((d): d is string => d !== undefined)
        .map((d) => Date.parse(d));
      if (due.length > 0) t = Math.max(t, Math.min(...due));
    }
    const op = [...sandbox.operations.values()][0]!;
    const calls = sandbox.requests.filter(
      (q) => q.path.includes('/exportPersonalData') || q.path.includes(`/dataPolicyOperations/${op.id}`),
    ).length;
    const endedAt = Date.parse(op.submittedDateTime) + durationMs;
    return { calls, delayMs: (noticeAt ?? NaN) - endedAt, capMs: config.exports.pollCapMs };
  } finally {
    await app.close();
    await connector.close();
    await sandbox.close();
  }
}

/** A process's resident memory now (VmRSS) or at its peak (VmHWM), in MiB, from /proc. */
function memoryMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
}

/**
 * `count` exports in flight in one bot process (the compiled program, as production runs it) against the
 * sandbox (exports of `exportSeconds`) and a local connector: the process's peak RSS (VmHWM) against its RSS
 * once started, and the completion notices delivered (each request: one in its thread, one to its
 * requester). Teams' 50 sends per second per app bounds how fast notices can go out.
 */
export async function benchInFlight(
  storage: string,
  exportStorage: string,
  count: number,
  exportSeconds: number,
  progress: (line: string) => void,
  /** EXPORT_POLL_MAX_MINUTES for the bot; absent: the production poll plan (short runs poll sooner). */
  pollCapMinutes?: number,
): Promise<{
  idleMiB: number;
  peakMiB: number;
  threadNotices: number;
  requesterNotices: number;
  duplicates: number;
  cardUpdates: number;
  seconds: number;
}> {
  const sandbox = await startTenantSandbox({
    tls: tls(),
    retryAfterSeconds: 5,
    exportDurationMs: exportSeconds * 1000,
  });
  const connector = await startLocalConnector();
  const prefix = `f${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  // As production runs it (infra/main.bicep's appCommandLine), Node flags included.
  const bot = spawn(process.execPath, [...BOT_NODE_FLAGS, path.join(__dirname, '..', 'src', 'index.js')], {
    env: {
      ...process.env,
      ...botEnvFor(sandbox),
      AZURE_STORAGE_CONNECTION_STRING: storage,
      // Exports land in their own account, as in production (and off the state emulator's single thread).
      EXPORT_STORAGE_CONNECTION_STRING: exportStorage,
      STORAGE_PREFIX: prefix,
      PORT: String(await freePort()),
      // The production poll plan (Retry-After, then every 5 minutes in an export's first hour).
      WORKER_CONCURRENCY: '32',
      ...(pollCapMinutes !== undefined ? { EXPORT_POLL_MAX_MINUTES: String(pollCapMinutes) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  bot.stdout?.on('data', (c: Buffer) => (output += c.toString().slice(-2000)));
  bot.stderr?.on('data', (c: Buffer) => (output += c.toString().slice(-2000)));
  try {
    for (let i = 0; i < 300 && !output.includes('Bot listening'); i++)
      await new Promise((r) => setTimeout(r, 100));
    if (!output.includes('Bot listening')) throw new Error(`The bot did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 1000));
    const idleMiB = memoryMiB(bot.pid!, 'VmRSS');
    const requests = new TableRequestStore(storage, `${prefix}requests`);
    const jobs = new QueueJobs(storage, `${prefix}jobs`, systemClock);
    const started = Date.now();
    for (let i = 0; i < count; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, async (_, k) => {
          const r = approvedRequest(i + k, connector.serviceUrl, new Date(), prefix);
          await requests.create(r);
          await jobs.enqueue({ type: 'submitExport', requestId: r.id, attempt: 1, at: r.export!.nextAt! });
        }),
      );
    }
    progress(`  seeded ${count} approved requests in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const completions = () => {
      let thread = 0;
      let requester = 0;
      for (const c of connector.calls) {
        if (c.method !== 'POST' || !(c.activity.text ?? '').includes('is complete')) continue;
        if (c.conversationId?.includes(';messageid=')) thread += 1;
        else if (c.conversationId?.startsWith('a:bench-requester-')) requester += 1;
      }
      return { thread, requester };
    };
    // Card updates (each in its own thread) are not notices: the bench reports how many went out by the end.
    const cardUpdates = () => connector.calls.filter((c) => c.method === 'PUT').length;
    let last = 0;
    // A step that never ends is a broken one: once nothing has moved (no submission, notice or card update) for
    // longer than an export and the longest wait between reads of it, give up. (A fixed deadline would fail a
    // slow machine's long run, not a broken one.)
    const stallMs = (exportSeconds + (pollCapMinutes ?? 60) * 60 + 180) * 1000;
    let moved = { at: Date.now(), progress: -1 };
    for (;;) {
      const { thread, requester } = completions();
      if (thread >= count && requester >= count) break;
      if (bot.exitCode !== null) throw new Error(`The bot exited:\n${output}`);
      const now = sandbox.operations.size + thread + requester + cardUpdates();
      if (now !== moved.progress) moved = { at: Date.now(), progress: now };
      else if (Date.now() - moved.at > stallMs)
        throw new Error(
          `Only ${thread}/${count} completion notices in threads and ${requester}/${count} to requesters, and nothing moved for ${stallMs / 1000} s. The bot said last:\n${output}`,
        );
      if (Date.now() - last > 30_000) {
        last = Date.now();
        progress(
          `  ${((Date.now() - started) / 1000).toFixed(0)} s: ${sandbox.operations.size} submitted, ${thread} thread notices, ${requester} requester notices, ${cardUpdates()} card updates, RSS ${memoryMiB(bot.pid!, 'VmRSS').toFixed(0)} MiB`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const seconds = (Date.now() - started) / 1000;
    const peakMiB = memoryMiB(bot.pid!, 'VmHWM');
    const perRequest = new Map<string, number>();
    for (const c of connector.calls) {
      const text = c.activity.text ?? '';
      if (c.method === 'POST' && text.includes('is complete'))
        perRequest.set(`${c.conversationId}`, (perRequest.get(`${c.conversationId}`) ?? 0) + 1);
    }
    const duplicates = [...perRequest.values()].filter((n) => n > 1).length;
    const { thread, requester } = completions();
    return {
      idleMiB,
      peakMiB,
      threadNotices: thread,
      requesterNotices: requester,
      duplicates,
      cardUpdates: cardUpdates(),
      seconds,
    };
  } finally {
    // A bot that already exited (it crashed, or was stopped) sends no 'exit' again: wait only for a running one.
    if (bot.exitCode === null && bot.signalCode === null) {
      const exited = new Promise((r) => bot.once('exit', r));
      bot.kill('SIGTERM');
      await exited;
    }
    await connector.close();
    await sandbox.close();
  }
}
