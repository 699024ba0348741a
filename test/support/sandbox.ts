import { readFileSync } from 'node:fs';
import {
  botEnvFor,
  startTenantSandbox,
  type SandboxOptions,
  type TenantSandbox,
} from '../../sandbox/tenant-sandbox';
import { readConfig, type Config } from '../../src/config';

/** Starts a tenant sandbox with the certificate `npm test` generated (trusted through NODE_EXTRA_CA_CERTS). */
export function startSandbox(options: Partial<SandboxOptions> = {}): Promise<TenantSandbox> {
  const certPath = process.env.SANDBOX_TLS_CERT;
  const keyPath = process.env.SANDBOX_TLS_KEY;
  if (!certPath || !keyPath)
    throw new Error('SANDBOX_TLS_CERT/SANDBOX_TLS_KEY are not set: run the tests with `npm test`.');
  return startTenantSandbox({
    tls: { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') },
    ...options,
  });
}

/** The environment a bot needs to use this sandbox as its tenant. */
export function sandboxEnv(
  sandbox: TenantSandbox,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...botEnvFor(sandbox),
    AZURE_STORAGE_CONNECTION_STRING: testStorageConnectionString(),
    ...extra,
  };
}

export function sandboxConfig(sandbox: TenantSandbox, extra: Record<string, string> = {}): Config {
  return readConfig(sandboxEnv(sandbox, extra));
}

export function testStorageConnectionString(): string {
  const cs = process.env.TEST_STORAGE_CONNECTION_STRING;
  if (!cs)
    throw new Error('TEST_STORAGE_CONNECTION_STRING is not set: the Jest global setup starts Azurite.');
  return cs;
}

/** Waits until `check` returns a truthy value, polling, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 10000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
