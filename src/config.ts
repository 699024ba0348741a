import { isIP } from 'node:net';
import { Secret } from './secret';

/** The Microsoft clouds the bot knows. Each has its own Graph and Entra ID hosts. */
export type CloudName = 'global' | 'usgov' | 'usgovdod' | 'china';

export interface CloudEndpoints {
  readonly graph: string;
  readonly authority: string;
  /** `exportPersonalData` is v1.0 only in the global cloud; national clouds have it in beta. */
  readonly exportApiVersion: 'v1.0' | 'beta';
  /** Azure portal host, for links to the export container. */
  readonly portal: string;
}

export const CLOUDS: Readonly<Record<CloudName, CloudEndpoints>> = {
  global: {
    graph: 'https://graph.microsoft.com',
    authority: 'https://login.microsoftonline.com',
    exportApiVersion: 'v1.0',
    portal: 'https://portal.azure.com',
  },
  usgov: {
    graph: 'https://graph.microsoft.us',
    authority: 'https://login.microsoftonline.us',
    exportApiVersion: 'beta',
    portal: 'https://portal.azure.us',
  },
  usgovdod: {
    graph: 'https://dod-graph.microsoft.us',
    authority: 'https://login.microsoftonline.us',
    exportApiVersion: 'beta',
    portal: 'https://portal.azure.us',
  },
  china: {
    graph: 'https://microsoftgraph.chinacloudapi.cn',
    authority: 'https://login.chinacloudapi.cn',
    exportApiVersion: 'beta',
    portal: 'https://portal.azure.cn',
  },
};

export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

/** How the bot proves itself to Entra ID when it calls Microsoft Graph. */
export type GraphCredentialConfig =
  | { readonly kind: 'clientSecret'; readonly clientId: string; readonly secret: Secret }
  | { readonly kind: 'certificate'; readonly clientId: string; readonly certificatePath: string }
  | { readonly kind: 'managedIdentity'; readonly clientId: string | undefined };

export type BotType = 'SingleTenant' | 'UserAssignedMSI' | 'MultiTenant';

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
  };
  /**
   * Crash-test failpoints (DSR_FAILPOINTS, e.g. `submit.after=0.3,poll.after=0.1`): the process kills itself
   * with that probability at the named point. Refused in production.
   */
  readonly failpoints: Readonly<Record<string, number>>;
}

/** A configuration problem, naming the variable and what to do about it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHANNEL_ID = /^19:[^\s]+@thread\.(tacv2|skype)$/;

type Env = Readonly<Record<string, string | undefined>>;

function value(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

function guid(env: Env, name: string): string | undefined {
  const v = value(env, name);
  if (v !== undefined && !GUID.test(v)) {
    throw new ConfigError(name, `"${v}" is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).`);
  }
  return v?.toLowerCase();
}

function httpsUrl(env: Env, name: string): string | undefined {
  const v = value(env, name);
  if (v === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new ConfigError(name, `"${v}" is not a URL.`);
  }
  if (url.protocol !== 'https:') {
    throw new ConfigError(
      name,
      `must use https (the Graph client only attaches tokens over https; trust a local test server through NODE_EXTRA_CA_CERTS).`,
    );
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** Which cloud a Graph or authority URL belongs to, or undefined for a non-Microsoft host (a test server). */
export function cloudOfHost(url: string): CloudName | undefined {
  const host = new URL(url).hostname.toLowerCase();
  for (const [name, endpoints] of Object.entries(CLOUDS) as [CloudName, CloudEndpoints][]) {
    if (new URL(endpoints.graph).hostname === host) return name;
  }
  if (host === 'login.microsoftonline.com') return 'global';
  if (host === 'login.microsoftonline.us') return 'usgov';
  if (host === 'login.chinacloudapi.cn') return 'china';
  return undefined;
}

function readCloud(
  env: Env,
  graphEndpoint: string | undefined,
  authorityHost: string | undefined,
): CloudName {
  const explicit = value(env, 'AZURE_CLOUD');
  if (explicit !== undefined) {
    const name = explicit.toLowerCase();
    if (!(name in CLOUDS)) {
      throw new ConfigError('AZURE_CLOUD', `"${explicit}" is not one of ${Object.keys(CLOUDS).join(', ')}.`);
    }
    return name as CloudName;
  }
  return (
    (graphEndpoint && cloudOfHost(graphEndpoint)) || (authorityHost && cloudOfHost(authorityHost)) || 'global'
  );
}

function readPort(env: Env): number {
  const v = value(env, 'PORT');
  if (v === undefined) return 3978;
  const port = Number(v);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', `"${v}" is not a TCP port number (0–65535).`);
  }
  return port;
}

const HOST_NAME =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

function readHost(env: Env, localMode: boolean): string {
  const v = value(env, 'HOST');
  if (v === undefined) return localMode ? '127.0.0.1' : '0.0.0.0';
  const unbracketed = /^\[(.*)\]$/.exec(v)?.[1] ?? v;
  if (isIP(unbracketed) !== 0) return unbracketed;
  if (HOST_NAME.test(v)) return v;
  throw new ConfigError(
    'HOST',
    `"${v}" is not an IP address or host name to listen on (e.g. 127.0.0.1, 0.0.0.0, ::); no scheme, no port.`,
  );
}

/** True for an address only this machine can reach: 127.0.0.0/8, ::1 (also IPv4-mapped), localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^::ffff:/, '');
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

function readBotType(env: Env): BotType {
  const v = value(env, 'BOT_TYPE') ?? 'SingleTenant';
  const known: BotType[] = ['SingleTenant', 'UserAssignedMSI', 'MultiTenant'];
  const match = known.find((k) => k.toLowerCase() === v.toLowerCase());
  if (!match) throw new ConfigError('BOT_TYPE', `"${v}" is not one of ${known.join(', ')}.`);
  return match;
}

function readCredential(env: Env): GraphCredentialConfig {
  const clientId = guid(env, 'AAD_APP_CLIENT_ID');
  const secret = value(env, 'AAD_APP_CLIENT_SECRET');
  const certificatePath = value(env, 'AAD_APP_CERTIFICATE_PATH');
  if (secret !== undefined && certificatePath !== undefined) {
    throw new ConfigError(
      'AAD_APP_CLIENT_SECRET',
      'set either AAD_APP_CLIENT_SECRET or AAD_APP_CERTIFICATE_PATH, not both.',
    );
  }
  if (secret !== undefined || certificatePath !== undefined) {
    if (clientId === undefined) {
      throw new ConfigError(
        'AAD_APP_CLIENT_ID',
        'is required with a client secret or certificate: the application (client) id of the Entra app.',
      );
    }
    return secret !== undefined
      ? { kind: 'clientSecret', clientId, secret: new Secret(secret) }
      : { kind: 'certificate', clientId, certificatePath: certificatePath! };
  }
  return { kind: 'managedIdentity', clientId };
}

function readRoleIds(env: Env): string[] {
  const v = value(env, 'ADMIN_ROLE_TEMPLATE_IDS');
  if (v === undefined) return [GLOBAL_ADMINISTRATOR];
  const ids = v
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (ids.length === 0) throw new ConfigError('ADMIN_ROLE_TEMPLATE_IDS', 'lists no role template id.');
  for (const id of ids) {
    if (!GUID.test(id)) {
      throw new ConfigError('ADMIN_ROLE_TEMPLATE_IDS', `"${id}" is not a role template id (a GUID).`);
    }
  }
  return [...new Set(ids)];
}

function positiveNumber(env: Env, name: string, fallback: number, unit: string): number {
  const v = value(env, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new ConfigError(name, `"${v}" is not a positive number of ${unit}.`);
  return n;
}

/**
 * Reads and validates the configuration contract (BRIEF §6). Throws a {@link ConfigError} naming the first
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

  return {
    port: readPort(env),
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
    },
    failpoints,
  };
}

function readContainerPrefix(env: Env, storagePrefix: string | undefined): string {
  const prefix = value(env, 'EXPORT_CONTAINER_PREFIX') ?? storagePrefix ?? 'dsr';
  if (!/^[a-z0-9]{1,20}$/.test(prefix)) {
    throw new ConfigError(
      'EXPORT_CONTAINER_PREFIX',
      `"${prefix}" must be 1–20 lower-case letters or digits (it starts blob container names).`,
    );
  }
  return prefix;
}

function readFailpoints(env: Env, production: boolean): Record<string, number> {
  const raw = value(env, 'DSR_FAILPOINTS');
  if (raw === undefined) return {};
  if (production) {
    throw new ConfigError(
      'DSR_FAILPOINTS',
      'is for crash tests only and is refused when NODE_ENV=production.',
    );
  }
  const points: Record<string, number> = {};
  for (const part of raw.split(',')) {
    const [name, p] = part.split('=').map((x) => x.trim());
    const probability = Number(p);
    if (!name || !Number.isFinite(probability) || probability < 0 || probability > 1) {
      throw new ConfigError('DSR_FAILPOINTS', `"${part}" is not name=probability (0–1).`);
    }
    points[name] = probability;
  }
  return points;
}
