import { readFileSync } from 'node:fs';
import { DEMO_TENANT, type SandboxUser } from '../sandbox/demo-tenant';
import { startLocalConnector } from '../sandbox/local-connector';
import { botEnvFor, startTenantSandbox } from '../sandbox/tenant-sandbox';

/**
 * Microsoft Graph, Entra ID and Teams for a bench step, in a process of their own (forked by
 * `startRemoteServices` in bench/stack.ts): in production they answer from other machines, so the CPU they
 * spend is not the bot's. Started with the extra users of the tenant; answers with the bot's environment and
 * the connector's service URL, then runs until its parent disconnects.
 */

/** The parent's one message: who else is in the tenant. */
export interface ServicesStart {
  readonly users: readonly SandboxUser[];
}

/** The child's answer. */
export interface ServicesReady {
  readonly botEnv: Record<string, string>;
  readonly serviceUrl: string;
}

async function start(message: ServicesStart): Promise<void> {
  const sandbox = await startTenantSandbox({
    tenant: { ...DEMO_TENANT, users: [...DEMO_TENANT.users, ...message.users] },
    tls: {
      cert: readFileSync(process.env.SANDBOX_TLS_CERT!, 'utf8'),
      key: readFileSync(process.env.SANDBOX_TLS_KEY!, 'utf8'),
    },
  });
  const connector = await startLocalConnector({ record: false });
  process.once('disconnect', () => {
    void Promise.all([sandbox.close(), connector.close()]).finally(() => process.exit(0));
  });
  const ready: ServicesReady = { botEnv: botEnvFor(sandbox), serviceUrl: connector.serviceUrl };
  process.send?.(ready);
}

process.once('message', (message: ServicesStart) => {
  start(message).catch((err: unknown) => {
    process.stderr.write(
      `bench services: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
});
