import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../sandbox/embedded-azurite';

/** The local stack of `npm start`, for the end-to-end tests (./local-stack.e2e.test.ts). */

const root = path.resolve(__dirname, '..', '..');

export interface Stack {
  readonly playgroundUrl: string;
  /** The sandbox console `npm start` runs beside the Playground. */
  readonly consoleUrl: string;
  readonly process: ChildProcess;
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `npm start`'s orchestrator (the compiled dist/scripts/start.js, through the sandbox certificate) on
 * free ports and waits for its ready lines: Azurite, the tenant sandbox, the bot, the Playground and the console.
 */
export async function startStack(as?: string, env: Record<string, string> = {}): Promise<Stack> {
  const [botPort, playgroundPort, consolePort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dsr-e2e-'));
  const args = [
    path.join(root, 'scripts', 'sandbox-ca.cjs'),
    process.execPath,
    path.join(root, 'dist', 'scripts', 'start.js'),
  ];
  if (as) args.push('--as', as);
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(botPort),
      PLAYGROUND_PORT: String(playgroundPort),
      CONSOLE_PORT: String(consolePort),
      AZURITE_LOCATION: dataDir,
      AAD_APP_TENANT_ID: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The stack did not get ready within 90 s:\n${output}`)),
      90000,
    );
    const check = () => {
      // The last of the ready lines (the console's address is among them).
      if (output.includes('[start] Ready.') && output.includes('[start] Press Ctrl-C')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The stack exited (${code}) before it was ready:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    playgroundUrl: `http://127.0.0.1:${playgroundPort}/`,
    consoleUrl: /\[start\] Sandbox console: (http:\/\/localhost:\d+)/.exec(output)?.[1] ?? '',
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => {
          rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
