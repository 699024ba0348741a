import 'dotenv/config';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_CONSOLE_PORT,
  startSandboxConsole,
  type SandboxConsole,
} from '../sandbox/console/console-server';
import { startAzurite, type EmbeddedAzurite } from '../sandbox/embedded-azurite';
import { playgroundConfig } from '../sandbox/playground-config';
import { botEnvFor, startTenantSandbox, type TenantSandbox } from '../sandbox/tenant-sandbox';
import { BOT_NODE_FLAGS } from '../src/process-helpers';

/**
 * `npm start`. With no configuration it starts the whole product on one machine: Azurite, the tenant
 * sandbox (as Entra ID and Graph), the bot, and the Microsoft 365 Agents Playground, then prints where to
 * chat. With real configuration (AAD_APP_TENANT_ID set) it starts the bot only. Ctrl-C stops everything.
 *
 * Options: --as "Adele Vance" (chat as another Playground user), --no-playground.
 * Ports: PORT (bot, 3978), PLAYGROUND_PORT (56150), CONSOLE_PORT (56160), SANDBOX_PORT (any free).
 */

const root = path.resolve(__dirname, '..', '..');
const botEntry = path.join(root, 'dist', 'src', 'index.js');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function say(line: string): void {
  process.stdout.write(`[start] ${line}\n`);
}

async function waitForHttp(url: string, what: string, child: ChildProcess, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${what} exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s`);
}

function prefixOutput(child: ChildProcess, prefix: string): void {
  const pipe = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
    let buffered = '';
    stream?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') out.write(`[${prefix}] ${line}\n`);
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
}

/** The sandbox console beside the Playground, in this process (it drives the sandbox object directly). */
function startConsole(
  sandbox: TenantSandbox,
  azurite: EmbeddedAzurite,
  botPort: number,
  consolePort: number,
  playgroundPort: number | undefined,
): Promise<SandboxConsole> {
  return startSandboxConsole({
    sandbox,
    storageConnectionString: azurite.connectionString,
    botUrl: `http://127.0.0.1:${botPort}`,
    connectorUrl: playgroundPort === undefined ? undefined : `http://localhost:${playgroundPort}/_connector`,
    ...(playgroundPort === undefined ? {} : { playgroundUrl: `http://localhost:${playgroundPort}` }),
    port: consolePort,
  });
}

async function main(): Promise<void> {
  if (process.env.AAD_APP_TENANT_ID) {
    say('AAD_APP_TENANT_ID is set: starting the bot only, with your configuration.');
    const bot = spawn(process.execPath, [...BOT_NODE_FLAGS, botEntry], {
      stdio: 'inherit',
      env: process.env,
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => bot.kill(signal));
    bot.on('exit', (code) => process.exit(code ?? 1));
    return;
  }

  const certPath = process.env.SANDBOX_TLS_CERT;
  const keyPath = process.env.SANDBOX_TLS_KEY;
  if (!certPath || !keyPath || !process.env.NODE_EXTRA_CA_CERTS) {
    throw new Error('Run this through `npm start`: it creates the sandbox certificate and trusts it.');
  }
  // The whole local stack is sandbox tooling (the console above all): never with NODE_ENV=production.
  if (process.env.NODE_ENV?.trim() === 'production') {
    throw new Error(
      'NODE_ENV=production: the local sandbox, the Playground and the sandbox console are local tooling and do not start. Set your configuration (AAD_APP_TENANT_ID …) to start the bot only.',
    );
  }
  const children: ChildProcess[] = [];
  let azurite: EmbeddedAzurite | undefined;
  let sandbox: TenantSandbox | undefined;
  let sandboxConsole: SandboxConsole | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('Stopping everything…');
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            const force = setTimeout(() => c.kill('SIGKILL'), 8000);
            c.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            c.kill('SIGTERM');
          }),
      ),
    );
    await sandboxConsole?.close();
    await sandbox?.close();
    await azurite?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const local = path.join(root, '.local');
    azurite = await startAzurite({
      location: path.resolve(process.env.AZURITE_LOCATION ?? path.join(local, 'azurite')),
      ports: { blob: 10000, queue: 10001, table: 10002 },
    });
    say(`Azurite (blob ${azurite.ports.blob}, queue ${azurite.ports.queue}, table ${azurite.ports.table})`);

    sandbox = await startTenantSandbox({
      tls: { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') },
      port: Number(process.env.SANDBOX_PORT ?? 0),
      retryAfterSeconds: Number(process.env.SANDBOX_RETRY_AFTER_SECONDS ?? 10),
      // Real exports take days; the sandbox's take two minutes so that a demo reaches the end.
      exportDurationMs: Number(process.env.SANDBOX_EXPORT_MINUTES ?? 2) * 60_000,
    });
    say(
      `Tenant sandbox (Entra ID + Microsoft Graph for "${sandbox.tenant.displayName}") at ${sandbox.origin}`,
    );

    const botPort = Number(process.env.PORT ?? 3978);
    const consolePort = Number(process.env.CONSOLE_PORT ?? DEFAULT_CONSOLE_PORT);
    const consoleUrl = `http://localhost:${consolePort}`;
    // restify reads a deprecated Node internal (DEP0111) at load time; the warning is noise, not a fault.
    const bot = spawn(process.execPath, [...BOT_NODE_FLAGS, '--disable-warning=DEP0111', botEntry], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(botPort),
        ...botEnvFor(sandbox),
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        // Look at the sandbox's short exports every 15 s (a real deployment keeps the default hour).
        // Progress on the card moves at least every 20 s here (a deployment keeps 5 minutes), and the
        // words say the sandbox's own pace instead of Graph's "a few days".
        EXPORT_POLL_MAX_MINUTES: process.env.EXPORT_POLL_MAX_MINUTES ?? '0.25',
        EXPORT_CARD_UPDATE_SECONDS: process.env.EXPORT_CARD_UPDATE_SECONDS ?? '15',
        EXPORT_EXPECTED_MINUTES:
          process.env.EXPORT_EXPECTED_MINUTES ?? process.env.SANDBOX_EXPORT_MINUTES ?? '2',
        // The cards link an export's container to the sandbox console's view of it.
        LOCAL_CONSOLE_URL: consoleUrl,
      },
    });
    children.push(bot);
    prefixOutput(bot, 'bot');
    await waitForHttp(`http://127.0.0.1:${botPort}/healthz`, 'The bot', bot);
    say(`Bot at http://127.0.0.1:${botPort}/api/messages (local mode: no inbound authentication)`);

    if (!process.argv.includes('--no-playground')) {
      const as = arg('--as');
      let configPath = path.join(root, '.m365agentsplayground.yml');
      if (as) {
        const dir = path.join(local, 'playground');
        mkdirSync(dir, { recursive: true });
        configPath = path.join(dir, `${as.replace(/\W+/g, '-').toLowerCase()}.yml`);
        writeFileSync(configPath, playgroundConfig(as));
      }
      const playgroundPort = Number(process.env.PLAYGROUND_PORT ?? 56150);
      const playground = spawn(
        process.execPath,
        [
          require.resolve('@microsoft/m365agentsplayground/cli.js'),
          '--app-endpoint',
          `http://127.0.0.1:${botPort}/api/messages`,
          '--channel-id',
          'msteams',
          '--port',
          String(playgroundPort),
          '--disable-telemetry',
        ],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          cwd: root,
          env: {
            ...process.env,
            TEAMSAPPTESTER_BROWSER: 'none',
            M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
            M365_AGENTS_PLAYGROUND_LOGFILE: path.join(local, 'playground', 'playground.log'),
          },
        },
      );
      children.push(playground);
      prefixOutput(playground, 'playground');
      await waitForHttp(`http://127.0.0.1:${playgroundPort}/`, 'The Agents Playground', playground);
      sandboxConsole = await startConsole(sandbox, azurite, botPort, consolePort, playgroundPort);
      say('');
      say(`Ready. Open http://localhost:${playgroundPort} and chat with the bot: try "help" and "whoami".`);
      say(
        `You are ${as ?? 'Alex Wilber (Global Administrator)'}; run \`npm start -- --as "Adele Vance"\` to be someone else.`,
      );
      say(
        `Sandbox console: ${sandboxConsole.url} (act as another user on approval cards, export files, controls)`,
      );
      say('Press Ctrl-C to stop everything.');
    } else {
      sandboxConsole = await startConsole(sandbox, azurite, botPort, consolePort, undefined);
      say(`Sandbox console: ${sandboxConsole.url}`);
      say('Ready (no Playground). Press Ctrl-C to stop everything.');
    }
    for (const child of children) {
      child.on('exit', (code) => {
        if (!stopping) {
          say(`A component exited unexpectedly (code ${code}); stopping.`);
          void stop(1);
        }
      });
    }
  } catch (err) {
    process.stderr.write(`[start] ${err instanceof Error ? err.message : String(err)}\n`);
    await stop(1);
  }
}

main().catch((err: unknown) => {
  // Refusals before anything started (no certificate, NODE_ENV=production): one line, exit 1.
  process.stderr.write(`[start] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
