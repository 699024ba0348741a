import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { TenantSandbox } from '../../sandbox/tenant-sandbox';
import { createApp, type App } from '../../src/app';
import { readConfig, type Config } from '../../src/config';
import { silentLogger, type Logger } from '../../src/logger';
import { startLocalConnector, type LocalConnector } from '../../sandbox/local-connector';
import { sandboxEnv, startSandbox, testStorageConnectionString } from './sandbox';

export interface BotHarness {
  readonly app: App;
  readonly url: string;
  readonly config: Config;
  readonly sandbox: TenantSandbox;
  readonly connector: LocalConnector;
  /** POSTs an activity to /api/messages, as the Teams channel does. */
  post(activity: Partial<Activity> | string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The whole bot in-process on real parts: HTTP server on a free port, Azurite (from the global setup),
 * the tenant sandbox as Entra ID and Graph, and a local connector receiving what the bot sends.
 */
export async function startBotHarness(
  options: { env?: Record<string, string>; sandbox?: TenantSandbox; log?: Logger; storage?: string } = {},
): Promise<BotHarness> {
  const sandbox = options.sandbox ?? (await startSandbox());
  const connector = await startLocalConnector();
  const config = readConfig(sandboxEnv(sandbox, options.env));
  const app = await createApp({
    config,
    storageConnectionString: options.storage ?? testStorageConnectionString(),
    log: options.log ?? silentLogger,
  });
  const url = await app.listen(0, '127.0.0.1');
  return {
    app,
    url,
    config,
    sandbox,
    connector,
    post: (activity, headers = {}) =>
      fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: typeof activity === 'string' ? activity : JSON.stringify(activity),
      }),
    close: async () => {
      await app.close();
      await connector.close();
      if (!options.sandbox) await sandbox.close();
    },
  };
}

export const uniqueName = (prefix: string) => `${prefix}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
