import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { DEMO_TENANT_ID, DEMO_USERS, ROLE, type SandboxUser } from '../../sandbox/demo-tenant';
import { TableRequestStore } from '../../src/adapters/storage/request-store';
import type { ExportRequest } from '../../src/domain/export-request';
import type { Logger } from '../../src/logger';
import { BOT, person, personalMessage } from '../support/activities';
import { startBotHarness, type BotHarness } from '../support/bot-harness';
import { cardText } from '../support/cards';
import { APPROVALS_CHANNEL, approvalClick, useApprovalsChannel, walkIntake } from '../support/flows';
import {
  DECISION_VERBS,
  entitlementOf,
  FUZZ_KINDS,
  generateCase,
  type FuzzCase,
  type FuzzContext,
  type JsonObject,
} from '../support/fuzz';
import { testStorageConnectionString } from '../support/sandbox';

/**
 * Issue 11: a seeded fuzz of /api/messages. Thousands of mutated activities and invokes, all from people who
 * may not decide a request (another tenant, non-admins, unknown or missing object ids, tenant mismatches,
 * admins in the wrong conversation), against the whole bot on a real HTTP port with real requests seeded
 * first. Checks: the server keeps answering; nothing it answers (HTTP body or message to the connector) names a
 * seeded request's subject, reference, justification or requester to anyone not entitled to see it; a caller
 * entitled to the status only (decision 0007: a home-tenant member of the approvals channel clicking an
 * approval verb there) is offered no decision button; nothing says "Something went wrong"; no 5xx outside the
 * allow-list; `help` still works afterwards.
 *
 * Replay: FUZZ_SEED=<seed> FUZZ_ONLY=<index,index> npm test -- test/e2e/fuzz.e2e.test.ts (the summary names a
 * case for each kind of error the bot logged, when only that case was in flight).
 * Knobs: FUZZ_COUNT (default 10000); FUZZ_CONCURRENCY (default 16: the posts wait on storage more than on the
 * CPU, and here 16 in flight took ~50 s for 10,000 posts where 8 took ~80 s); FUZZ_REPORT (a file to write
 * every finding to, as JSON).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 1101);
const ONLY = (process.env.FUZZ_ONLY ?? '')
  .split(',')
  .filter((s) => s.trim() !== '')
  .map(Number);
const COUNT = Number(process.env.FUZZ_COUNT ?? 10_000);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 16);
/**
 * An answer later than this counts as none. A reply to an unreachable serviceUrl holds the answer for several
 * seconds while botbuilder retries the send; a request whose body restify never finishes reading holds it forever.
 */
const REQUEST_TIMEOUT_MS = 15_000;
const MIN_POSTS = 10_000;

/**
 * HTTP 5xx answers that are intended, each with its reason. Empty on purpose: no input, however malformed,
 * should make the bot answer 5xx (a 5xx makes Teams retry, and reads as an outage on dashboards).
 */
const ALLOWED_5XX: readonly {
  readonly why: string;
  readonly matches: (c: FuzzCase, status: number) => boolean;
}[] = [];

const alex = person('Alex Wilber');
const megan = person('Megan Bowen');
const patti = person('Patti Fernandez');

interface Seeded {
  readonly request: ExportRequest;
  readonly draftId: string;
  readonly requesterChatId: string;
}

interface Finding {
  readonly index: number;
  readonly what: string;
  readonly case: FuzzCase;
}

interface RunResult {
  readonly sent: number;
  readonly byKind: Record<string, number>;
  readonly byIdentity: Record<string, number>;
  readonly statuses: Record<string, number>;
  /** Status codes per raw variant (non-JSON bodies, content types, encodings, forged tokens). */
  readonly rawStatuses: Record<string, Record<string, number>>;
  /** Answer times in ms: median, 99th percentile, slowest. */
  readonly latency: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly unjudged: number;
  /** Cases whose caller may see the request's status (approval verbs in the approvals channel, home tenant). */
  readonly statusView: number;
  /** Of those, how many answers (HTTP or a message sent) named the request: the status card they may see. */
  readonly statusShown: number;
  readonly reveals: Finding[];
  /** Decision buttons offered to a caller entitled to the status view only. */
  readonly buttons: Finding[];
  /** Answers and messages saying "Something went wrong" (a failure on the bot's side). */
  readonly wentWrong: Finding[];
  readonly serverErrors: Finding[];
  readonly crashes: Finding[];
  readonly livenessFailures: string[];
  readonly connectorCalls: number;
  readonly errorLogs: Record<string, number>;
  /** A case that logged each kind of error, where it could be told. */
  readonly errorExamples: Record<string, number>;
  readonly ms: number;
}

/** Walks the intake in the requester's chat with a reference and justification to look for in answers. */
async function seedRequest(
  h: BotHarness,
  subject: SandboxUser,
  n: number,
): Promise<{ id: string; draftId: string; chat: string }> {
  const { id, draftId, conversationId } = await walkIntake(h, subject, alex, {
    reference: `FZREF-${n}-QX${n}7`,
    justification: `Kestrel secret justification number ${n}: the subject wrote to the privacy desk.`,
  });
  return { id, draftId, chat: conversationId };
}

/** What a seeded request must never show to someone not entitled. */
function secretsOf(r: ExportRequest): string[] {
  return [
    r.subject.displayName,
    r.subject.userPrincipalName,
    r.subject.mail ?? '',
    r.reference,
    r.justification,
    r.requester.name,
  ].filter((s) => s.trim().length >= 4);
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/** The decision buttons (Action.Execute and their Action.Submit fallbacks) in a card or message, by verb. */
function decisionButtons(json: string): string[] {
  const verbs = [...json.matchAll(/"verb":"([^"]*)"/g)].map((m) => m[1] ?? '');
  return [...new Set(verbs.filter((v) => DECISION_VERBS.includes(v)))];
}

const WENT_WRONG = /Something went wrong/i;

function describeFinding(f: Finding): string {
  const c = f.case;
  return [
    `#${c.index} (seed ${c.seed}) ${c.kind}/${c.identity} [${c.label}]: ${f.what}`,
    c.mutations.length > 0 ? `  mutations: ${c.mutations.join('; ')}` : '',
    `  headers: ${JSON.stringify(c.headers)}`,
    `  body: ${truncate(c.body, 700)}`,
  ]
    .filter(Boolean)
    .join('\n');
}

function count(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}

/**
 * The oracle itself (decision 0007, `requestAccess`): who may see a seeded request's status, and who must be
 * shown nothing. A home-tenant caller with an object id in the approvals channel, any thread, sees the status
 * (no buttons); everything else stays strict.
 */
describe('the fuzz oracle (entitlementOf)', () => {
  const TENANT = DEMO_TENANT_ID;
  const CHANNEL = APPROVALS_CHANNEL;
  const ctx: FuzzContext = {
    serviceUrl: 'http://127.0.0.1:1/',
    botUrl: 'http://127.0.0.1:2',
    homeTenantId: TENANT,
    approvalsChannelId: CHANNEL,
    bot: BOT,
    targets: [
      {
        requestId: 'DSR-2026-0001',
        threadId: `${CHANNEL};messageid=activity-1`,
        requesterChatId: 'a:personal-alex',
        draftId: 'draft-1',
      },
    ],
    admins: [{ id: megan.id, teamsId: 'megan', name: 'Megan Bowen' }],
    adminIds: [alex.id, megan.id],
    nonAdmins: [{ id: 'adele-id', teamsId: 'adele', name: 'Adele Vance' }],
    knownUserIds: [alex.id, megan.id, 'adele-id'],
    subjectHints: [],
  };
  interface Click {
    readonly conversationId?: string;
    readonly tenant?: string;
    /** null: no channelData tenant. */
    readonly channelDataTenant?: string | null;
    /** null: no object id. */
    readonly aad?: string | null;
    readonly verb?: string;
  }
  /** A click on a seeded request's card by Adele (no admin role), as Teams sends it. */
  const click = (over: Click = {}): JsonObject => {
    const from: JsonObject = { id: '29:adele' };
    if (over.aad !== null) from.aadObjectId = over.aad ?? 'adele-id';
    const channelData: JsonObject = {};
    if (over.channelDataTenant !== null)
      channelData.tenant = { id: over.channelDataTenant ?? over.tenant ?? TENANT };
    return {
      type: 'invoke',
      name: 'adaptiveCard/action',
      from,
      conversation: {
        id: over.conversationId ?? `${CHANNEL};messageid=activity-1`,
        tenantId: over.tenant ?? TENANT,
      },
      channelData,
      value: {
        action: {
          type: 'Action.Execute',
          verb: over.verb ?? 'approval.refresh',
          data: { requestId: 'DSR-2026-0001' },
        },
      },
    };
  };

  it.each([
    ['a refresh in a thread of the approvals channel', {}],
    ['an Approve click in the channel itself', { conversationId: CHANNEL, verb: 'approval.approve' }],
    [
      'a Retry click in another thread of the channel',
      { conversationId: `${CHANNEL};messageid=42`, verb: 'export.resubmit' },
    ],
    ['an unknown object id', { aad: '3802fe91-624e-4871-844a-d1f6d9a1aed4' }],
    ['a tenant id in capitals, the other absent', { tenant: TENANT.toUpperCase(), channelDataTenant: null }],
  ])('counts a home-tenant caller with an object id as entitled to the status view: %s', (_what, over) => {
    expect(entitlementOf(click(over), ctx)).toBe('statusView');
  });

  it.each([
    ['another tenant', { tenant: '99999999-9999-4999-8999-999999999999' }],
    ['a tenant mismatch', { channelDataTenant: '99999999-9999-4999-8999-999999999999' }],
    ['no object id', { aad: null }],
    ['a blank object id', { aad: ' ' }],
    ['a 1:1 chat', { conversationId: 'a:personal-adele' }],
    ["the requester's chat, for someone else", { conversationId: 'a:personal-alex' }],
    ['a look-alike channel id', { conversationId: `${CHANNEL}x;messageid=1` }],
    ['the channel id in other capitals', { conversationId: CHANNEL.toUpperCase() }],
    ['an intake verb in the channel', { verb: 'intake.submit' }],
    ['a verb that is not quite an approval verb', { verb: 'APPROVAL.REFRESH' }],
  ])('keeps the caller at "none" with %s', (_what, over) => {
    expect(entitlementOf(click(over), ctx)).toBe('none');
  });

  it('keeps a text message in the approvals channel at "none" (only card verbs show the status)', () => {
    const activity: JsonObject = { ...click(), type: 'message', text: 'status DSR-2026-0001' };
    delete activity.value;
    expect(entitlementOf(activity, ctx)).toBe('none');
  });

  it('counts an admin in the approvals channel, or typing an export, as entitled (not judged)', () => {
    expect(entitlementOf({ ...click(), from: { id: '29:megan', aadObjectId: megan.id } }, ctx)).toBe('full');
  });

  it('counts an admin looking requests up, or clicking a request card button, in any chat as entitled (issue 14)', () => {
    const elsewhere = { conversationId: 'a:personal-megan-elsewhere' };
    const admin = { from: { id: '29:megan', aadObjectId: megan.id } };
    expect(entitlementOf({ ...click({ ...elsewhere, verb: 'request.extend' }), ...admin }, ctx)).toBe('full');
    expect(
      entitlementOf({ ...click(elsewhere), ...admin, type: 'message', text: 'open requests' }, ctx),
    ).toBe('full');
    // Not for someone without an admin role, and not for a word that only contains a lookup.
    expect(entitlementOf(click({ ...elsewhere, verb: 'request.extend' }), ctx)).toBe('none');
    expect(
      entitlementOf({ ...click(elsewhere), ...admin, type: 'message', text: 'cancel DSR-2026-0001' }, ctx),
    ).toBe('none');
  });
});

describe('fuzz: mutated activities and invokes from people not entitled (issue 11)', () => {
  let h: BotHarness;
  const seeded: Seeded[] = [];
  let secrets: string[] = [];
  let result: RunResult;
  const errorLogs: Record<string, number> = {};
  /** Cases posted and not answered yet: an error logged while only one is in flight is that case's. */
  const inFlight = new Set<number>();
  /** One case index per kind of error log, when it could be told (replay it with FUZZ_ONLY). */
  const errorExamples: Record<string, number> = {};
  const log: Logger = {
    info: () => {},
    warn: () => {},
    // Counted by message and error name (the bot logs an error's name and redacted message, never the activity).
    error: (message, fields) => {
      const error = fields?.error as { name?: unknown; message?: unknown } | undefined;
      const why = typeof error?.message === 'string' ? error.message.replace(/\d+/g, 'N').slice(0, 70) : '';
      const kind = error ? `${message} (${String(error.name)}: ${why})` : message;
      count(errorLogs, kind);
      const [only] = inFlight;
      if (inFlight.size === 1 && only !== undefined) errorExamples[kind] ??= only;
    },
  };

  const store = () => new TableRequestStore(testStorageConnectionString(), h.tables.requests);

  beforeAll(async () => {
    h = await startBotHarness({
      log,
      env: { ADMIN_ROLE_TEMPLATE_IDS: `${ROLE.globalAdministrator},${ROLE.complianceAdministrator}` },
    });
    await useApprovalsChannel(h, megan);
    const subjects = [person('Lee Gu'), person('Nestor Wilke'), person('Diego Siciliani')];
    const made = [];
    for (const [n, subject] of subjects.entries()) made.push(await seedRequest(h, subject, n + 1));
    await h.drain();
    // The third one approved by a second admin from its card: an export in progress is a target too.
    const third = (await store().get(made[2]!.id))!;
    await h.invoke(
      approvalClick(
        h,
        'approval.approve',
        { requestId: third.id },
        megan,
        `${APPROVALS_CHANNEL};messageid=${third.approvalCard!.activityId}`,
      ),
    );
    await h.drain();
    for (const m of made) {
      const request = (await store().get(m.id))!;
      if (!request.approvalCard) throw new Error(`${m.id} has no approval card`);
      seeded.push({ request, draftId: m.draftId, requesterChatId: m.chat });
    }
    secrets = [...new Set(seeded.flatMap((s) => secretsOf(s.request)))];

    const ctx: FuzzContext = {
      serviceUrl: h.connector.serviceUrl,
      botUrl: h.url,
      homeTenantId: DEMO_TENANT_ID,
      approvalsChannelId: APPROVALS_CHANNEL,
      bot: BOT,
      targets: seeded.map((s) => ({
        requestId: s.request.id,
        threadId: `${APPROVALS_CHANNEL};messageid=${s.request.approvalCard!.activityId}`,
        requesterChatId: s.requesterChatId,
        draftId: s.draftId,
      })),
      admins: [megan, patti].map((u) => ({ id: u.id, teamsId: u.teamsId ?? u.id, name: u.displayName })),
      adminIds: [alex, megan, patti].map((u) => u.id),
      nonAdmins: ['Adele Vance', 'Isaiah Langer', 'Lynne Robbins', 'Johanna Lorenz'].map((n) => {
        const u = person(n);
        return { id: u.id, teamsId: u.teamsId ?? u.id, name: u.displayName };
      }),
      knownUserIds: DEMO_USERS.map((u) => u.id),
      subjectHints: DEMO_USERS.flatMap((u) => [u.displayName, u.userPrincipalName, u.givenName]),
    };
    result = await fuzz(ctx);
    printSummary(result);
    if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, JSON.stringify(result, null, 1));
  }, 175_000);

  afterAll(() => h?.close());

  async function fuzz(ctx: FuzzContext): Promise<RunResult> {
    const started = Date.now();
    const indices = ONLY.length > 0 ? ONLY : Array.from({ length: COUNT }, (_, i) => i);
    const byKind: Record<string, number> = Object.fromEntries(FUZZ_KINDS.map((k) => [k, 0]));
    const byIdentity: Record<string, number> = {};
    const statuses: Record<string, number> = {};
    const rawStatuses: Record<string, Record<string, number>> = {};
    const latencies: number[] = [];
    const reveals: Finding[] = [];
    const serverErrors: Finding[] = [];
    const crashes: Finding[] = [];
    const livenessFailures: string[] = [];
    const byActivityId = new Map<string, number>();
    const byConversation = new Map<string, number[]>();
    const buttons: Finding[] = [];
    const wentWrong: Finding[] = [];
    let unjudged = 0;
    let statusView = 0;
    let statusShown = 0;
    let sent = 0;
    const connectorBefore = h.connector.calls.length;

    /** Secrets in `answer` that the caller did not type themselves (echoing one's own text is no reveal). */
    const revealed = (c: FuzzCase, answer: string): string[] => {
      const lowerAnswer = answer.toLowerCase();
      const lowerBody = c.body.toLowerCase();
      return secrets.filter((s) => {
        const l = s.toLowerCase();
        return lowerAnswer.includes(l) && !lowerBody.includes(l);
      });
    };

    const liveness = async (when: string) => {
      try {
        const res = await fetch(`${h.url}/healthz`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        if (res.status !== 200) livenessFailures.push(`${when}: /healthz answered ${res.status}`);
      } catch (err) {
        livenessFailures.push(`${when}: /healthz did not answer (${(err as Error).name})`);
      }
    };

    const one = async (index: number) => {
      const c = generateCase(SEED, index, ctx);
      sent += 1;
      count(byKind, c.kind);
      count(byIdentity, c.identity);
      if (!c.judged) unjudged += 1;
      if (c.entitlement === 'statusView') statusView += 1;
      if (c.activityId) byActivityId.set(c.activityId, index);
      if (c.conversationId)
        byConversation.set(c.conversationId, [...(byConversation.get(c.conversationId) ?? []), index]);
      let status: number;
      let answer: string;
      const t0 = Date.now();
      inFlight.add(index);
      try {
        const res = await fetch(`${h.url}/api/messages`, {
          method: 'POST',
          headers: c.headers,
          body: c.body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        status = res.status;
        answer = await res.text();
      } catch (err) {
        inFlight.delete(index);
        const e = err as Error & { cause?: { code?: string } };
        const what = e.name === 'TimeoutError' ? 'TIMEOUT' : `ERR ${e.cause?.code ?? e.name}`;
        count(statuses, what);
        if (c.kind === 'raw') count((rawStatuses[c.label] ??= {}), what);
        const detail = e.name === 'TimeoutError' ? `none within ${REQUEST_TIMEOUT_MS} ms` : e.message;
        crashes.push({ index, what: `no answer: ${what} (${detail})`, case: c });
        return;
      }
      inFlight.delete(index);
      latencies.push(Date.now() - t0);
      count(statuses, String(status));
      if (c.kind === 'raw') count((rawStatuses[c.label] ??= {}), String(status));
      if (status >= 500 && !ALLOWED_5XX.some((a) => a.matches(c, status))) {
        serverErrors.push({ index, what: `HTTP ${status}: ${truncate(answer, 300)}`, case: c });
      }
      if (WENT_WRONG.test(answer)) {
        wentWrong.push({ index, what: `HTTP ${status}: ${truncate(answer, 300)}`, case: c });
      }
      if (c.entitlement === 'none') {
        const found = revealed(c, answer);
        if (found.length > 0)
          reveals.push({
            index,
            what: `HTTP ${status} answer reveals ${JSON.stringify(found)}: ${truncate(answer, 400)}`,
            case: c,
          });
      }
      if (c.entitlement === 'statusView') {
        // The approvals channel's members see the request's status; deciding needs an admin role now.
        if (revealed(c, answer).length > 0) statusShown += 1;
        const offered = decisionButtons(answer);
        if (offered.length > 0)
          buttons.push({
            index,
            what: `HTTP ${status} answer offers ${JSON.stringify(offered)}: ${truncate(answer, 400)}`,
            case: c,
          });
      }
    };

    // Bounded concurrency: CONCURRENCY posts in flight, liveness checked every 1000.
    let next = 0;
    const workers = Array.from({ length: Math.max(1, CONCURRENCY) }, async () => {
      while (next < indices.length) {
        const i = next++;
        await one(indices[i]!);
        if (i > 0 && i % 1000 === 0) await liveness(`after ${i} posts`);
      }
    });
    await Promise.all(workers);
    await liveness('at the end');

    // What the bot sent to the connector while fuzzed: each send is judged as the answer to its activity.
    const calls = h.connector.calls.slice(connectorBefore);
    for (const call of calls) {
      const replyTo = typeof call.activity.replyToId === 'string' ? call.activity.replyToId : undefined;
      const byId = replyTo !== undefined ? byActivityId.get(replyTo) : undefined;
      const candidates =
        byId !== undefined
          ? [byId]
          : call.conversationId
            ? (byConversation.get(call.conversationId) ?? [])
            : [];
      const cases = candidates.map((i) => generateCase(SEED, i, ctx));
      const text = JSON.stringify(call.activity);
      const where = `sent to the connector (${call.method} ${call.path})`;
      if (WENT_WRONG.test(text) && cases[0]) {
        wentWrong.push({ index: cases[0].index, what: `${where}: ${truncate(text, 300)}`, case: cases[0] });
      }
      if (cases.some((c) => !c.judged)) continue;
      // Which case a send answers is known by replyToId, else only by conversation: any case of it that may
      // see the status makes the status a fair answer (then only decision buttons are judged).
      const statusCase = cases.find((c) => c.entitlement === 'statusView');
      if (statusCase) {
        if (secrets.some((s) => text.toLowerCase().includes(s.toLowerCase()))) statusShown += 1;
        const offered = decisionButtons(text);
        if (offered.length > 0)
          buttons.push({
            index: statusCase.index,
            what: `${where} offers ${JSON.stringify(offered)}: ${truncate(text, 400)}`,
            case: statusCase,
          });
        continue;
      }
      const lower = text.toLowerCase();
      const found = secrets.filter(
        (s) =>
          lower.includes(s.toLowerCase()) &&
          !cases.some((c) => c.body.toLowerCase().includes(s.toLowerCase())),
      );
      if (found.length === 0) continue;
      const c = cases[0];
      const what = `${where} reveals ${JSON.stringify(found)}: ${truncate(text, 400)}`;
      if (c) reveals.push({ index: c.index, what, case: c });
      else
        reveals.push({
          index: -1,
          what: `unattributed: ${what}`,
          case: {
            seed: SEED,
            index: -1,
            kind: 'raw',
            identity: 'noTenant',
            mutations: [],
            body: '',
            headers: {},
            activityId: undefined,
            conversationId: call.conversationId,
            entitlement: 'none',
            judged: true,
            label: 'unattributed',
          },
        });
    }

    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;

    return {
      sent,
      byKind,
      byIdentity,
      statuses,
      rawStatuses,
      latency: { p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? 0 },
      unjudged,
      statusView,
      statusShown,
      reveals,
      buttons,
      wentWrong,
      serverErrors,
      crashes,
      livenessFailures,
      connectorCalls: calls.length,
      errorLogs: { ...errorLogs },
      errorExamples: { ...errorExamples },
      ms: Date.now() - started,
    };
  }

  function printSummary(r: RunResult): void {
    const group = (findings: Finding[], key: (f: Finding) => string) => {
      const by: Record<string, number> = {};
      for (const f of findings) count(by, key(f));
      return Object.entries(by)
        .sort((x, y) => y[1] - x[1])
        .map(([k, n]) => `\n      ${n} × ${k}`)
        .join('');
    };
    const lines = [
      `FUZZ seed=${SEED} posts=${r.sent} in ${(r.ms / 1000).toFixed(1)} s (concurrency ${CONCURRENCY})`,
      `  by kind: ${JSON.stringify(r.byKind)}`,
      `  by identity: ${JSON.stringify(r.byIdentity)}`,
      `  status codes: ${JSON.stringify(r.statuses)}`,
      `  status codes of raw variants: ${JSON.stringify(r.rawStatuses)}`,
      `  answer times (ms): ${JSON.stringify(r.latency)}`,
      `  not judged (could read as an entitled admin): ${r.unjudged}`,
      `  entitled to the status view only (approval verbs in the approvals channel, home tenant, object id): ${r.statusView}; answers that showed a request's status: ${r.statusShown}`,
      `  connector calls during fuzz: ${r.connectorCalls}`,
      `  reveals: ${r.reveals.length}${group(r.reveals, (f) => `${f.case.identity}: ${f.case.label}`)}`,
      `  decision buttons offered to the status view: ${r.buttons.length}${group(r.buttons, (f) => `${f.case.identity}: ${f.case.label}`)}`,
      `  "Something went wrong": ${r.wentWrong.length}${group(r.wentWrong, (f) => `${f.case.identity}: ${f.case.label}`)}`,
      `  5xx (not allow-listed): ${r.serverErrors.length}${group(r.serverErrors, (f) => `${f.what.slice(0, 8)} ${f.case.label.replace(/ verb=.*$/, '')}`)}`,
      `  crashes (no answer): ${r.crashes.length}; liveness failures: ${r.livenessFailures.length}`,
      `  bot error logs (${Object.keys(r.errorLogs).length} kinds, the 15 most frequent):${Object.entries(
        r.errorLogs,
      )
        .sort((x, y) => y[1] - x[1])
        .slice(0, 15)
        .map(
          ([k, n]) =>
            `\n      ${n} × ${k}${r.errorExamples[k] !== undefined ? ` (e.g. #${r.errorExamples[k]})` : ''}`,
        )
        .join('')}`,
    ];
    const samples = (title: string, findings: Finding[]) => {
      if (findings.length === 0) return;
      lines.push(`${title} (first ${Math.min(8, findings.length)} of ${findings.length}):`);
      for (const f of findings.slice(0, 8)) lines.push(describeFinding(f));
    };
    samples('REVEALS', r.reveals);
    samples('DECISION BUTTONS', r.buttons);
    samples('SOMETHING WENT WRONG', r.wentWrong);
    samples('5xx', r.serverErrors);
    samples('CRASHES', r.crashes);
    console.log(lines.join('\n'));
  }

  it(`posts at least ${MIN_POSTS} fuzzed activities, every one judged`, () => {
    if (ONLY.length === 0) expect(result.sent).toBeGreaterThanOrEqual(MIN_POSTS);
    // The generator only makes identities that are never entitled; none may slip through unjudged.
    expect(result.unjudged).toBe(0);
  });

  it('keeps answering: no request without an answer, /healthz stays up', () => {
    expect(result.crashes.map(describeFinding)).toEqual([]);
    expect(result.livenessFailures).toEqual([]);
  });

  it('reveals no seeded request to anyone not entitled (HTTP answers and messages sent)', () => {
    expect(result.reveals.map(describeFinding)).toEqual([]);
  });

  it('offers no decision button to a caller entitled to the status view only', () => {
    expect(result.buttons.map(describeFinding)).toEqual([]);
  });

  // An unknown object id clicking an approval button got "Something went wrong" when Graph's
  // checkMemberObjects answered 404 (now: no roles); a failed turn says it too.
  it('never answers "Something went wrong" (regression: Graph 404 for an unknown object id)', () => {
    expect(result.wentWrong.map(describeFinding)).toEqual([]);
  });

  it('answers no 5xx outside the allow-list', () => {
    expect(result.serverErrors.map(describeFinding)).toEqual([]);
  });

  it('leaves the seeded requests as they were, except by their own entitled actions', async () => {
    for (const s of seeded) {
      const now = (await store().get(s.request.id))!;
      expect({ id: now.id, status: now.status, decision: now.decision }).toEqual({
        id: s.request.id,
        status: s.request.status,
        decision: s.request.decision,
      });
    }
  });

  it('still answers "help" from a known user afterwards', async () => {
    const chat = `a:personal-${alex.id}-${randomUUID()}`;
    const res = await h.post(
      personalMessage('help', { serviceUrl: h.connector.serviceUrl, from: alex, conversationId: chat }),
    );
    expect(res.status).toBe(200);
    const [reply] = await h.connector.waitForSent(chat);
    expect(reply?.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(reply?.attachments?.[0]?.content)).toMatch(/export data for/);
  });
});
