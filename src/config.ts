/** The bot's configuration: what it reads from the environment, typed and validated (fails fast). */
import { CLOUDS, cloudOfHost, type CloudName } from './clouds';
import {
  CHANNEL_ID,
  ConfigError,
  guid,
  httpsUrl,
  positiveNumber,
  readBotType,
  readCloud,
  readContainerPrefix,
  readCredential,
  readFailpoints,
  readHost,
  readLocalConsoleUrl,
  readPort,
  readRoleIds,
  value,
  type BotType,
  type Env,
  type GraphCredentialConfig,
} from './config-readers';
import { readRecords, type RecordsConfig } from './config-records';
import { GUID } from './domain/identity';
import { Secret } from './secret';

export type { RecordsConfig } from './config-records';
export { CLOUDS, cloudOfHost, type CloudEndpoints, type CloudName } from './clouds';
export {
  ConfigError,
  GLOBAL_ADMINISTRATOR,
  isLoopbackHost,
  type BotType,
  type GraphCredentialConfig,
} from './config-readers';

export interface Config {
  readonly port: number;
  /**
   * The address the HTTP server listens on (HOST): an IP address or a host name. Default: 127.0.0.1 in local
   * mode (no inbound authentication, so loopback only; binding elsewhere takes an explicit HOST and logs a
   * loud warning), 0.0.0.0 with a bot registration (App Service routes to it).
   */
  readonly host: string;
  readonly production: boolean;
  readonly bot: {
    readonly appId: string;
    readonly password: Secret | undefined;
    readonly type: BotType;
    readonly tenantId: string | undefined;
    /** True when BOT_ID is empty: botbuilder then skips inbound authentication. Never in production. */
    readonly localMode: boolean;
  };
  /** The home tenant: the only tenant whose users the bot serves. */
  readonly tenantId: string;
  readonly cloud: CloudName;
  readonly graph: {
    /** Base URL without a trailing slash, e.g. https://graph.microsoft.com */
    readonly endpoint: string;
    readonly exportApiVersion: 'v1.0' | 'beta';
  };
  readonly auth: {
    readonly authorityHost: string;
    /** Instance discovery asks login.microsoftonline.com about the authority; off for non-Microsoft hosts. */
    readonly disableInstanceDiscovery: boolean;
    readonly credential: GraphCredentialConfig;
  };
  readonly adminRoleTemplateIds: readonly string[];
  readonly approvalsChannelId: string | undefined;
  readonly approvals: {
    /** A pending request reminds the channel after this long, and again each time it passes. */
    readonly remindAfterMs: number;
    /** A pending request expires after this long. */
    readonly expireAfterMs: number;
  };
  readonly storage: {
    /** Undefined means "start the embedded Azurite" (never in production). */
    readonly connectionString: Secret | undefined;
    readonly exportConnectionString: Secret | undefined;
    /** The export account's Azure resource id, for a portal link straight to its containers. */
    readonly exportAccountResourceId: string | undefined;
    /** Starts every table and queue name, so that several deployments can share one account ('' = none). */
    readonly prefix: string;
  };
  readonly worker: {
    /** How long a job is hidden while one instance handles it; after a crash it returns after this. */
    readonly leaseSeconds: number;
    /** Jobs one instance runs at the same time (1–32). */
    readonly concurrency: number;
  };
  readonly exports: {
    /** The longest wait between two reads of a running export operation. */
    readonly pollCapMs: number;
    /** Starts every export container's name. */
    readonly containerPrefix: string;
    /**
     * How long an export usually takes (EXPORT_EXPECTED_MINUTES), for the words "exports usually take …";
     * undefined: Graph's own "a few days, up to 30".
     */
    readonly expectedMs: number | undefined;
    /** The card shows progress at most this often (EXPORT_CARD_UPDATE_SECONDS, default 300). */
    readonly cardEveryMs: number;
  };
  /**
   * Crash-test failpoints (DSR_FAILPOINTS, e.g. `submit.after=0.3,poll.after=0.1`): the process kills itself
   * with that probability at the named point. Refused in production.
   */
  readonly failpoints: Readonly<Record<string, number>>;
  /**
   * The sandbox console of `npm start` (LOCAL_CONSOLE_URL, e.g. http://localhost:56160): in local mode, cards
   * link an export's container to the console's view of it. Refused in production.
   */
  readonly localConsoleUrl: string | undefined;
  /** Retention of each class of data, the audit container and the public URL of download links. */
  readonly records: RecordsConfig;
}

/**
 * Reads and validates the configuration (the table in README.md, "Configuration"). Throws a {@link ConfigError} naming the first
 * variable that is wrong. Pure: reads only the `env` it is given.
 */
export function readConfig(env: Env = process.env): Config {
  const production = value(env, 'NODE_ENV') === 'production';
  const appId = value(env, 'BOT_ID') ?? '';
  if (production && appId === '') {
    throw new ConfigError(
      'BOT_ID',
      'is required when NODE_ENV=production: without it botbuilder accepts unauthenticated requests on /api/messages.',
    );
  }
  if (appId !== '' && !GUID.test(appId)) {
    throw new ConfigError('BOT_ID', `"${appId}" is not a GUID: use the bot's Microsoft App ID.`);
  }
  const botType = readBotType(env);
  const botPassword = value(env, 'BOT_PASSWORD');
  const botTenantId = guid(env, 'BOT_TENANT_ID');
  if (appId !== '' && botType === 'SingleTenant' && botPassword === undefined) {
    throw new ConfigError('BOT_PASSWORD', 'is required for a SingleTenant bot (BOT_TYPE=SingleTenant).');
  }

  const tenantId = guid(env, 'AAD_APP_TENANT_ID');
  if (tenantId === undefined) {
    throw new ConfigError(
      'AAD_APP_TENANT_ID',
      'is required: the id of the home tenant whose admins use the bot (run `npm start` without configuration for the local sandbox tenant).',
    );
  }
  if (appId !== '' && botType !== 'MultiTenant' && botTenantId === undefined) {
    throw new ConfigError(
      'BOT_TENANT_ID',
      `is required for BOT_TYPE=${botType}: the tenant of the bot registration.`,
    );
  }

  const graphEndpointVar = httpsUrl(env, 'GRAPH_ENDPOINT');
  const authorityVar = httpsUrl(env, 'AAD_APP_OAUTH_AUTHORITY_HOST');
  const cloud = readCloud(env, graphEndpointVar, authorityVar);
  const endpoints = CLOUDS[cloud];
  const graphEndpoint = graphEndpointVar ?? endpoints.graph;
  const authorityHost = authorityVar ?? endpoints.authority;

  const approvalsChannelId = value(env, 'APPROVALS_CHANNEL_ID');
  if (approvalsChannelId !== undefined && !CHANNEL_ID.test(approvalsChannelId)) {
    throw new ConfigError(
      'APPROVALS_CHANNEL_ID',
      `"${approvalsChannelId}" is not a Teams channel conversation id (19:…@thread.tacv2). Or leave it empty and say "use this channel for approvals" in the channel.`,
    );
  }

  const connectionString = value(env, 'AZURE_STORAGE_CONNECTION_STRING');
  if (production && connectionString === undefined) {
    throw new ConfigError(
      'AZURE_STORAGE_CONNECTION_STRING',
      'is required when NODE_ENV=production (the embedded Azurite emulator is for local use only).',
    );
  }
  const exportConnectionString = value(env, 'EXPORT_STORAGE_CONNECTION_STRING');
  const exportAccountResourceId = value(env, 'EXPORT_STORAGE_ACCOUNT_ID');
  if (
    exportAccountResourceId !== undefined &&
    !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/[a-z0-9]{3,24}$/i.test(
      exportAccountResourceId,
    )
  ) {
    throw new ConfigError(
      'EXPORT_STORAGE_ACCOUNT_ID',
      `"${exportAccountResourceId}" is not a storage account resource id (/subscriptions/…/resourceGroups/…/providers/Microsoft.Storage/storageAccounts/…).`,
    );
  }
  const failpoints = readFailpoints(env, production);
  const storagePrefix = value(env, 'STORAGE_PREFIX');
  if (storagePrefix !== undefined && !/^[a-z][a-z0-9]{0,19}$/.test(storagePrefix)) {
    throw new ConfigError(
      'STORAGE_PREFIX',
      `"${storagePrefix}" must be a lower-case letter then up to 19 lower-case letters or digits (it starts table and queue names).`,
    );
  }

  const port = readPort(env);
  return {
    port,
    host: readHost(env, appId === ''),
    production,
    bot: {
      appId,
      password: botPassword === undefined ? undefined : new Secret(botPassword),
      type: botType,
      tenantId: botTenantId,
      localMode: appId === '',
    },
    tenantId,
    cloud,
    graph: { endpoint: graphEndpoint, exportApiVersion: endpoints.exportApiVersion },
    auth: {
      authorityHost,
      disableInstanceDiscovery: cloudOfHost(authorityHost) === undefined,
      credential: readCredential(env),
    },
    adminRoleTemplateIds: readRoleIds(env),
    approvalsChannelId,
    approvals: {
      remindAfterMs: positiveNumber(env, 'APPROVAL_REMINDER_HOURS', 24, 'hours') * 3600 * 1000,
      expireAfterMs: positiveNumber(env, 'APPROVAL_EXPIRY_DAYS', 7, 'days') * 24 * 3600 * 1000,
    },
    storage: {
      connectionString: connectionString === undefined ? undefined : new Secret(connectionString),
      exportConnectionString:
        exportConnectionString === undefined ? undefined : new Secret(exportConnectionString),
      exportAccountResourceId,
      prefix: storagePrefix ?? '',
    },
    worker: {
      leaseSeconds: positiveNumber(env, 'WORKER_LEASE_SECONDS', 60, 'seconds'),
      concurrency: Math.min(
        32,
        Math.max(1, Math.round(positiveNumber(env, 'WORKER_CONCURRENCY', 16, 'jobs'))),
      ),
    },
    exports: {
      pollCapMs: positiveNumber(env, 'EXPORT_POLL_MAX_MINUTES', 60, 'minutes') * 60 * 1000,
      containerPrefix: readContainerPrefix(env, storagePrefix),
      expectedMs: env.EXPORT_EXPECTED_MINUTES
        ? positiveNumber(env, 'EXPORT_EXPECTED_MINUTES', 1, 'minutes') * 60 * 1000
        : undefined,
      cardEveryMs: positiveNumber(env, 'EXPORT_CARD_UPDATE_SECONDS', 300, 'seconds') * 1000,
    },
    failpoints,
    localConsoleUrl: readLocalConsoleUrl(env, production),
    records: readRecords(env, production, port),
  };
}
