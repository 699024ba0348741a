import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './logger';

/* What the composition root hands its parts: timers and the crash-test failpoints. */

/**
 * The Node flags the bot runs with in production (infra/main.bicep's appCommandLine; a test holds them equal):
 * a heap limit of its own, well inside the plan's memory, rather than one V8 sizes from the host (on a large
 * host V8 lets garbage pile up to several times what the bot holds before it collects). Local runs and the
 * bench start the bot with them too.
 */
export const BOT_NODE_FLAGS: readonly string[] = ['--max-old-space-size=1024'];

/**
 * Crash-test failpoints: the process kills itself (SIGKILL, no clean-up) with the configured probability
 * at a named point. Only when DSR_FAILPOINTS is set (refused in production).
 */
export function failpointsFrom(points: Readonly<Record<string, number>>, log: Logger) {
  if (Object.keys(points).length === 0) return undefined;
  return (name: string) => {
    const p = points[name];
    if (p !== undefined && Math.random() < p) {
      log.warn('Failpoint: killing the process', { failpoint: name });
      process.kill(process.pid, 'SIGKILL');
    }
  };
}

/** Resolves after `ms` without keeping the process alive: the one timer the app hands to its parts. */
export function delay(ms: number): Promise<void> {
  return sleep(ms, undefined, { ref: false });
}

/** `promise`, or a rejection after `ms` (the timer is cancelled as soon as the promise settles). */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  const cancel = new AbortController();
  const timeout = sleep(ms, undefined, { ref: false, signal: cancel.signal }).then(
    () => Promise.reject(new Error(`no answer within ${ms} ms`)),
    () => new Promise<never>(() => undefined), // cancelled: never settles, and never rejects unhandled
  );
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    cancel.abort();
  }
}
