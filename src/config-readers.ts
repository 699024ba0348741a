import { isIP } from 'node:net';
import { CLOUDS, cloudOfHost, type CloudName } from './clouds';
import { GUID } from './domain/identity';
import { Secret } from './secret';

export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

/* Readers of single configuration variables, each failing fast with a ConfigError naming the variable. */

/** How the bot proves itself to Entra ID when it calls Microsoft Graph. */
export type GraphCredentialConfig =
  | { readonly kind: 'clientSecret'; readonly clientId: string; readonly secret: Secret }
  | { readonly kind: 'certificate'; readonly clientId: string; readonly certificatePath: string }
  | { readonly kind: 'managedIdentity'; readonly clientId: string | undefined };

export type BotType = 'SingleTenant' | 'UserAssignedMSI' | 'MultiTenant';

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

export const CHANNEL_ID = /^19:[^\s]+@thread\.(tacv2|skype)$/;

export type Env = Readonly<Record<string, string | undefined>>;

export function value(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function guid(env: Env, name: string): string | undefined {
  const v = value(env, name);
  if (v !== undefined && !GUID.test(v)) {
    throw new ConfigError(name, `"${v}" is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).`);
  }
  return v?.toLowerCase();
}

export function httpsUrl(env: Env, name: string): string | undefined {
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

export function readCloud(
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

export function readPort(env: Env): number {
  const v = value(env, 'PORT');
  if (v === undefined) return 3978;
  const port = Number(v);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', `"${v}" is not a TCP port number (0–65535).`);
  }
  return port;
}

export const HOST_NAME =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export function readHost(env: Env, localMode: boolean): string {
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

export function readBotType(env: Env): BotType {
  const v = value(env, 'BOT_TYPE') ?? 'SingleTenant';
  const known: BotType[] = ['SingleTenant', 'UserAssignedMSI', 'MultiTenant'];
  const match = known.find((k) => k.toLowerCase() === v.toLowerCase());
  if (!match) throw new ConfigError('BOT_TYPE', `"${v}" is not one of ${known.join(', ')}.`);
  return match;
}

export function readCredential(env: Env): GraphCredentialConfig {
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

export function readRoleIds(env: Env): string[] {
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

export function positiveNumber(env: Env, name: string, fallback: number, unit: string): number {
  const v = value(env, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new ConfigError(name, `"${v}" is not a positive number of ${unit}.`);
  return n;
}

export function readContainerPrefix(env: Env, storagePrefix: string | undefined): string {
  const prefix = value(env, 'EXPORT_CONTAINER_PREFIX') ?? storagePrefix ?? 'dsr';
  if (!/^[a-z0-9]{1,20}$/.test(prefix)) {
    throw new ConfigError(
      'EXPORT_CONTAINER_PREFIX',
      `"${prefix}" must be 1–20 lower-case letters or digits (it starts blob container names).`,
    );
  }
  return prefix;
}

export function readFailpoints(env: Env, production: boolean): Record<string, number> {
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

/**
 * LOCAL_CONSOLE_URL: the sandbox console `npm start` runs beside the Playground, for the cards' container link
 * in local mode. Local tooling only: refused when NODE_ENV=production, and only on this machine (loopback).
 */
export function readLocalConsoleUrl(env: Env, production: boolean): string | undefined {
  const v = value(env, 'LOCAL_CONSOLE_URL');
  if (v === undefined) return undefined;
  if (production) {
    throw new ConfigError(
      'LOCAL_CONSOLE_URL',
      'is the local sandbox console of `npm start` and is refused when NODE_ENV=production.',
    );
  }
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new ConfigError('LOCAL_CONSOLE_URL', `"${v}" is not a URL.`);
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    !isLoopbackHost(url.hostname.replace(/^\[|\]$/g, ''))
  ) {
    throw new ConfigError(
      'LOCAL_CONSOLE_URL',
      `"${v}" is not a console on this machine: use http://localhost:<port> (the sandbox console is local only).`,
    );
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
