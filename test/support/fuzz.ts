/**
 * A seeded generator of hostile and malformed Teams activities for the fuzz test. Every case is a pure
 * function of (seed, index, context): a failure prints its seed and index, and `generateCase` with the same
 * three gives the same body again.
 *
 * Every activity comes from an identity that is never entitled to decide or to see a request outside the
 * approvals channel: another tenant, a non-admin, an unknown or missing Entra object id, a conversation/channelData
 * tenant mismatch, no tenant, or an admin acting from a conversation that is neither the approvals channel nor the
 * requester's chat. A home-tenant non-admin with an object id who clicks an approval verb in the approvals channel
 * is entitled to the request's status (decision 0007: the channel's members see the shared card anyway), without
 * decision buttons. An admin of the home tenant may look requests up and act on their legal clock in any chat
 * (issue 14: `status`, the lists, the request card's buttons): such cases are entitled in full and not judged.
 * `entitlementOf` re-checks the final body independently, so a mutation cannot give a case more than it had
 * unnoticed.
 */

/** mulberry32: a small, fast, seedable PRNG (32-bit state). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes the run's seed and a case index into the seed of that case's own generator. */
export function caseSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }
  /** Picks by weight: `[[3, 'a'], [1, 'b']]` gives 'a' three times as often as 'b'. */
  weighted<T>(entries: readonly (readonly [number, T])[]): T {
    const total = entries.reduce((s, [w]) => s + w, 0);
    let r = this.next() * total;
    for (const [w, v] of entries) {
      r -= w;
      if (r < 0) return v;
    }
    return entries[entries.length - 1]![1];
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
  guid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-8${this.hex(3)}-${this.hex(12)}`;
  }
}

/** A person the generator can act as (a demo-tenant user). */
export interface FuzzUser {
  readonly id: string;
  readonly teamsId: string;
  readonly name: string;
}

/** A real request seeded before fuzzing: what an attacker would aim at. */
export interface FuzzTarget {
  readonly requestId: string;
  /** The approval card's thread: `{channel};messageid={activityId}`. */
  readonly threadId: string;
  /** The requester's own chat, where the request was made. */
  readonly requesterChatId: string;
  /** The intake draft the request was submitted from. */
  readonly draftId: string;
}

export interface FuzzContext {
  readonly serviceUrl: string;
  /** The bot's own base URL (as a hostile serviceUrl: the bot would send its replies to itself). */
  readonly botUrl: string;
  readonly homeTenantId: string;
  readonly approvalsChannelId: string;
  readonly bot: { readonly id: string; readonly name: string };
  readonly targets: readonly FuzzTarget[];
  /** Admins who may decide requests, used only from conversations where they are not entitled. */
  readonly admins: readonly FuzzUser[];
  /** Object ids of everybody who holds an allowed role (for the entitlement re-check). */
  readonly adminIds: readonly string[];
  /** People without an allowed role now (plain users, PIM-eligible only). */
  readonly nonAdmins: readonly FuzzUser[];
  /** Every demo user's object id (forged into card data). */
  readonly knownUserIds: readonly string[];
  /** Text that may be typed as a subject (names, sign-in names); echoing the caller's own text is no reveal. */
  readonly subjectHints: readonly string[];
  /** The largest string the generator makes (bytes of UTF-8, roughly). */
  readonly hugeBytes?: number;
  /** Nesting depth of the deeply nested values. */
  readonly deepNesting?: number;
}

export const FUZZ_KINDS = [
  'approvalInvoke',
  'intakeInvoke',
  'otherInvoke',
  'cardSubmit',
  'textMessage',
  'otherActivity',
  'raw',
] as const;
export type FuzzKind = (typeof FUZZ_KINDS)[number];

export const IDENTITY_KINDS = [
  'foreignTenant',
  'nonAdmin',
  'unknownUser',
  'noObjectId',
  'tenantMismatch',
  'noTenant',
  'adminWrongConversation',
] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export interface FuzzCase {
  readonly seed: number;
  readonly index: number;
  readonly kind: FuzzKind;
  readonly identity: IdentityKind;
  /** Structural mutations applied after generation (paths and what was done). */
  readonly mutations: readonly string[];
  /** Exactly what is POSTed to /api/messages. */
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The activity id and conversation id, when the body carries them as strings (to attribute replies). */
  readonly activityId: string | undefined;
  readonly conversationId: string | undefined;
  /** What the caller may see (see {@link entitlementOf}); never `full` for a generated case. */
  readonly entitlement: Entitlement;
  /** False when the body could be read as coming from an entitled admin: then its answers are not judged. */
  readonly judged: boolean;
  /** What the case is about, for grouping findings: the verb, invoke name, activity type or raw variant. */
  readonly label: string;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const APPROVAL_VERBS = [
  'approval.approve',
  'approval.reject',
  'approval.cancel',
  'approval.refresh',
  'export.resubmit',
];
/** Issue 14: the request card's lifecycle buttons and the lookups (admins, any chat). */
const REQUEST_VERBS = [
  'request.identity',
  'request.extend',
  'request.deliver',
  'request.close',
  'request.confirmClose',
  'request.keepOpen',
  'request.show',
  'requests.page',
];
const INTAKE_VERBS = ['intake.find', 'intake.pick', 'intake.duplicate', 'intake.submit', 'intake.cancel'];
const ODD_VERBS = [
  '',
  'approval',
  'approval.',
  'APPROVAL.REFRESH',
  'approval.refresh ',
  ' approval.approve',
  'approval.approve\u0000',
  'approval.refresh/../approval.approve',
  'export.resubmit.all',
  'status',
  'list',
  'help',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'ａｐｐｒｏｖａｌ.ｒｅｆｒｅｓｈ',
  'approval\u200b.refresh',
];
const OTHER_INVOKE_NAMES = [
  'composeExtension/query',
  'composeExtension/queryLink',
  'composeExtension/fetchTask',
  'composeExtension/submitAction',
  'composeExtension/selectItem',
  'composeExtension/setting',
  'task/fetch',
  'task/submit',
  'signin/verifyState',
  'signin/tokenExchange',
  'fileConsent/invoke',
  'actionableMessage/executeAction',
  'config/fetch',
  'config/submit',
  'tab/fetch',
  'tab/submit',
  'message/submitAction',
  'message/fetchTask',
  'healthCheck',
  'handoff/action',
  'application/search',
  'adaptiveCard/Action',
  'ADAPTIVECARD/ACTION',
  'adaptiveCard/action ',
  'adaptiveCard/refresh',
  'adaptivecard/action',
  '',
  'invoke',
  '../adaptiveCard/action',
];
const OTHER_ACTIVITY_TYPES = [
  'conversationUpdate',
  'installationUpdate',
  'messageReaction',
  'messageUpdate',
  'messageDelete',
  'event',
  'typing',
  'endOfConversation',
  'trace',
  'handoff',
  'contactRelationUpdate',
  'deleteUserData',
  'suggestion',
  'command',
  'commandResult',
  'invokeResponse',
  'Message',
  'INVOKE',
  'message ',
  ' ',
  '\u0000',
  'x'.repeat(300),
];
/** The lookups (issue 14): admins may ask them anywhere, so only others are fuzzed with them. */
const TEXTS_LOOKUP = ['status', 'list', 'list all', 'show', 'open requests', 'my requests'];
const TEXTS_ANYONE = [
  'help',
  '?',
  'commands',
  'what can you do?',
  'whoami',
  'who am i?',
  'cancel',
  'approve',
  'due',
  'hi',
  '',
  ' ',
  '\n\n\t',
  '<at>DSR Export Bot</at>',
  '<at>DSR Export Bot</at> help',
  '<at></at><at>',
  '<script>alert(1)</script>',
  '{{$root.request.subject.displayName}}',
  '${$root.request.justification}',
  '${request.subject.userPrincipalName}',
  '%s%s%s%n',
  '\\u0000\\',
  'SELECT * FROM requests',
  "' OR '1'='1",
  '../../../../etc/passwd',
  '\u202eevil',
  '🙂'.repeat(40),
  'Z̴̛̖a̵l̷g̸o̴',
];
/** Text only non-admins and other tenants type: an admin typing it would be a legitimate intake. */
const TEXTS_NEVER_ADMIN = [
  'export data',
  'export data for',
  'export data for ',
  'gdpr export data for adelev@contoso.com',
  'ccpa export data for Diego',
  'dsr export data for *',
  'export data for @',
  'export data for %',
  'export data for a',
  'use this channel for approvals',
  'please use this channel for approvals',
];
const LOCALES = ['en-US', 'de-DE', '', 'xx', 'zh-Hans-CN', '\u0000', 'en-US;q=0.9'];

/** A string of random code points, including surrogates, controls, RTL marks and emoji. */
function unicodeJunk(rng: Rng, length: number): string {
  const ranges: readonly (readonly [number, number])[] = [
    [0x00, 0x1f],
    [0x20, 0x7e],
    [0x80, 0x2ff],
    [0x200b, 0x202e],
    [0xd800, 0xdfff], // lone surrogates
    [0xfe00, 0xfe0f],
    [0xfff0, 0xffff],
    [0x1f300, 0x1f6ff],
    [0x10000, 0x10ffff],
  ];
  let s = '';
  for (let i = 0; i < length; i++) {
    const [lo, hi] = rng.pick(ranges);
    s += String.fromCodePoint(lo + rng.int(hi - lo + 1));
  }
  return s;
}

/** A huge string (up to `max` bytes): repetitive or junk, sometimes with a request-looking pattern. */
function hugeString(rng: Rng, max: number): string {
  const size = rng.chance(0.5) ? max - rng.int(max / 10) : 1024 * (1 + rng.int(Math.max(1, max / 1024)));
  const unit = rng.pick(['A', 'é', '🙂', 'DSR-2026-0001 ', '<at>x</at>', '\\"', ' ', unicodeJunk(rng, 8)]);
  const unitBytes = Math.max(1, Buffer.byteLength(unit));
  return unit.repeat(Math.max(1, Math.floor(size / unitBytes)));
}

const DEEP_MARK = '__FUZZ_DEEP__';

/** A value of the wrong type for any field: the heart of the structural fuzz. */
function wrongValue(rng: Rng, ctx: FuzzContext): Json {
  const hugeBytes = ctx.hugeBytes ?? 900 * 1024;
  return rng.weighted<() => Json>([
    [3, () => null],
    [2, () => rng.chance(0.5)],
    [3, () => rng.pick([0, -1, 1, 1.5, 2 ** 53 + 1, -(2 ** 31), 1e308, -1e-308, Number.MAX_SAFE_INTEGER])],
    [2, () => []],
    [2, () => ({})],
    [2, () => [rng.int(10), 'x', null, { a: [] }]],
    [2, () => ''],
    [2, () => ' '.repeat(1 + rng.int(5))],
    [3, () => unicodeJunk(rng, 1 + rng.int(64))],
    [1, () => '\u0000'],
    [
      1,
      () => JSON.parse('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"admin":true}}}') as Json,
    ],
    [1, () => ({ toString: 'x', valueOf: 1, hasOwnProperty: null, length: -1 })],
    [1, () => ['19:approvals', 'DSR-2026-0001']],
    [1, () => 'DSR-2026-0001'],
    [1, () => rng.guid()],
    [1, () => 'null'],
    [1, () => 'undefined'],
    [1, () => 'NaN'],
    [1, () => '[object Object]'],
    [0.4, () => hugeString(rng, hugeBytes)],
    [0.3, () => DEEP_MARK],
  ])();
}

/** Request ids: the real ones (sequential ids are guessable) and guesses around them. */
function requestIdFor(rng: Rng, ctx: FuzzContext): Json {
  const real = ctx.targets.map((t) => t.requestId);
  const year = /DSR-(\d{4})-/.exec(real[0] ?? '')?.[1] ?? '2026';
  return rng.weighted<() => Json>([
    [10, () => rng.pick(real)],
    [3, () => `DSR-${year}-${String(1 + rng.int(12)).padStart(4, '0')}`],
    [1, () => rng.pick(real).toLowerCase()],
    [1, () => ` ${rng.pick(real)} `],
    [1, () => `${rng.pick(real)}\u0000`],
    [1, () => `${rng.pick(real)}' or '1'='1`],
    [1, () => `DSR-${Number(year) - 1}-0001`],
    [1, () => `DSR-${year}-9999`],
    [1, () => `DSR-${year}-*`],
    [1, () => "PartitionKey eq 'requests'"],
    [1, () => [rng.pick(real)]],
    [1, () => ({ id: rng.pick(real) })],
    [1, () => Number(rng.pick(real).slice(-4))],
    [1, () => null],
    [1, () => ''],
    [1, () => unicodeJunk(rng, 12)],
  ])();
}

function draftIdFor(rng: Rng, ctx: FuzzContext): Json {
  return rng.weighted<() => Json>([
    [6, () => rng.pick(ctx.targets).draftId],
    [3, () => rng.guid()],
    [1, () => rng.pick(ctx.targets).draftId.toUpperCase()],
    [1, () => rng.pick(ctx.targets).requestId],
    [1, () => '00000000-0000-0000-0000-000000000000'],
    [1, () => '*'],
    [1, () => ''],
    [1, () => [rng.pick(ctx.targets).draftId]],
    [1, () => null],
  ])();
}

/** Fields a forger puts in card data, hoping the bot believes them. */
function forgedFields(rng: Rng, ctx: FuzzContext): JsonObject {
  const anyone = () => rng.pick(ctx.knownUserIds);
  const candidates: readonly (readonly [string, () => Json])[] = [
    ['by', () => rng.pick([anyone(), { aadObjectId: anyone(), name: 'Megan Bowen' }])],
    ['approver', anyone],
    ['approvedBy', anyone],
    ['requester', anyone],
    ['aadObjectId', anyone],
    ['from', () => ({ aadObjectId: anyone(), tenantId: ctx.homeTenantId })],
    ['tenantId', () => ctx.homeTenantId],
    ['tenant', () => ({ id: ctx.homeTenantId })],
    ['conversationId', () => rng.pick(ctx.targets).threadId],
    ['conversation', () => ({ id: rng.pick(ctx.targets).threadId, tenantId: ctx.homeTenantId })],
    ['role', () => 'Global Administrator'],
    ['roles', () => ['62e90394-69f5-4237-9190-012177145e10']],
    ['isAdmin', () => true],
    ['status', () => rng.pick(['approved', 'pendingApproval', 'completed', 'failed'])],
    ['view', () => rng.pick(['decider', 'requester', 'viewer'])],
    ['verb', () => rng.pick([...APPROVAL_VERBS, ...INTAKE_VERBS])],
    ['requestId', () => requestIdFor(rng, ctx)],
    ['draftId', () => draftIdFor(rng, ctx)],
    ['rejectReason', () => rng.pick(['', ' ', 'no', unicodeJunk(rng, 30)])],
    ['choice', () => rng.pick<Json>([0, -1, 99, '0', '1e9', null, [], 0.5])],
    ['regime', () => rng.pick<Json>(['GDPR', 'CCPA', 'other', 'gdpr', '', 7])],
    ['receivedDate', () => rng.pick<Json>(['2026-02-30', '9999-12-31', '0000-00-00', 'yesterday', '', 1])],
    ['reference', () => unicodeJunk(rng, 10)],
    ['justification', () => unicodeJunk(rng, 20)],
    ['trigger', () => 'automatic'],
    ['userIds', () => [anyone(), anyone()]],
    ['__proto__', () => ({ isAdmin: true })],
    ['constructor', () => ({ prototype: { isAdmin: true } })],
  ];
  const out: JsonObject = {};
  const n = rng.int(5);
  for (let i = 0; i < n; i++) {
    const [key, make] = rng.pick(candidates);
    put(out, key, make());
  }
  return out;
}

interface Identity {
  readonly kind: IdentityKind;
  readonly from: JsonObject | undefined;
  /** Tenant ids as they go into conversation.tenantId and channelData.tenant.id (undefined: absent). */
  readonly conversationTenant: string | undefined;
  readonly channelDataTenant: string | undefined;
  /** May act in the approvals channel or the requester's chat (never an admin). */
  readonly anywhere: boolean;
  readonly admin: boolean;
}

function fromOf(u: FuzzUser, extra: JsonObject = {}): JsonObject {
  return { id: `29:${u.teamsId}`, name: u.name, aadObjectId: u.id, ...extra };
}

function identityFor(rng: Rng, ctx: FuzzContext): Identity {
  const home = ctx.homeTenantId;
  const foreign = () =>
    rng.pick([rng.guid(), '99999999-9999-4999-8999-999999999999', 'common', 'organizations']);
  const homeVariant = () => rng.pick([home, home.toUpperCase()]);
  const kind = rng.weighted<IdentityKind>([
    [4, 'nonAdmin'],
    [3, 'foreignTenant'],
    [2, 'unknownUser'],
    [2, 'noObjectId'],
    [3, 'tenantMismatch'],
    [1, 'noTenant'],
    [4, 'adminWrongConversation'],
  ]);
  switch (kind) {
    case 'nonAdmin': {
      const t = homeVariant();
      return {
        kind,
        from: fromOf(rng.pick(ctx.nonAdmins)),
        conversationTenant: t,
        channelDataTenant: t,
        anywhere: true,
        admin: false,
      };
    }
    case 'foreignTenant': {
      const t = foreign();
      // Sometimes the other tenant's user carries a home admin's object id (object ids are not secret).
      const user = rng.chance(0.5) ? rng.pick(ctx.admins) : undefined;
      return {
        kind,
        from: user
          ? fromOf(user)
          : { id: `29:${rng.hex(20)}`, name: 'Mallory (Fabrikam)', aadObjectId: rng.guid() },
        conversationTenant: t,
        channelDataTenant: rng.chance(0.8) ? t : undefined,
        anywhere: true,
        admin: false,
      };
    }
    case 'unknownUser':
      return {
        kind,
        from: { id: `29:${rng.hex(20)}`, name: rng.pick(['Guest', 'Unknown', '']), aadObjectId: rng.guid() },
        conversationTenant: home,
        channelDataTenant: home,
        anywhere: true,
        admin: false,
      };
    case 'noObjectId': {
      // A missing object id, also for an admin's Teams user id: the Teams id alone proves nothing here.
      const who = rng.pick([...ctx.admins, ...ctx.nonAdmins]);
      const from = rng.weighted<JsonObject>([
        [3, { id: `29:${who.teamsId}`, name: who.name }],
        [1, { id: `29:${who.teamsId}`, name: who.name, aadObjectId: '' }],
        [1, { id: `29:${who.teamsId}`, name: who.name, aadObjectId: null }],
        [1, { id: `29:${who.teamsId}`, name: who.name, aadObjectId: ' ' }],
      ]);
      return {
        kind,
        from,
        conversationTenant: home,
        channelDataTenant: home,
        anywhere: true,
        admin: false,
      };
    }
    case 'tenantMismatch': {
      // An admin whose conversation and channelData name different tenants: Teams never sends that.
      const f = foreign();
      const homeFirst = rng.chance(0.6);
      return {
        kind,
        from: fromOf(rng.pick(ctx.admins)),
        conversationTenant: homeFirst ? homeVariant() : f,
        channelDataTenant: homeFirst ? f : home,
        anywhere: true,
        admin: false,
      };
    }
    case 'noTenant':
      return {
        kind,
        from: fromOf(rng.pick(ctx.admins)),
        conversationTenant: undefined,
        channelDataTenant: undefined,
        anywhere: true,
        admin: false,
      };
    case 'adminWrongConversation':
      return {
        kind,
        from: fromOf(rng.pick(ctx.admins)),
        conversationTenant: home,
        channelDataTenant: home,
        anywhere: false,
        admin: true,
      };
  }
}

interface Place {
  readonly id: string;
  readonly type: 'personal' | 'channel' | 'groupChat';
  readonly teamId?: string;
  readonly channelId?: string;
}

/** Where the activity happens. Only identities that are never entitled get the request's own places. */
function placeFor(rng: Rng, ctx: FuzzContext, identity: Identity, index: number): Place {
  const tag = `fz${index}`;
  const randomChannel = `19:${rng.hex(32)}-${tag}@thread.tacv2`;
  const own: readonly (readonly [number, () => Place])[] = [
    [3, () => ({ id: `a:personal-${rng.hex(16)}-${tag}`, type: 'personal' })],
    [
      2,
      () => ({
        id: `${randomChannel};messageid=${rng.int(1e6)}`,
        type: 'channel',
        teamId: randomChannel,
        channelId: randomChannel,
      }),
    ],
    [1, () => ({ id: randomChannel, type: 'channel', teamId: `19:${rng.hex(16)}@thread.tacv2` })],
    [1, () => ({ id: `19:${rng.hex(24)}-${tag}@thread.v2`, type: 'groupChat' })],
    // Look-alikes of the approvals channel (another suffix, another thread type): a different conversation.
    [
      1,
      () => ({
        id: `${ctx.approvalsChannelId.replace('@thread.tacv2', '@thread.skype')};messageid=${rng.int(9)}-${tag}`,
        type: 'channel',
      }),
    ],
    [
      1,
      () => ({
        id: `${ctx.approvalsChannelId}x-${tag}`,
        type: 'channel',
      }),
    ],
  ];
  if (!identity.anywhere) return rng.weighted(own)();
  const target = rng.pick(ctx.targets);
  return rng.weighted<() => Place>([
    [4, () => ({ id: target.threadId, type: 'channel', channelId: ctx.approvalsChannelId })],
    [1, () => ({ id: ctx.approvalsChannelId, type: 'channel', channelId: ctx.approvalsChannelId })],
    [
      1,
      () => ({
        id: `${ctx.approvalsChannelId};messageid=${rng.int(1e6)}`,
        type: 'channel',
        channelId: ctx.approvalsChannelId,
      }),
    ],
    [2, () => ({ id: target.requesterChatId, type: 'personal' })],
    [4, () => rng.weighted(own)()],
  ])();
}

function baseActivity(
  rng: Rng,
  ctx: FuzzContext,
  identity: Identity,
  place: Place,
  type: string,
  id: string,
): JsonObject {
  const conversation: JsonObject = { id: place.id, conversationType: place.type };
  if (place.type !== 'personal') conversation.isGroup = true;
  if (identity.conversationTenant !== undefined) conversation.tenantId = identity.conversationTenant;
  const channelData: JsonObject = {};
  if (identity.channelDataTenant !== undefined) channelData.tenant = { id: identity.channelDataTenant };
  if (place.type === 'channel') {
    const channel = place.channelId ?? place.id.split(';')[0] ?? place.id;
    channelData.team = { id: place.teamId ?? channel, name: 'Privacy' };
    channelData.channel = { id: channel, name: rng.pick(['Approvals', 'General', '']) };
  }
  const activity: JsonObject = {
    type,
    id,
    timestamp: new Date(Date.UTC(2026, 0, 1) + rng.int(1e10)).toISOString(),
    channelId: 'msteams',
    serviceUrl: ctx.serviceUrl,
    recipient: { id: ctx.bot.id, name: ctx.bot.name },
    conversation,
    channelData,
    locale: rng.pick(LOCALES),
  };
  if (identity.from !== undefined) activity.from = identity.from;
  return activity;
}

function botMention(ctx: FuzzContext): JsonObject {
  return {
    type: 'mention',
    text: `<at>${ctx.bot.name}</at>`,
    mentioned: { id: ctx.bot.id, name: ctx.bot.name },
  };
}

function textFor(rng: Rng, ctx: FuzzContext, identity: Identity): string {
  const hugeBytes = ctx.hugeBytes ?? 900 * 1024;
  const anyone = () => rng.pick(TEXTS_ANYONE);
  const real = () => rng.pick(ctx.targets).requestId;
  const choices: (readonly [number, () => string])[] = [
    [8, anyone],
    // Admins may look requests up anywhere (issue 14): only others are fuzzed with the lookup words.
    [
      3,
      () =>
        `${rng.pick(identity.admin ? ['cancel', 'approve'] : ['status', 'cancel', 'show', 'approve', 'list'])} ${real()}`,
    ],
    [3, () => unicodeJunk(rng, 1 + rng.int(200))],
    [0.3, () => hugeString(rng, hugeBytes)],
    [1, () => `${anyone()} ${unicodeJunk(rng, 5)}`],
  ];
  if (!identity.admin) {
    choices.push([2, () => rng.pick(TEXTS_LOOKUP)]);
    choices.push([4, () => rng.pick(TEXTS_NEVER_ADMIN)]);
    choices.push([3, () => `export data for ${rng.pick(ctx.subjectHints)}`]);
    choices.push([1, () => `export data for ${real()}`]);
  }
  return rng.weighted(choices)();
}

/** An approval click; with `requestVerbs`, also the request card's buttons (never for an admin: entitled). */
function approvalInvokeValue(rng: Rng, ctx: FuzzContext, requestVerbs = false): JsonObject {
  const verb = rng.weighted<() => string>([
    [10, () => rng.pick(APPROVAL_VERBS)],
    [requestVerbs ? 4 : 0, () => rng.pick(REQUEST_VERBS)],
    [1, () => rng.pick(ODD_VERBS)],
  ])();
  const data: JsonObject = { requestId: requestIdFor(rng, ctx), ...forgedFields(rng, ctx) };
  if (verb === 'approval.reject' && rng.chance(0.7)) data.rejectReason = 'Fuzzed reason.';
  if (verb.startsWith('request') && rng.chance(0.7))
    Object.assign(data, {
      identityMethod: rng.pick(['hrRecords', 'other', '', 'x']),
      extendReason: 'Fuzzed reason.',
      extendMonths: rng.pick(['1', '2', '3', -1, 'x']),
      deliveryDate: rng.pick(['2026-01-02', '2099-01-01', 'x']),
      deliveryMethod: rng.pick(['secureLink', 'post', 'x']),
      closeReason: rng.pick(['withdrawn', 'excessive', 'x']),
      closeNote: 'Fuzzed note.',
      list: rng.pick(['open', 'mine', 'x']),
      page: rng.pick([0, 1, -1, 1e9, 'x']),
    });
  return {
    action: { type: 'Action.Execute', verb, data, ...(rng.chance(0.1) ? { id: rng.hex(8) } : {}) },
    trigger: rng.pick(['manual', 'automatic', 'manual', '', 'x']),
  };
}

function intakeInvokeValue(rng: Rng, ctx: FuzzContext): JsonObject {
  const verb = rng.weighted<() => string>([
    [10, () => rng.pick(INTAKE_VERBS)],
    [1, () => rng.pick(ODD_VERBS)],
  ])();
  const data: JsonObject = { draftId: draftIdFor(rng, ctx), ...forgedFields(rng, ctx) };
  if (verb === 'intake.find')
    data.subjectQuery = rng.pick([...ctx.subjectHints, '', '*', unicodeJunk(rng, 10)]);
  if (verb === 'intake.submit') {
    Object.assign(data, {
      regime: 'GDPR',
      receivedDate: '2026-01-02',
      reference: 'FZ-1',
      justification: 'Fuzzed justification.',
    });
  }
  return { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' };
}

function otherInvoke(rng: Rng, ctx: FuzzContext, activity: JsonObject): void {
  const name = rng.weighted<() => Json>([
    [10, () => rng.pick(OTHER_INVOKE_NAMES)],
    [1, () => unicodeJunk(rng, 10)],
    [1, () => wrongValue(rng, ctx)],
  ])();
  if (rng.chance(0.9)) activity.name = name;
  activity.value = rng.weighted<() => Json>([
    [3, () => approvalInvokeValue(rng, ctx)],
    [
      1,
      () => ({
        action: {
          type: 'Action.Submit',
          verb: 'approval.refresh',
          data: { requestId: requestIdFor(rng, ctx) },
        },
      }),
    ],
    [1, () => ({ commandId: 'search', parameters: [{ name: 'q', value: rng.pick(ctx.subjectHints) }] })],
    [
      1,
      () => ({
        data: { verb: 'approval.refresh', requestId: requestIdFor(rng, ctx) },
        context: { theme: 'dark' },
      }),
    ],
    [1, () => ({ state: rng.hex(6) })],
    [1, () => ({ id: rng.guid(), connectionName: 'x', token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' })],
    [1, () => wrongValue(rng, ctx)],
  ])();
  if (rng.chance(0.3)) delete activity.value;
}

function otherActivity(rng: Rng, ctx: FuzzContext, activity: JsonObject): void {
  const type = rng.pick(OTHER_ACTIVITY_TYPES);
  activity.type = type;
  const member = () =>
    rng.pick<Json>([{ id: ctx.bot.id, name: ctx.bot.name }, { id: `29:${rng.hex(10)}` }, {}]);
  switch (type) {
    case 'conversationUpdate':
      if (rng.chance(0.5)) activity.membersAdded = [member(), member()];
      if (rng.chance(0.3)) activity.membersRemoved = [member()];
      if (rng.chance(0.5)) {
        const cd = activity.channelData as JsonObject;
        cd.eventType = rng.pick([
          'teamMemberAdded',
          'channelCreated',
          'teamRenamed',
          'channelDeleted',
          'x',
          '',
        ]);
      }
      break;
    case 'installationUpdate':
      activity.action = rng.pick(['add', 'remove', 'add-upgrade', 'remove-upgrade', 'x', '']);
      break;
    case 'messageReaction':
      activity.reactionsAdded = [{ type: rng.pick(['like', 'heart', '', 'x'.repeat(50)]) }];
      activity.replyToId = rng.pick(['activity-1', rng.hex(8)]);
      break;
    case 'event':
      activity.name = rng.pick(['application/vnd.microsoft.meetingStart', 'tokens/response', 'x', '']);
      activity.value = wrongValue(rng, ctx);
      break;
    default:
      if (rng.chance(0.5)) activity.value = approvalInvokeValue(rng, ctx);
      if (rng.chance(0.5)) activity.text = textFor(rng, ctx, { ...identityStub, admin: true });
  }
}

const identityStub: Identity = {
  kind: 'noTenant',
  from: undefined,
  conversationTenant: undefined,
  channelDataTenant: undefined,
  anywhere: false,
  admin: true,
};

/** Paths a mutation may aim at, beyond those found in the activity itself. */
const KNOWN_PATHS = [
  'type',
  'id',
  'timestamp',
  'localTimestamp',
  'channelId',
  'from',
  'from.id',
  'from.name',
  'from.aadObjectId',
  'from.role',
  'recipient',
  'recipient.id',
  'conversation',
  'conversation.id',
  'conversation.conversationType',
  'conversation.isGroup',
  'conversation.tenantId',
  'channelData',
  'channelData.tenant',
  'channelData.tenant.id',
  'channelData.team',
  'channelData.channel',
  'channelData.channel.id',
  'channelData.eventType',
  'channelData.settings',
  'text',
  'textFormat',
  'locale',
  'entities',
  'entities.0',
  'entities.0.mentioned',
  'entities.0.text',
  'attachments',
  'value',
  'value.action',
  'value.action.type',
  'value.action.verb',
  'value.action.data',
  'value.action.data.requestId',
  'value.action.data.draftId',
  'value.trigger',
  'value.verb',
  'value.requestId',
  'name',
  'replyToId',
  'deliveryMode',
  'relatesTo',
  'action',
  'membersAdded',
  'label',
  'valueType',
  'summary',
  'importance',
  'expiration',
  'callerId',
];

function pathsOf(node: Json, prefix = '', out: string[] = [], depth = 0): string[] {
  if (depth > 6 || node === null || typeof node !== 'object') return out;
  for (const [k, v] of Object.entries<Json>(node)) {
    const p = prefix ? `${prefix}.${k}` : k;
    out.push(p);
    pathsOf(v, p, out, depth + 1);
  }
  return out;
}

/** Sets an own property, even one named `__proto__` (plain assignment would set the prototype instead). */
function put(target: JsonObject | Json[], key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Own properties only: a path through `__proto__` or `constructor` never reaches a shared prototype. */
function own(node: JsonObject | Json[], key: string): Json | undefined {
  return Object.prototype.hasOwnProperty.call(node, key) ? (node as Record<string, Json>)[key] : undefined;
}

function setPath(root: JsonObject, path: string, value: Json | undefined): void {
  const keys = path.split('.');
  let node: JsonObject | Json[] = root;
  for (const key of keys.slice(0, -1)) {
    let next = own(node, key);
    if (next === undefined || next === null || typeof next !== 'object') {
      next = {};
      put(node, key, next);
    }
    node = next;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) {
    if (Object.prototype.hasOwnProperty.call(node, last)) delete (node as Record<string, Json>)[last];
  } else put(node, last, value);
}

/** Wrong types, missing fields, junk keys: 1–4 structural mutations. */
function mutate(rng: Rng, ctx: FuzzContext, activity: JsonObject): string[] {
  const done: string[] = [];
  const n = 1 + rng.int(4);
  for (let i = 0; i < n; i++) {
    const paths = [...pathsOf(activity), ...KNOWN_PATHS];
    const path = rng.pick(paths);
    const op = rng.weighted<'wrong' | 'delete' | 'junkKey' | 'serviceUrl'>([
      [6, 'wrong'],
      [3, 'delete'],
      [2, 'junkKey'],
      [0.3, 'serviceUrl'],
    ]);
    switch (op) {
      case 'wrong': {
        const value = wrongValue(rng, ctx);
        setPath(activity, path, value);
        done.push(`${path}=${show(value, ctx)}`);
        break;
      }
      case 'delete':
        setPath(activity, path, undefined);
        done.push(`delete ${path}`);
        break;
      case 'junkKey': {
        const key = rng.pick([
          '__proto__',
          'constructor',
          'prototype',
          'toJSON',
          unicodeJunk(rng, 6),
          '',
          '$ref',
          'a.b',
        ]);
        const parent = rng.pick(['', 'value', 'value.action.data', 'channelData', 'from', 'conversation']);
        setPath(activity, parent ? `${parent}.${key}` : key, wrongValue(rng, ctx));
        done.push(`junk key ${JSON.stringify(key)} in ${parent || 'root'}`);
        break;
      }
      case 'serviceUrl': {
        // Where the bot's replies would go: local only (nothing may leave this machine).
        const url = rng.pick([
          `${ctx.serviceUrl}junk/path/`,
          `${ctx.serviceUrl}?x=1`,
          ctx.serviceUrl.replace('http://', 'https://'),
          `${ctx.botUrl}/`,
          'http://127.0.0.1:9/',
          ctx.serviceUrl.toUpperCase(),
        ]);
        activity.serviceUrl = url;
        done.push(`serviceUrl=${url}`);
        break;
      }
    }
  }
  return done;
}

function show(value: Json, ctx: FuzzContext): string {
  if (typeof value === 'string') {
    if (value === DEEP_MARK) return `<nested ${ctx.deepNesting ?? 5000} deep>`;
    return value.length > 40 ? `<string ${value.length} chars>` : JSON.stringify(value);
  }
  const s = JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** A deeply nested JSON value, built as text (no recursion on either side). */
function deepJson(rng: Rng, depth: number): string {
  const open = rng.pick(['{"a":', '[', '{"value":[']);
  const close = open === '{"a":' ? '}' : open === '[' ? ']' : ']}';
  return `${open.repeat(depth)}${rng.pick(['1', 'null', '"x"', '{}'])}${close.repeat(depth)}`;
}

function serialize(rng: Rng, ctx: FuzzContext, activity: JsonObject): string {
  const text = JSON.stringify(activity);
  if (!text.includes(DEEP_MARK)) return text;
  return text.split(`"${DEEP_MARK}"`).join(deepJson(rng, ctx.deepNesting ?? 5000));
}

/** A body that is not a JSON activity, or headers that are wrong for one. */
function rawCase(
  rng: Rng,
  ctx: FuzzContext,
  activity: JsonObject,
): { body: string; headers: Record<string, string>; what: string } {
  const json = JSON.stringify(activity);
  // Uniform over the 26 variants, except a body that claims gzip: it never gets an answer (restify's gunzip
  // error is unhandled), so each one holds a slot until the client gives up; a few suffice.
  const choice = rng.weighted(Array.from({ length: 26 }, (_, i) => [i === 14 ? 0.2 : 1, i] as const));
  const json_ = { 'Content-Type': 'application/json' };
  switch (choice) {
    case 0:
      return { body: '', headers: json_, what: 'empty body' };
    case 1:
      return { body: json.slice(0, rng.int(json.length)), headers: json_, what: 'truncated JSON' };
    case 2:
      return { body: 'null', headers: json_, what: 'null' };
    case 3:
      return { body: rng.pick(['[]', '[{}]', `[${json}]`]), headers: json_, what: 'array' };
    case 4:
      return { body: rng.pick(['1', '"x"', 'true', '1e999', '-0']), headers: json_, what: 'primitive' };
    case 5:
      return { body: `\ufeff${json}`, headers: json_, what: 'BOM before JSON' };
    case 6:
      return { body: json, headers: { 'Content-Type': 'text/plain' }, what: 'JSON as text/plain' };
    case 7:
      return {
        body: 'type=message&text=help&conversation[id]=a:1&serviceUrl=http://127.0.0.1:9/&channelId=msteams',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        what: 'form-urlencoded',
      };
    case 8:
      return {
        body: `--XyZ\r\nContent-Disposition: form-data; name="activity"\r\n\r\n${json}\r\n--XyZ--\r\n`,
        headers: { 'Content-Type': 'multipart/form-data; boundary=XyZ' },
        what: 'multipart form-data',
      };
    case 9:
      return {
        body: '--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nbroken',
        headers: { 'Content-Type': 'multipart/form-data; boundary=XyZ' },
        what: 'broken multipart',
      };
    case 10:
      return {
        body: `<activity>${json}</activity>`,
        headers: { 'Content-Type': 'application/xml' },
        what: 'xml',
      };
    case 11:
      return {
        body: json,
        headers: { 'Content-Type': 'application/json; charset=utf-16' },
        what: 'utf-16 charset',
      };
    case 12:
      return { body: json, headers: { 'Content-Type': 'application/jsonp' }, what: 'jsonp' };
    case 13:
      return {
        body: json,
        headers: { 'Content-Type': rng.pick(['', 'x/y', '*/*', 'application/*']) },
        what: 'odd content type',
      };
    case 14:
      return {
        body: json,
        headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        what: 'claims gzip',
      };
    case 15:
      return {
        body: json,
        headers: {
          'Content-Type': 'application/json',
          'Content-Encoding': rng.pick(['deflate', 'br', 'x-unknown']),
        },
        what: 'claims another encoding',
      };
    case 16:
      return {
        body: json,
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${rng.pick(forgedTokens(rng))}`,
        },
        what: 'forged bearer token',
      };
    case 17:
      return {
        body: json,
        headers: {
          'Content-Type': 'application/json',
          Authorization: rng.pick(['Basic YTpi', 'Bearer', 'x', ' ']),
        },
        what: 'odd authorization header',
      };
    case 18:
      return { body: unicodeJunk(rng, 50 + rng.int(500)), headers: json_, what: 'junk bytes' };
    case 19:
      return { body: `${json}${json}`, headers: json_, what: 'two JSON documents' };
    case 20:
      return {
        body: json.replace(/"type":"[^"]*"/, '"type":"message","type":"invoke"'),
        headers: json_,
        what: 'duplicate keys',
      };
    case 21:
      return {
        body: `{"a":${'['.repeat(ctx.deepNesting ?? 5000)}`,
        headers: json_,
        what: 'unterminated deep nesting',
      };
    case 22:
      return {
        body: deepJson(rng, ctx.deepNesting ?? 5000),
        headers: json_,
        what: 'deep nesting at the root',
      };
    case 23:
      return {
        body: JSON.stringify({ ...activity, pad: 'x'.repeat(1100 * 1024) }),
        headers: json_,
        what: 'body above 1 MB',
      };
    case 24:
      return { body: json.replace(/"/g, "'"), headers: json_, what: 'single-quoted JSON' };
    default:
      return {
        body: json,
        headers: {
          'Content-Type': 'application/json',
          'X-Forwarded-For': '1.2.3.4',
          'X-Ms-Tenant-Id': ctx.homeTenantId,
        },
        what: 'spoofed headers',
      };
  }
}

function forgedTokens(rng: Rng): string[] {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claims = {
    iss: 'https://api.botframework.com',
    aud: 'c0a70500-0000-4000-8000-0000000000b0',
    exp: 4102444800,
    serviceurl: 'x',
  };
  return [
    `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
    `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.${rng.hex(43)}`,
    `${b64({ alg: 'RS256', kid: rng.hex(8) })}.${b64(claims)}.${rng.hex(300)}`,
    'not-a-jwt',
    'a.b.c',
    '..',
  ];
}

/** Generates case `index` of the run seeded with `seed`. Pure: the same inputs give the same case. */
export function generateCase(seed: number, index: number, ctx: FuzzContext): FuzzCase {
  const rng = new Rng(caseSeed(seed, index));
  const kind = rng.weighted<FuzzKind>([
    [26, 'approvalInvoke'],
    [10, 'intakeInvoke'],
    [9, 'otherInvoke'],
    [13, 'cardSubmit'],
    [20, 'textMessage'],
    [10, 'otherActivity'],
    [6, 'raw'],
  ]);
  const identity = identityFor(rng, ctx);
  const place = placeFor(rng, ctx, identity, index);
  const id = `fuzz-${seed}-${index}`;
  const isInvoke = kind === 'approvalInvoke' || kind === 'intakeInvoke' || kind === 'otherInvoke';
  let activity = baseActivity(rng, ctx, identity, place, isInvoke ? 'invoke' : 'message', id);

  switch (kind) {
    case 'approvalInvoke':
      activity.name = 'adaptiveCard/action';
      activity.value = approvalInvokeValue(rng, ctx, !identity.admin);
      break;
    case 'intakeInvoke':
      activity.name = 'adaptiveCard/action';
      activity.value = intakeInvokeValue(rng, ctx);
      break;
    case 'otherInvoke':
      otherInvoke(rng, ctx, activity);
      break;
    case 'cardSubmit': {
      const verb = rng.pick([...APPROVAL_VERBS, ...INTAKE_VERBS, ...ODD_VERBS.slice(0, 4)]);
      activity.value = {
        verb,
        requestId: requestIdFor(rng, ctx),
        ...(rng.chance(0.5) ? { draftId: draftIdFor(rng, ctx) } : {}),
        ...forgedFields(rng, ctx),
      };
      if (rng.chance(0.15)) activity.text = rng.pick(['', ' ', '\u200b']);
      break;
    }
    case 'textMessage': {
      const text = textFor(rng, ctx, identity);
      const mention = place.type !== 'personal' || rng.chance(0.2);
      activity.text = mention ? `<at>${ctx.bot.name}</at> ${text}` : text;
      activity.textFormat = rng.pick(['plain', 'markdown', 'xml', '']);
      const entities: Json[] = [];
      if (mention) entities.push(botMention(ctx));
      if (rng.chance(0.3))
        entities.push({
          type: 'mention',
          text: `<at>${rng.pick(ctx.subjectHints)}</at>`,
          mentioned: { id: `29:${rng.hex(10)}`, name: 'x', aadObjectId: rng.pick(ctx.knownUserIds) },
        });
      if (rng.chance(0.2))
        entities.push({ type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web' });
      if (entities.length > 0) activity.entities = entities;
      if (rng.chance(0.1))
        activity.attachments = [{ contentType: 'text/html', content: `<div>${unicodeJunk(rng, 20)}</div>` }];
      break;
    }
    case 'otherActivity':
      otherActivity(rng, ctx, activity);
      break;
    case 'raw':
      break;
  }
  if (rng.chance(0.05)) activity.deliveryMode = rng.pick(['expectReplies', 'notification', 'normal', 'x']);

  let mutations: string[] = [];
  if (kind !== 'raw' && rng.chance(0.35)) {
    // A mutation may not give the caller more than they had (say, by deleting one side of a tenant mismatch):
    // such a draw is thrown away and drawn again.
    const before = entitlementOf(activity, ctx);
    for (let attempt = 0; attempt < 8; attempt++) {
      const copy = JSON.parse(JSON.stringify(activity)) as JsonObject;
      const done = mutate(rng, ctx, copy);
      if (!entitles(entitlementOf(copy, ctx), before)) {
        activity = copy;
        mutations = done;
        break;
      }
    }
  }
  const entitlement = entitlementOf(activity, ctx);
  let body: string;
  let headers: Record<string, string> = { 'Content-Type': 'application/json' };
  let label = labelOf(activity);
  if (kind === 'raw') {
    const raw = rawCase(rng, ctx, activity);
    body = raw.body;
    headers = raw.headers;
    mutations.push(raw.what);
    label = raw.what;
  } else {
    body = serialize(rng, ctx, activity);
  }
  return {
    seed,
    index,
    kind,
    identity: identity.kind,
    mutations,
    body,
    headers,
    activityId: typeof activity.id === 'string' ? activity.id : undefined,
    conversationId:
      activity.conversation &&
      typeof activity.conversation === 'object' &&
      !Array.isArray(activity.conversation)
        ? typeof activity.conversation.id === 'string'
          ? activity.conversation.id
          : undefined
        : undefined,
    entitlement,
    judged: entitlement !== 'full',
    label,
  };
}

/** `invoke "adaptiveCard/action" verb="approval.refresh"`, `message verb=…` (Action.Submit), `message text` … */
function labelOf(activity: JsonObject): string {
  // Printable short strings as they are; anything else by its shape, so that labels stay a small set.
  const short = (v: Json | undefined): string =>
    typeof v === 'string'
      ? /^[\x20-\x7e]{0,40}$/.test(v)
        ? JSON.stringify(v)
        : '<junk string>'
      : `<${v === undefined ? 'missing' : v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}>`;
  const record = (v: Json | undefined): JsonObject | undefined =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  const value = record(activity.value);
  const verb = record(value?.action)?.verb ?? value?.verb;
  const type = typeof activity.type === 'string' ? activity.type : short(activity.type);
  if (type === 'invoke')
    return `invoke ${short(activity.name)}${verb !== undefined ? ` verb=${short(verb)}` : ''}`;
  if (type === 'message') return verb !== undefined ? `message verb=${short(verb)}` : 'message text';
  return type;
}

const norm = (s: string) => s.trim().toLowerCase();

/**
 * What the caller of an activity may see of a seeded request (issue 11, decision 0007):
 * - `full`: maybe an admin of the home tenant where requests are shown (the approvals channel, a requester's
 *   chat), or typing an intake command: its answers are not judged, and the generator never makes one;
 * - `statusView`: a home-tenant caller (both tenant ids agreeing) with a non-blank object id, in the approvals
 *   channel (any thread of it), clicking an approval verb: its members see the shared card anyway, so the card
 *   may name the request, but a non-admin gets it without decision buttons;
 * - `none`: anyone else (other tenants, tenant mismatches, blank or missing object ids, other conversations,
 *   1:1 chats of non-requesters, intake drafts of others): no answer may name a seeded request.
 */
export type Entitlement = 'none' | 'statusView' | 'full';

const ENTITLEMENT_RANK: Record<Entitlement, number> = { none: 0, statusView: 1, full: 2 };

/** The verbs of the approval card's buttons and refresh, exactly as the bot routes them. */
export const APPROVAL_CARD_VERBS: readonly string[] = APPROVAL_VERBS;
/** Buttons that act on a request: a caller entitled to the status view only must never be offered one. */
export const DECISION_VERBS: readonly string[] = [
  'approval.approve',
  'approval.reject',
  'approval.cancel',
  'export.resubmit',
];

const record = (v: Json | undefined): JsonObject | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;

/** A non-blank string, trimmed (as the bot reads identity fields), or undefined. */
const nonBlank = (v: Json | undefined): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

/**
 * The caller's object id when the activity comes from the home tenant, read as the bot reads it: the tenant
 * ids of conversation and channelData must agree where both are given (blank ones count as not given), at
 * least one must be given, and the object id must not be blank.
 */
function homeTenantCaller(activity: JsonObject, ctx: FuzzContext): string | undefined {
  const aad = nonBlank(record(activity.from)?.aadObjectId);
  if (aad === undefined) return undefined;
  const tenants = [
    nonBlank(record(activity.conversation)?.tenantId),
    nonBlank(record(record(activity.channelData)?.tenant)?.id),
  ].filter((t): t is string => t !== undefined);
  if (tenants.length === 0) return undefined;
  if (new Set(tenants.map(norm)).size > 1) return undefined;
  if (norm(tenants[0]!) !== norm(ctx.homeTenantId)) return undefined;
  return aad;
}

/** The card verbs an activity carries, wherever a card puts them (Action.Execute, Action.Submit). */
function verbsOf(activity: JsonObject): string[] {
  const value = record(activity.value);
  return [record(value?.action)?.verb, value?.verb].filter((v): v is string => typeof v === 'string');
}

/**
 * An independent, conservative reading of what the caller is entitled to (see {@link Entitlement}). `full` is
 * true whenever some reasonable reading of the body could make the caller an entitled admin; `statusView`
 * follows the product's rule (`requestAccess`) for the approvals channel, strictly: the conversation id names
 * that channel, and the activity carries one of the card's approval verbs.
 */
export function entitlementOf(activity: JsonObject, ctx: FuzzContext): Entitlement {
  const aad = homeTenantCaller(activity, ctx);
  if (aad === undefined) return 'none';
  const conversation = record(activity.conversation);
  const channelData = record(activity.channelData);
  const cid = typeof conversation?.id === 'string' ? conversation.id : '';
  const channel = norm(cid.split(';')[0] ?? cid);
  if (ctx.adminIds.map(norm).includes(norm(aad))) {
    // An admin of the home tenant: typing an export or approvals-channel command is a legitimate intake anywhere.
    const text = typeof activity.text === 'string' ? activity.text.replace(/<at>[^<]*<\/at>/gi, ' ') : '';
    if (/export|approval/i.test(text)) return 'full';
    // Issue 14: admins may look requests up, and act on their legal clock, in any chat (status, lists, the
    // request card's lifecycle buttons). Those answers are theirs to see.
    if (/^\s*(?:status|show|find|list|my|open|requests|overdue)\b|^\s*dsr-\d{4}-\d{4,}\s*$/i.test(text))
      return 'full';
    if (verbsOf(activity).some((v) => /^requests?\./.test(v))) return 'full';
    const cdChannel = record(channelData?.channel)?.id;
    const places = [ctx.approvalsChannelId, ...ctx.targets.map((t) => t.requesterChatId)].map(norm);
    if (places.includes(channel) || places.includes(norm(cid))) return 'full';
    if (typeof cdChannel === 'string' && places.includes(norm(cdChannel))) return 'full';
  }
  const inApprovalsChannel = cid.split(';')[0] === ctx.approvalsChannelId;
  if (inApprovalsChannel && verbsOf(activity).some((v) => APPROVAL_CARD_VERBS.includes(v))) {
    return 'statusView';
  }
  return 'none';
}

/** True when `after` gives the caller more than `before` did (a mutation may not do that). */
export function entitles(after: Entitlement, before: Entitlement): boolean {
  return ENTITLEMENT_RANK[after] > ENTITLEMENT_RANK[before];
}
