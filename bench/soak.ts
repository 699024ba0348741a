import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEMO_TENANT, DEMO_USERS, type SandboxUser } from '../sandbox/demo-tenant';
import { startLocalConnector, type ConnectorCall } from '../sandbox/local-connector';
import { botEnvFor, startTenantSandbox } from '../sandbox/tenant-sandbox';
import { isoDate } from '../src/domain/policies';
import { click, startSoakBot } from './soak-client';
import { memoryTrend, type MemorySlopes, type SoakPoint, type SoakSample } from './soak-protocol';

const HOUR = 3600_000;
const MINUTE = 60_000;
const CHANNEL = '19:soakapprovals000000000000000000@thread.tacv2';
const [ALEX, MEGAN] = [DEMO_USERS[0]!, DEMO_USERS[1]!];
/** People the requests are about: enough that no two open requests share one (no duplicate warnings). */
const SUBJECTS: readonly SandboxUser[] = Array.from({ length: 200 }, (_, i) => ({
  ...DEMO_USERS[2]!,
  id: `c0a70500-0000-4000-8000-0000000${String(30_000 + i)}`,
  displayName: `Soak Subject ${i}`,
  userPrincipalName: `soaksubject${i}@contoso.com`,
}));

/** What the soak runs: simulated hours, arrivals per simulated hour, and where state and exports live. */
export interface SoakOptions {
  readonly storage: string;
  readonly exportStorage?: string;
  readonly hours: number;
  readonly requestsPerHour: number;
  readonly short: boolean;
  readonly progress: (line: string) => void;
  /** Simulated hours left out of the slopes (default 4). */
  readonly warmupHours?: number;
  /** Real seconds the simulated hours take (default 240, short 40): sets the clock's speed. */
  readonly realSeconds?: number;
}

/** The soak's figures: the hourly samples, the slopes after warm-up, and the requests carried through. */
export interface SoakResult extends MemorySlopes {
  readonly samples: readonly SoakPoint[];
  readonly warmupHours: number;
  readonly requests: number;
  /** Completion notices: one in each request's thread and one to its requester. */
  readonly notices: number;
  readonly deliveries: number;
  /** Clicks repeated because the bot answered "try again" (its words in `problems`). */
  readonly repeatedClicks: number;
  readonly realSeconds: number;
  readonly speed: number; // simulated time ÷ real time
  readonly gc: boolean;
  readonly botWarnings: number;
  readonly botErrors: number;
  readonly problems: readonly string[];
}

type Stage = 'asked' | 'pending' | 'approving' | 'exporting' | 'complete' | 'delivering' | 'delivered';
interface Tracked {
  readonly id: string;
  readonly approver: SandboxUser;
  stage: Stage;
  /** When (simulated) the stage began: the card posted, the export noticed, the button clicked. */
  at: number;
  /** How often each of {@link NOTICES} came. */
  readonly seen: number[];
}
/** The notices followed: approved (to the requester), completed (thread, requester), delivered (thread). */
const NOTICES: readonly RegExp[] = [
  /approved your request (DSR-\d+-\d+) \(/,
  /^The export for (DSR-\d+-\d+) \(/,
  /^The export for your request (DSR-\d+-\d+) \(/,
  /recorded the delivery of (DSR-\d+-\d+) to the data subject/,
];

const delivery = (now: number) => ({ deliveryMethod: 'secureLink', deliveryDate: isoDate(new Date(now)) });

/**
 * The soak: a privacy team's `hours` on a compressed clock. Requests arrive through the bot's own
 * intake (message, confirmation card), a second admin approves each on its card, the sandbox exports it in
 * two simulated hours, the completion notices go out through the local connector, and an admin records the
 * delivery. The bot runs as in production (its job worker on; see soak-bot.ts) in a child process (the compiled
 * bench/soak-bot.ts, `--expose-gc`), so that its RSS is the bot's alone: the sandbox's and connector's logs,
 * kept by design, stay in this process. Four times a simulated hour the bot collects its garbage and reports
 * RSS, heap and handles; each hour's point is the least of its readings, and the slopes are least squares
 * after the warm-up. A request lost, or a notice sent twice, fails the soak.
 */
export async function benchSoak(opts: SoakOptions): Promise<SoakResult> {
  const started = Date.now();
  const warmupHours = opts.warmupHours ?? 4;
  const speed = (opts.hours * HOUR) / ((opts.realSeconds ?? (opts.short ? 40 : 240)) * 1000);
  const t0 = Date.UTC(2026, 10, 30, 6, 0, 0);
  const simNow = () => t0 + (Date.now() - started) * speed;
  const sandbox = await startTenantSandbox({
    tenant: { ...DEMO_TENANT, users: [...DEMO_TENANT.users, ...SUBJECTS] },
    tls: {
      cert: readFileSync(process.env.SANDBOX_TLS_CERT!, 'utf8'),
      key: readFileSync(process.env.SANDBOX_TLS_KEY!, 'utf8'),
    },
    now: () => new Date(simNow()),
    retryAfterSeconds: 60,
    exportDurationMs: 2 * HOUR,
  });
  const stops: (() => Promise<void>)[] = [() => sandbox.close()];
  try {
    const connector = await startLocalConnector();
    stops.push(() => connector.close());
    const prefix = `s${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const bot = await startSoakBot({
      ...process.env,
      ...botEnvFor(sandbox),
      AZURE_STORAGE_CONNECTION_STRING: opts.storage,
      ...(opts.exportStorage ? { EXPORT_STORAGE_CONNECTION_STRING: opts.exportStorage } : {}),
      STORAGE_PREFIX: prefix,
      APPROVALS_CHANNEL_ID: CHANNEL,
      WORKER_CONCURRENCY: '32',
      SOAK_START_MS: String(t0),
      SOAK_REAL_START_MS: String(started),
      SOAK_SPEED: String(speed),
    });
    stops.push(() => bot.stop());
    const problems: string[] = [];
    const say = (from: SandboxUser, conversationId: string, fields: object) =>
      bot.say(connector.serviceUrl, from, conversationId, fields);
    const tracked = new Map<string, Tracked>();
    const total = Math.round(opts.hours * opts.requestsPerHour);
    let asked = 0;
    let repeatedClicks = 0;
    const duplicates: string[] = [];
    const firstSeen = new Map<string, number>();
    /** Approval cards posted in the channel, and when (they may come before the intake's answer). */
    const cards = new Map<string, number>();
    /** Confirmation cards' drafts by chat, read before an intake looks for its own. */
    const drafts = new Map<string, string>();
    /** Intakes and clicks under way: the clock does not wait for a slow answer, and a failed one fails the soak. */
    const underWay = new Set<Promise<void>>();
    const failures: unknown[] = [];
    const start = (p: Promise<void>) => {
      const tracking: Promise<void> = p
        .catch((err: unknown) => void failures.push(err))
        .finally(() => underWay.delete(tracking));
      underWay.add(tracking);
    };

    /** One request through the intake: the ask in a new 1:1 chat, the confirmation card, its submission. */
    async function intake(n: number): Promise<void> {
      const [requester, approver] = n % 2 === 0 ? [ALEX, MEGAN] : [MEGAN, ALEX];
      const chat = `a:soak-${prefix}-${n}`;
      const upn = SUBJECTS[n % SUBJECTS.length]!.userPrincipalName;
      await say(requester, chat, { type: 'message', text: `export data for ${upn}` });
      const reply = JSON.stringify(connector.sentTo(chat));
      const draftId = drafts.get(chat) ?? /"draftId":"([^"]+)"/.exec(reply)?.[1];
      drafts.delete(chat);
      if (!draftId) throw new Error(`No confirmation card for request ${n}: ${reply.slice(0, 500)}`);
      const form = {
        draftId,
        regime: 'GDPR',
        receivedDate: isoDate(new Date(simNow())),
        reference: `SOAK-${n}`,
        justification: 'Subject access request by email.',
        identityMethod: 'corporateSignIn',
      };
      const answer = await say(requester, chat, click('intake.submit', form));
      const id = /Request (DSR-\d+-\d+) is waiting for approval/.exec(answer)?.[1];
      if (!id || tracked.has(id)) throw new Error(`Request ${n} was not created: ${answer.slice(0, 500)}`);
      tracked.set(id, { id, approver, stage: 'asked', at: Infinity, seen: NOTICES.map(() => 0) });
    }

    /** What the bot sent since the last look (then forgotten): cards posted, and notices, each at most once. */
    function tally(calls: readonly ConnectorCall[], now: number): void {
      for (const c of calls) {
        if (c.method !== 'POST') continue;
        const text = c.activity.text ?? '';
        const card =
          c.conversationId === CHANNEL && /Data export request (DSR-\d+-\d+)/.exec(JSON.stringify(c));
        if (card && !cards.has(card[1]!)) cards.set(card[1]!, now);
        const draft =
          c.conversationId?.startsWith('a:soak-') && /"draftId":"([^"]+)"/.exec(JSON.stringify(c));
        if (draft) drafts.set(c.conversationId!, draft[1]!);
        NOTICES.forEach((re, k) => {
          const id = re.exec(text)?.[1];
          const r = id === undefined ? undefined : tracked.get(id);
          if (id === undefined) return;
          if (!r) throw new Error(`A notice about an unknown request ${id}: ${text.slice(0, 200)}`);
          const key = `${id}/${k}`;
          if (++r.seen[k]! > 1)
            duplicates.push(`${text.slice(0, 60)}… +${Date.now() - firstSeen.get(key)!} ms`);
          firstSeen.set(key, firstSeen.get(key) ?? Date.now());
          if (r.seen[k]! > 1) return;
          if (k === 0) Object.assign(r, { stage: 'exporting', at: now });
          else if (k < 3 && r.seen[1]! > 0 && r.seen[2]! > 0)
            Object.assign(r, { stage: 'complete', at: now });
          else if (k === 3) r.stage = 'delivered';
        });
      }
      sandbox.requests.splice(0);
    }

    /**
     * The admins act ten simulated minutes after the bot asks them (approve a posted card, record a delivery),
     * and click again a minute later when the bot answers "try again" (Graph too slow to confirm their role).
     */
    function act(now: number): void {
      for (const r of tracked.values()) start(actOn(r));
      async function actOn(r: Tracked): Promise<void> {
        if (r.stage === 'asked' && cards.has(r.id))
          Object.assign(r, { stage: 'pending', at: cards.get(r.id) });
        if (now < r.at + 10 * MINUTE || (r.stage !== 'pending' && r.stage !== 'complete')) return;
        const before = r.stage;
        const data = { requestId: r.id };
        const thread = `${CHANNEL};messageid=1`;
        r.stage = before === 'pending' ? 'approving' : 'delivering';
        const answer = await (before === 'pending'
          ? say(r.approver, thread, click('approval.approve', data))
          : say(r.approver, thread, click('request.deliver', { ...data, ...delivery(now) })));
        if (!/try again/i.test(answer)) return;
        repeatedClicks++;
        const why = /"text":"([^"]*try again[^"]*)"/i.exec(answer)?.[1] ?? answer.slice(0, 200);
        if (!problems.includes(why) && problems.length < 10) problems.push(why);
        if (r.stage !== 'approving' && r.stage !== 'delivering') return;
        Object.assign(r, { stage: before, at: now - 9 * MINUTE });
      }
    }

    const readings: (SoakSample & { hour: number })[] = [];
    const count = (stage: Stage) => [...tracked.values()].filter((r) => r.stage === stage).length;
    // Long after the last request should have been delivered (two-hour exports, polls at most an hour apart, and
    // a bot that may lag its fast clock on a busy machine).
    const deadline = t0 + (opts.hours + 12) * HOUR;
    const quarter = HOUR / 4;
    for (;;) {
      const now = simNow();
      tally(connector.calls.splice(0), now);
      if (!bot.running()) throw new Error(`The soak bot exited:\n${bot.output()}`);
      if (failures.length > 0) throw failures[0];
      while (asked < total && t0 + ((asked + 0.5) * HOUR) / opts.requestsPerHour <= now)
        start(intake(asked++));
      act(now);
      if (readings.length < opts.hours * 4 && now >= t0 + (readings.length + 1) * quarter) {
        const hour = Math.ceil(((readings.length + 1) * quarter) / HOUR);
        const r = (await bot.ask({ type: 'sample' })).sample!;
        readings.push({ ...r, hour });
        if (readings.length % 4 === 0)
          opts.progress(
            `  hour ${hour}: ${tracked.size} requests, ${count('delivered')} delivered; bot RSS ${r.rssMB.toFixed(1)} MB, heap ${r.heapUsedMB.toFixed(1)} MB, ${r.handles} handles, CPU ${r.cpuSeconds.toFixed(0)} s; ${((Date.now() - started) / 1000).toFixed(0)} s`,
          );
      }
      if (readings.length === opts.hours * 4 && asked === total && count('delivered') === total) {
        await Promise.all(underWay);
        break;
      }
      if (now > deadline) {
        const lost = [...tracked.values()].filter((r) => r.stage !== 'delivered');
        const which = lost.slice(0, 5).map((r) => `${r.id} ${r.stage} ${r.seen.join('/')}`);
        throw new Error(
          `${lost.length + total - tracked.size} of ${total} requests did not finish by ${opts.hours + 12} simulated hours: ${which.join(', ')}. ${problems.join(' | ')} ${readings.at(-1)?.lastProblems.join(' | ')}`,
        );
      }
      // The clock runs on its own: look again shortly.
      await new Promise((r) => setTimeout(r, 50));
    }
    const { samples, slopes } = memoryTrend(readings, opts.hours, warmupHours);
    const end = (await bot.ask({ type: 'sample' })).sample!;
    const result: SoakResult = {
      samples,
      warmupHours,
      ...slopes,
      requests: tracked.size,
      notices: [...tracked.values()].reduce((n, r) => n + r.seen[1]! + r.seen[2]!, 0),
      deliveries: count('delivered'),
      repeatedClicks,
      realSeconds: (Date.now() - started) / 1000,
      speed,
      gc: end.gc,
      botWarnings: end.warnings,
      botErrors: end.errors,
      problems: [...problems, ...end.lastProblems],
    };
    // The memory figures stand; a notice sent twice still fails the step (after they are shown).
    if (duplicates.length > 0) {
      opts.progress(soakLine(result));
      throw new Error(
        `${duplicates.length} notices were sent twice (time after the first): ${duplicates.join('; ')}`,
      );
    }
    return result;
  } finally {
    for (const stop of stops.reverse())
      await stop().catch((err: unknown) => opts.progress(`  soak: could not stop a part: ${String(err)}`));
  }
}

/** The soak in one line: the slopes after warm-up and what went through. */
export function soakLine(r: SoakResult): string {
  const sign = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(2);
  return `soak: bot RSS ${sign(r.slopeMBPerHour)} MB per simulated hour after a ${r.warmupHours} h warm-up (heap ${sign(r.heapSlopeMBPerHour)} MB/h, handles ${sign(r.handlesSlopePerHour)}/h; bot in its own process, ${r.gc ? 'GC forced before each reading' : 'GC not forced'}); ${r.requests} requests, ${r.notices} completion notices, ${r.deliveries} deliveries, ${r.repeatedClicks} repeated clicks; ${r.realSeconds.toFixed(0)} s at ${r.speed.toFixed(0)}× speed`;
}
