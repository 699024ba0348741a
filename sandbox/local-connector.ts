import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';

export interface ConnectorCall {
  readonly method: string;
  readonly path: string;
  readonly conversationId: string | undefined;
  readonly activityId: string | undefined;
  readonly authorization: string | undefined;
  readonly activity: Partial<Activity>;
}

/** A failure the connector answers with instead of the real answer (as Teams' connector does). */
export interface ConnectorFault {
  readonly method?: string;
  readonly path: RegExp;
  readonly status: number;
  readonly code?: string;
  readonly retryAfterSeconds?: number;
  times?: number;
}

export interface LocalConnector {
  readonly serviceUrl: string;
  readonly calls: ConnectorCall[];
  /** Answers matching calls with an error (429 with Retry-After, 5xx, 403 BotNotInConversationRoster …). */
  inject(fault: ConnectorFault): () => void;
  /** Activities the bot sent (new messages and replies) to one conversation. */
  sentTo(conversationId: string): Partial<Activity>[];
  /** Waits until the bot has sent `count` activities to the conversation, then returns them. */
  waitForSent(conversationId: string, count?: number, timeoutMs?: number): Promise<Partial<Activity>[]>;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : JSON.parse(text);
}

async function waitFor<T>(check: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A local stand-in for the Bot Framework connector (the service Teams gives the bot as serviceUrl): it
 * records what the bot sends and answers with activity ids, as Teams' connector does.
 */
/** A conversation member as the connector describes them (GET …/members/{id}). */
export interface ConnectorMember {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
  readonly userPrincipalName?: string;
  readonly email?: string;
}

export async function startLocalConnector(
  options: { record?: boolean; members?: readonly ConnectorMember[] } = {},
): Promise<LocalConnector> {
  const members = new Map((options.members ?? []).map((m) => [m.id, m]));
  const faults: ConnectorFault[] = [];
  const record = options.record ?? true;
  const calls: ConnectorCall[] = [];
  let next = 1;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const m = /^\/v3\/conversations\/([^/]+)(?:\/activities(?:\/([^/]+))?)?/.exec(url.pathname);
      const fault = faults.find(
        (f) =>
          (f.method === undefined || f.method === req.method) &&
          f.path.test(decodeURIComponent(url.pathname)) &&
          (f.times ?? 1) > 0,
      );
      if (fault) {
        if (fault.times !== undefined) fault.times -= 1;
        await readJson(req).catch(() => undefined);
        calls.push({
          method: req.method ?? '',
          path: url.pathname,
          conversationId: m?.[1] ? decodeURIComponent(m[1]) : undefined,
          activityId: undefined,
          authorization: req.headers.authorization,
          activity: { type: `fault-${fault.status}` },
        });
        res.writeHead(fault.status, {
          'Content-Type': 'application/json',
          ...(fault.retryAfterSeconds !== undefined
            ? { 'Retry-After': String(fault.retryAfterSeconds) }
            : {}),
        });
        res.end(
          JSON.stringify({
            error: { code: fault.code ?? 'ServiceError', message: `Injected ${fault.status}` },
          }),
        );
        return;
      }
      if (req.method === 'GET' && /^\/v3\/conversations\/[^/]+\/pagedmembers$/.test(url.pathname)) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ members: [...members.values()].map((x) => ({ ...x, userRole: 'user' })) }));
        return;
      }
      if (req.method === 'POST' && url.pathname === '/v3/conversations') {
        // createConversation: a new thread in a channel (channelData.channel.id) or a new 1:1 chat.
        const body = (await readJson(req)) as {
          activity?: Partial<Activity>;
          channelData?: { channel?: { id?: string } };
          members?: { id?: string }[];
          isGroup?: boolean;
        };
        const channel = body.channelData?.channel?.id;
        // A 1:1 chat with a member is always the same conversation (Teams returns the existing one).
        const member = body.isGroup === false ? body.members?.[0]?.id : undefined;
        const target = channel ?? (member ? `a:1on1-${member}` : `a:created-${next}`);
        const activityId = `activity-${next++}`;
        calls.push({
          method: 'POST',
          path: url.pathname,
          conversationId: target,
          activityId: undefined,
          authorization: req.headers.authorization,
          activity: body.activity ?? { type: 'createConversation' },
        });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: channel ? `${target};messageid=${activityId}` : target, activityId }));
        return;
      }
      const member = /^\/v3\/conversations\/[^/]+\/members\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && member) {
        calls.push({
          method: 'GET',
          path: url.pathname,
          conversationId: m?.[1] ? decodeURIComponent(m[1]) : undefined,
          activityId: undefined,
          authorization: req.headers.authorization,
          activity: {},
        });
        const found = members.get(decodeURIComponent(member[1]!));
        res.writeHead(found ? 200 : 404, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify(
            found ?? {
              error: { code: 'MemberNotFoundInConversation', message: 'The member was not found.' },
            },
          ),
        );
        return;
      }
      const body = (await readJson(req)) as Partial<Activity>;
      if (record)
        calls.push({
          method: req.method ?? '',
          path: url.pathname,
          conversationId: m?.[1] ? decodeURIComponent(m[1]) : undefined,
          activityId: m?.[2] ? decodeURIComponent(m[2]) : undefined,
          authorization: req.headers.authorization,
          activity: body,
        });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: `activity-${next++}` }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const sentTo = (conversationId: string) =>
    calls.filter((c) => c.method === 'POST' && c.conversationId === conversationId).map((c) => c.activity);
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    inject(fault) {
      const copy = { ...fault, times: fault.times ?? Number.POSITIVE_INFINITY };
      faults.push(copy);
      return () => {
        const i = faults.indexOf(copy);
        if (i >= 0) faults.splice(i, 1);
      };
    },
    sentTo,
    waitForSent: (conversationId, count = 1, timeoutMs = 10000) =>
      waitFor(
        () => {
          const sent = sentTo(conversationId);
          return sent.length >= count ? sent : undefined;
        },
        `${count} activities sent to ${conversationId}`,
        timeoutMs,
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
