import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  DEMO_APP_CLIENT_ID,
  DEMO_APP_CLIENT_SECRET,
  DEMO_TENANT,
  DEMO_TENANT_ID,
  type SandboxApp,
  type SandboxTenant,
} from './demo-tenant';
import { entraIdRoutes } from './entra-id';
import {
  createExportService,
  type DataPolicyOperation,
  type ExportService,
  type ExportServiceOptions,
} from './export-service';
import { DROPPED, Faults, type FaultRule } from './faults';
import { graphExportRoutes } from './graph-exports';
import { graphUserRoutes } from './graph-users';
import { writeAnswer } from './http-answer';
import { createRouter } from './router';
import { newSigningKey, type SandboxState } from './sandbox-state';

export type {
  DataPolicyOperation,
  ExportServiceOptions,
  LocationHeader,
  OperationStep,
  OperationVariant,
} from './export-service';
export type { FaultRule } from './faults';
export type { PostThrottleOptions } from './post-throttle';

/**
 * The tenant sandbox: one HTTPS server that answers as Entra ID (token endpoint, OpenID metadata) and as
 * Microsoft Graph (users, checkMemberObjects, exportPersonalData, dataPolicyOperations) for a seeded tenant,
 * with the status codes, headers and error bodies the real services use, plus fault injection for tests.
 *
 * This file owns the server, the request log and the shared state (./sandbox-state.ts); the answers come from
 * rooms, dispatched by ./router.ts: Entra ID (./entra-id.ts), Graph users (./graph-users.ts, ./user-query.ts),
 * Graph exports (./graph-exports.ts over ./export-service.ts), and faults (./faults.ts) around them all.
 */

export interface SandboxOptions extends ExportServiceOptions {
  readonly tls: { readonly cert: string; readonly key: string };
  readonly host?: string;
  readonly port?: number;
  readonly tenant?: SandboxTenant;
  readonly now?: () => Date;
}

export interface RecordedRequest {
  readonly time: Date;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** The status answered; -1 when the connection was dropped; 0 while the request is being handled. */
  status: number;
}

export interface TenantSandbox {
  readonly origin: string;
  readonly authorityHost: string;
  readonly graphEndpoint: string;
  readonly tenant: SandboxTenant;
  readonly requests: RecordedRequest[];
  readonly operations: Map<string, DataPolicyOperation>;
  /** Controls of the exports for the sandbox console: fail the next export, end the running ones now. */
  readonly exportControls: Pick<ExportService, 'failNext' | 'nextFails' | 'finishRunning' | 'settleDue'>;
  /** Adds a fault rule; returns a function that removes it. */
  inject(rule: FaultRule): () => void;
  clearFaults(): void;
  /** Changes the granted application permissions of an app (by client id) from now on. */
  setAppRoles(clientId: string, roles: readonly string[]): void;
  close(): Promise<void>;
}

/** The environment a bot needs to use this sandbox as its tenant: Entra ID, Graph and the demo app's credential. */
export function botEnvFor(
  sandbox: Pick<TenantSandbox, 'authorityHost' | 'graphEndpoint'>,
): Record<string, string> {
  return {
    AAD_APP_TENANT_ID: DEMO_TENANT_ID,
    AAD_APP_CLIENT_ID: DEMO_APP_CLIENT_ID,
    AAD_APP_CLIENT_SECRET: DEMO_APP_CLIENT_SECRET,
    AAD_APP_OAUTH_AUTHORITY_HOST: sandbox.authorityHost,
    GRAPH_ENDPOINT: sandbox.graphEndpoint,
  };
}

export async function startTenantSandbox(options: SandboxOptions): Promise<TenantSandbox> {
  const tenant = options.tenant ?? DEMO_TENANT;
  const now = options.now ?? (() => new Date());
  const host = options.host ?? '127.0.0.1';
  const apps = new Map<string, SandboxApp>(tenant.apps.map((a) => [a.clientId, { ...a }]));
  const signing = newSigningKey();
  const exports = createExportService({ ...options, tenant, now });
  const faults = new Faults(now);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = createServer({ cert: options.tls.cert, key: options.tls.key });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const origin = `https://${host}:${(server.address() as AddressInfo).port}`;

  const state: SandboxState = { origin, tenant, apps, now, signing };
  const route = createRouter(
    {
      entraId: entraIdRoutes(state),
      graph: [...graphUserRoutes(state), ...graphExportRoutes(state, exports)],
    },
    now,
  );

  /** Records the request, reads its body, and answers it through the faults and the router. */
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const record: RecordedRequest = { time: now(), method, path: url.pathname, query: url.search, status: 0 };
    requests.push(record);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');

    const answer = await faults.apply(method, url.pathname, () =>
      route({ method, url, headers: req.headers, body }),
    );
    if (answer === DROPPED) {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    record.status = answer.status;
    writeAnswer(res, answer, req.headers['client-request-id']);
  }

  // Listening for requests once the rooms exist: only synchronous code ran since `listen` called back,
  // so no request can have arrived before this listener.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  // Timed exports end on their own, files and all, as the real service's do: nobody has to read them first.
  let settling: Promise<unknown> = Promise.resolve();
  const settler = setInterval(() => {
    settling = settling.then(() => exports.settleDue()).catch(() => undefined);
  }, 1000);
  settler.unref();

  return {
    origin,
    authorityHost: origin,
    graphEndpoint: origin,
    tenant,
    requests,
    operations: exports.operations,
    exportControls: exports,
    inject: (rule) => faults.inject(rule),
    clearFaults: () => faults.clear(),
    setAppRoles(clientId, roles) {
      const app = apps.get(clientId);
      if (!app) throw new Error(`No sandbox app ${clientId}`);
      apps.set(clientId, { ...app, roles: [...roles] });
    },
    close: async () => {
      clearInterval(settler);
      await settling;
      await new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
    },
  };
}
