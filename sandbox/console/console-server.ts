import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BlobServiceClient } from '@azure/storage-blob';
import { TableRequestStore } from '../../src/adapters/storage/request-store';
import type { RequestStore } from '../../src/domain/ports';
import { DEMO_BOT_ID, type SandboxTenant } from '../demo-tenant';
import {
  actAsInvoke,
  createControls,
  isActVerb,
  sendInvoke,
  type ControlledSandbox,
} from './console-actions';
import { ConsoleError, exportContainers, openRequests, peopleOf, streamBlob } from './console-data';
import { CONSOLE_CSS, consolePage } from './console-page';
import { CONSOLE_SCRIPT } from './console-script';

/**
 * The sandbox console: a small local web page beside the Agents Playground (`npm start`), from the sandbox's own
 * data: the demo tenant's people, the open requests and, on a pending approval card, Approve, Reject or Cancel
 * as any demo user (the real invoke, to the bot, through the Playground's connector); the export containers in
 * Azurite with their files to download; and controls of the sandbox. Local tooling: it runs in `npm start`'s
 * process, never in the bot's, listens on 127.0.0.1 only, and refuses to start when NODE_ENV=production.
 */

export const DEFAULT_CONSOLE_PORT = 56160;

export interface ConsoleOptions {
  /** The running tenant sandbox (in the same process): its tenant, exports and fault rules. */
  readonly sandbox: ControlledSandbox & { readonly tenant: SandboxTenant };
  /** Azurite: the bot's tables and the export account's containers. */
  readonly storageConnectionString: string;
  /** The bot, e.g. http://127.0.0.1:3978 (its /api/messages takes the invokes). */
  readonly botUrl: string;
  /** The connector the approval cards live behind: the Playground's http://localhost:<port>/_connector. */
  readonly connectorUrl: string | undefined;
  readonly playgroundUrl?: string;
  /** 0 for any free port; default 56160. */
  readonly port?: number;
  /** The bot's requests table (no prefix in `npm start`). */
  readonly requestsTable?: string;
  /** Export containers are those whose names start with this; default `dsr-`. */
  readonly containerPrefix?: string;
  /** How long each Graph call waits when Graph is slowed down; default 2 s. */
  readonly slowGraphMs?: number;
  readonly bot?: { readonly id: string; readonly name: string };
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface SandboxConsole {
  /** http://localhost:<port> */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Throws when NODE_ENV=production: the console is local tooling and never runs beside a real bot. */
export function refuseProduction(env: Readonly<Record<string, string | undefined>>): void {
  if (env.NODE_ENV?.trim() === 'production') {
    throw new Error(
      'The sandbox console is local tooling of `npm start` and does not start when NODE_ENV=production.',
    );
  }
}

interface Reply {
  readonly status?: number;
  readonly json?: unknown;
  readonly text?: string;
  readonly type?: string;
}

type Handler = (
  match: RegExpExecArray,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
) => Promise<Reply | 'sent'>;

const MAX_BODY = 16 * 1024;

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    throw new ConsoleError(415, 'Send Content-Type: application/json.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new ConsoleError(413, 'The body is too large.');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    const value: unknown = text === '' ? {} : JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ConsoleError(400, 'The body is not a JSON object.');
}

export async function startSandboxConsole(options: ConsoleOptions): Promise<SandboxConsole> {
  refuseProduction(options.env ?? process.env);
  const { sandbox } = options;
  const tenant = sandbox.tenant;
  const prefix = options.containerPrefix ?? 'dsr-';
  const store: Pick<RequestStore, 'get' | 'openRequests'> = new TableRequestStore(
    options.storageConnectionString,
    options.requestsTable ?? 'requests',
  );
  const blobs = BlobServiceClient.fromConnectionString(options.storageConnectionString);
  const slowGraphMs = options.slowGraphMs ?? 2000;
  const controls = createControls(sandbox, slowGraphMs);
  const page: Reply = { text: consolePage(tenant.displayName, options.playgroundUrl), type: 'text/html' };

  const act: Handler = async (m, _url, req) => {
    const body = await jsonBody(req);
    const requestId = decodeURIComponent(m[1]!);
    const user = tenant.users.find((u) => u.id === body.as);
    if (!user) throw new ConsoleError(400, 'Choose a person of the demo tenant to act as.');
    if (!isActVerb(body.verb)) throw new ConsoleError(400, 'The verb is approve, reject or cancel.');
    if (!options.connectorUrl)
      throw new ConsoleError(
        409,
        'Acting on cards needs the Agents Playground: start without --no-playground.',
      );
    const request = /^[A-Za-z0-9-]{1,64}$/.test(requestId) ? await store.get(requestId) : undefined;
    if (!request) throw new ConsoleError(404, `No request ${requestId}.`);
    const activity = actAsInvoke({
      request,
      user,
      verb: body.verb,
      reason: typeof body.reason === 'string' ? body.reason : '',
      tenantId: tenant.id,
      serviceUrl: options.connectorUrl,
      bot: options.bot ?? { id: DEMO_BOT_ID, name: 'DSR Export Bot' },
    });
    const answer = await sendInvoke(options.botUrl, activity);
    return { json: { request: request.id, as: user.displayName, verb: body.verb, answer } };
  };

  const routes: readonly { method: string; path: RegExp; handle: Handler }[] = [
    { method: 'GET', path: /^\/$/, handle: () => Promise.resolve(page) },
    { method: 'GET', path: /^\/containers\/[^/]+\/?$/, handle: () => Promise.resolve(page) },
    {
      method: 'GET',
      path: /^\/console\.js$/,
      handle: () => Promise.resolve({ text: CONSOLE_SCRIPT, type: 'text/javascript' }),
    },
    {
      method: 'GET',
      path: /^\/console\.css$/,
      handle: () => Promise.resolve({ text: CONSOLE_CSS, type: 'text/css' }),
    },
    { method: 'GET', path: /^\/favicon\.ico$/, handle: () => Promise.resolve({ status: 204 }) },
    { method: 'GET', path: /^\/api\/people$/, handle: () => Promise.resolve({ json: peopleOf(tenant) }) },
    { method: 'GET', path: /^\/api\/requests$/, handle: async () => ({ json: await openRequests(store) }) },
    { method: 'POST', path: /^\/api\/requests\/([^/]+)\/act$/, handle: act },
    {
      method: 'GET',
      path: /^\/api\/containers$/,
      handle: async () => ({ json: await exportContainers(blobs, prefix) }),
    },
    {
      method: 'GET',
      path: /^\/api\/containers\/([^/]+)\/blob$/,
      handle: async (m, url, _req, res) => {
        await streamBlob(blobs, prefix, decodeURIComponent(m[1]!), url.searchParams.get('name') ?? '', res);
        return 'sent';
      },
    },
    {
      method: 'GET',
      path: /^\/api\/controls$/,
      handle: () => Promise.resolve({ json: { ...controls.state(), slowGraphMs } }),
    },
    {
      method: 'POST',
      path: /^\/api\/controls\/fail-next$/,
      handle: async (_m, _url, req) => {
        await jsonBody(req);
        controls.failNextExport();
        return { json: { message: 'The next export submitted to Graph will end failed.' } };
      },
    },
    {
      method: 'POST',
      path: /^\/api\/controls\/graph-speed$/,
      handle: async (_m, _url, req) => {
        const slow = (await jsonBody(req)).slow === true;
        controls.slowGraph(slow);
        return {
          json: {
            message: slow
              ? `Each Graph call now waits ${slowGraphMs / 1000} s.`
              : 'Graph answers at normal speed.',
          },
        };
      },
    },
    {
      method: 'POST',
      path: /^\/api\/controls\/finish-exports$/,
      handle: async (_m, _url, req) => {
        await jsonBody(req);
        const n = await controls.finishRunningExports();
        const ended = n === 1 ? '1 running export ended' : `${n} running exports ended`;
        return { json: { message: `${ended}; the bot sees it at its next look at Graph.` } };
      },
    },
  ];

  let port = 0;
  /** Only this machine's names for the console (a page elsewhere cannot rebind a name to it). */
  const ownHost = (host: string | undefined) =>
    host !== undefined && [`localhost:${port}`, `127.0.0.1:${port}`].includes(host.toLowerCase());
  /** A POST must come from the console's own page (or a tool that sends no Origin). */
  const ownOrigin = (origin: string | undefined) =>
    origin === undefined || [`http://localhost:${port}`, `http://127.0.0.1:${port}`].includes(origin);

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!ownHost(req.headers.host)) throw new ConsoleError(421, 'Open the console at http://localhost.');
    if (req.method === 'POST' && !ownOrigin(req.headers.origin))
      throw new ConsoleError(403, 'Only the console page may change the sandbox.');
    const candidates = routes.filter((r) => r.path.test(url.pathname));
    if (candidates.length === 0) throw new ConsoleError(404, `Nothing at ${url.pathname}.`);
    const route = candidates.find((r) => r.method === req.method);
    if (!route) throw new ConsoleError(405, `${req.method ?? ''} is not allowed here.`);
    const reply = await route.handle(route.path.exec(url.pathname)!, url, req, res);
    if (reply === 'sent') return;
    const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
    res.writeHead(reply.status ?? 200, {
      'Content-Type': `${reply.json !== undefined ? 'application/json' : (reply.type ?? 'text/plain')}; charset=utf-8`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy':
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'Referrer-Policy': 'no-referrer',
    });
    res.end(body);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((err: unknown) => {
      const status = err instanceof ConsoleError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      if (res.headersSent) return void res.destroy();
      res.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      res.end(JSON.stringify({ error: message }));
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const wanted = options.port ?? DEFAULT_CONSOLE_PORT;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`The sandbox console's port ${wanted} is in use: set CONSOLE_PORT to a free port.`)
          : err,
      ),
    );
    server.listen(wanted, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        controls.slowGraph(false);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
