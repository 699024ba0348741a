import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface EmbeddedAzurite {
  readonly connectionString: string;
  readonly ports: { blob: number; queue: number; table: number };
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Folder for data that survives restarts; in-memory when absent. */
  readonly location?: string;
  /** Preferred ports; a busy or absent port is replaced by a free one. */
  readonly ports?: { blob: number; queue: number; table: number };
  readonly startTimeoutMs?: number;
  /** A module the emulator's Node process loads first (`node -r`); the in-flight benchmark uses one. */
  readonly preload?: string;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function choosePort(preferred: number | undefined, taken: Set<number>): Promise<number> {
  if (preferred !== undefined && !taken.has(preferred) && (await portFree(preferred))) return preferred;
  for (;;) {
    const port = await freePort();
    if (!taken.has(port)) return port;
  }
}

export function azuriteConnectionString(ports: { blob: number; queue: number; table: number }): string {
  const base = 'http://127.0.0.1';
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${AZURITE_ACCOUNT}`,
    `AccountKey=${AZURITE_KEY}`,
    `BlobEndpoint=${base}:${ports.blob}/${AZURITE_ACCOUNT}`,
    `QueueEndpoint=${base}:${ports.queue}/${AZURITE_ACCOUNT}`,
    `TableEndpoint=${base}:${ports.table}/${AZURITE_ACCOUNT}`,
  ].join(';');
}

/**
 * Starts the Azurite emulator (blob, queue, table) as a child process and resolves once all three services
 * listen. Used when AZURE_STORAGE_CONNECTION_STRING is absent, and by the tests.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<EmbeddedAzurite> {
  const taken = new Set<number>();
  const blob = await choosePort(options.ports?.blob, taken);
  taken.add(blob);
  const queue = await choosePort(options.ports?.queue, taken);
  taken.add(queue);
  const table = await choosePort(options.ports?.table, taken);
  const ports = { blob, queue, table };

  const args = [
    require.resolve('azurite/dist/src/azurite.js'),
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    String(blob),
    '--queueHost',
    '127.0.0.1',
    '--queuePort',
    String(queue),
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(table),
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--loose',
  ];
  if (options.location) {
    mkdirSync(options.location, { recursive: true });
    args.push('--location', options.location);
  } else {
    args.push('--inMemoryPersistence');
  }
  const node = options.preload ? ['-r', options.preload] : [];
  const child: ChildProcess = spawn(process.execPath, [...node, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`Azurite did not start within ${options.startTimeoutMs ?? 30000} ms:\n${output}`)),
      options.startTimeoutMs ?? 30000,
    );
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = output.match(/successfully listening at/g)?.length ?? 0;
      if (listening >= 3) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => fail(new Error(`Azurite exited with code ${code}:\n${output}`)));
    child.once('error', fail);
  });
  child.removeAllListeners('exit');
  child.stdout?.resume();
  child.stderr?.resume();

  return {
    connectionString: azuriteConnectionString(ports),
    ports,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
