import type { TenantSandbox } from '../../../sandbox/tenant-sandbox';
import {
  startSandboxConsole,
  type ConsoleOptions,
  type SandboxConsole,
} from '../../../sandbox/console/console-server';
import { testStorageConnectionString } from '../../support/sandbox';

/** A sandbox console on a free port over the test Azurite. */
export function startConsole(
  sandbox: TenantSandbox,
  options: Partial<ConsoleOptions> = {},
): Promise<SandboxConsole> {
  return startSandboxConsole({
    sandbox,
    storageConnectionString: testStorageConnectionString(),
    botUrl: 'http://127.0.0.1:9',
    connectorUrl: 'http://localhost:9/_connector',
    port: 0,
    env: {},
    ...options,
  });
}

/** A JSON call to the console, as its page makes it. */
export async function call(
  c: SandboxConsole,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${c.url}${path}`, {
    method,
    ...(method === 'POST'
      ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) }
      : {}),
  });
  return { status: res.status, json: await res.json() };
}
