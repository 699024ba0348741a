import type { ConversationReference } from 'botbuilder';
import type { Server } from 'restify';
import type { Config } from './config';
import { createGraphClient, createGraphCredential } from './adapters/graph/graph-client';
import { GraphDirectory } from './adapters/graph/graph-directory';
import { createHttpServer } from './adapters/http/server';
import { TableConversationReferenceStore } from './adapters/storage/conversation-reference-store';
import { tablePing, TableStore } from './adapters/storage/table-store';
import { createBot, type Bot } from './adapters/teams/bot';
import { randomUUID } from 'node:crypto';
import { withRoleCache } from './adapters/graph/role-cache';
import { TableAuditLog } from './adapters/storage/audit-log';
import { TableDraftStore } from './adapters/storage/draft-store';
import { TableRequestStore } from './adapters/storage/request-store';
import { TableSettingsStore } from './adapters/storage/settings-store';
import { systemClock, type Clock, type Directory } from './domain/ports';
import { describeError, type Logger } from './logger';

export interface AppDeps {
  readonly config: Config;
  /** Time for everything the bot decides; the system clock unless a test injects one. */
  readonly clock?: Clock;
  /** The state account; the composition root decides whether that is Azure or the embedded Azurite. */
  readonly storageConnectionString: string;
  readonly log: Logger;
  /** Overrides for tests; built from configuration when absent. */
  readonly directory?: Directory;
  /** Prefix for every table name (letters and digits), so that several bots can share one account. */
  readonly tablePrefix?: string;
}

export interface App {
  readonly server: Server;
  readonly bot: Bot;
  /** Listens on `port` (0 = any free port) and resolves with the base URL. */
  listen(port: number, host?: string): Promise<string>;
  /** Stops accepting requests and lets the ones in flight finish. */
  close(): Promise<void>;
}

export const TABLES = {
  conversationReferences: 'conversationreferences',
  requests: 'requests',
  drafts: 'drafts',
  audit: 'audit',
  settings: 'settings',
} as const;

/** Wires configuration to adapters: the one place that knows every concrete part. No logic. */
export async function createApp(deps: AppDeps): Promise<App> {
  const { config, log, storageConnectionString } = deps;
  const directory =
    deps.directory ??
    new GraphDirectory(createGraphClient(config, createGraphCredential(config)), {
      graph: config.graph.endpoint,
      authority: config.auth.authorityHost,
    });
  const prefix = deps.tablePrefix ?? '';
  const referencesTable = TableStore.fromConnectionString<Partial<ConversationReference>>(
    storageConnectionString,
    `${prefix}${TABLES.conversationReferences}`,
  );
  try {
    await referencesTable.ensureTable();
  } catch (err) {
    const detail = describeError(err);
    throw new Error(
      `Azure Storage does not answer (${String(detail.code ?? detail.name)}): check AZURE_STORAGE_CONNECTION_STRING and that the account allows this host.`,
    );
  }
  const pingStorage = tablePing(storageConnectionString);
  const clock = deps.clock ?? systemClock;
  const bot = createBot({
    config,
    directory,
    conversationReferences: new TableConversationReferenceStore(referencesTable),
    intake: {
      // Intake may reuse a positive role answer for five minutes; whoami and approvals ask Graph live.
      directory: withRoleCache(directory, clock),
      drafts: new TableDraftStore(storageConnectionString, `${prefix}${TABLES.drafts}`),
      requests: new TableRequestStore(storageConnectionString, `${prefix}${TABLES.requests}`),
      audit: new TableAuditLog(storageConnectionString, `${prefix}${TABLES.audit}`),
      settings: new TableSettingsStore(storageConnectionString, `${prefix}${TABLES.settings}`),
      clock,
      newId: randomUUID,
      homeTenantId: config.tenantId,
      allowedRoleIds: config.adminRoleTemplateIds,
      approvalsChannelId: config.approvalsChannelId,
    },
    log,
  });
  const server = createHttpServer({
    processActivity: (req, res) => bot.conversationBot.requestHandler(req, res, bot.logic),
    checkHealth: () => withTimeout(pingStorage(), 3000),
    log,
  });

  return {
    server,
    bot,
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address();
          resolve(`http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`);
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
