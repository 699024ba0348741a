import path from 'node:path';
import { createApp, type App } from './compose';
import { ConfigError, isLoopbackHost, readConfig, type Config } from './config';
import { describeError, type Logger } from './logger';

/** A storage emulator on this machine (local tooling: the embedded Azurite in sandbox/). */
export interface LocalStorage {
  readonly connectionString: string;
  readonly ports: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

/** Starts local storage with its data under `location`; given by the entry point, never used in production. */
export type StartLocalStorage = (location: string) => Promise<LocalStorage>;

export interface RunningBot {
  readonly config: Config;
  readonly app: App;
  /** Where this machine reaches the bot: the bound address (loopback for a wildcard bind). */
  readonly url: string;
  /**
   * Stops taking requests and jobs, lets jobs in hand finish for at most `graceMs` (when given), then stops the
   * embedded Azurite if one was started.
   */
  stop(graceMs?: number): Promise<void>;
}

/** `host:port` of a bound address, IPv6 in brackets. */
function hostPort(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** The base URL this machine reaches a bound address at: a wildcard bind (0.0.0.0, ::) via loopback. */
function localUrl(bound: {
  readonly address: string;
  readonly port: number;
  readonly family: string;
}): string {
  const wildcard = bound.address === '0.0.0.0' || bound.address === '::';
  const host = !wildcard ? bound.address : bound.family === 'IPv6' ? '::1' : '127.0.0.1';
  return `http://${hostPort(host, bound.port)}`;
}

/**
 * Starts the bot from an environment: validates configuration (throws ConfigError naming the variable),
 * starts the embedded Azurite when no storage is configured (never in production), and listens on HOST
 * (loopback only in local mode unless HOST says otherwise).
 */
export async function startBot(
  env: NodeJS.ProcessEnv,
  log: Logger,
  startLocalStorage?: StartLocalStorage,
): Promise<RunningBot> {
  const config = readConfig(env);
  if (config.bot.localMode) {
    log.warn(
      'BOT_ID is empty: LOCAL MODE. Requests to /api/messages are NOT authenticated. Never expose this instance; set BOT_ID, BOT_PASSWORD and BOT_TENANT_ID outside local development.',
    );
  }
  let azurite: LocalStorage | undefined;
  let storageConnectionString = config.storage.connectionString?.reveal();
  if (storageConnectionString === undefined) {
    if (!startLocalStorage) {
      throw new ConfigError(
        'AZURE_STORAGE_CONNECTION_STRING',
        'is required: no local storage emulator is available to this process.',
      );
    }
    const location = path.resolve(env.AZURITE_LOCATION ?? '.local/azurite');
    azurite = await startLocalStorage(location);
    storageConnectionString = azurite.connectionString;
    log.info('Started the embedded Azurite storage emulator', { location, ports: azurite.ports });
    log.info(
      'Local mode: the audit container has no immutability policy (Azurite does not enforce WORM); seals are write-once by the bot only.',
    );
  }
  try {
    const app = await createApp({
      config,
      storageConnectionString,
      log,
    });
    await app.listen(config.port, config.host);
    const bound = app.server.address();
    const address = hostPort(bound.address, bound.port);
    const url = localUrl(bound);
    if (config.bot.localMode && !isLoopbackHost(bound.address)) {
      log.warn(
        `LOCAL MODE ON ${address}, which is not a loopback address: /api/messages is NOT authenticated and other machines can reach it, so anyone who can connect can act as any Teams user. Unset HOST (local mode listens on 127.0.0.1), or set BOT_ID, BOT_PASSWORD and BOT_TENANT_ID.`,
        { address, host: config.host },
      );
    }
    // Say which Graph permissions the bot's token really carries (a missing one is the usual first problem).
    app.graphPermissions().then(
      (p) =>
        p.missing.length === 0
          ? log.info('Graph application permissions in the bot token', { granted: p.granted })
          : log.warn(
              `The bot's Graph token lacks ${p.missing.join(' and ')}: grant ${p.missing.length > 1 ? 'them' : 'it'} as application permissions with admin consent (docs/deploy.md, step 4)`,
              { granted: p.granted, missing: p.missing },
            ),
      (err: unknown) =>
        log.warn('Could not get a Graph token to check permissions', { error: describeError(err) }),
    );
    log.info('Bot listening', {
      address,
      messages: `${url}/api/messages`,
      health: `${url}/healthz`,
      cloud: config.cloud,
    });
    return {
      config,
      app,
      url,
      stop: async (graceMs?: number) => {
        await app.close(graceMs);
        await azurite?.stop();
      },
    };
  } catch (err) {
    await azurite?.stop();
    throw err;
  }
}
