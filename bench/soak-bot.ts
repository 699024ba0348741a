import { createApp } from '../src/compose';
import { readConfig } from '../src/config';
import type { Clock } from '../src/domain/ports';
import type { SoakCommand, SoakMessage, SoakSample } from './soak-protocol';

/**
 * The bot of the soak (bench/soak.ts), in a process of its own so that its memory is the bot's alone: the
 * composition root of production (`createApp`, its job worker running) on the environment the soak passes, on
 * the soak's compressed clock. Started with `--expose-gc` by `fork`; it answers the soak's commands over IPC.
 */

const MB = 1024 * 1024;

/** Counts what the bot logs as a problem and keeps the last five lines (message and error code only). */
function countingLogger() {
  const log = { warnings: 0, errors: 0, last: [] as string[] };
  const note = (kind: 'warnings' | 'errors') => (message: string, fields?: Record<string, unknown>) => {
    log[kind]++;
    log.last = [
      ...log.last,
      `${kind}: ${message} ${JSON.stringify(fields?.error ?? '')}`.slice(0, 300),
    ].slice(-5);
  };
  return Object.assign(log, { info: () => undefined, warn: note('warnings'), error: note('errors') });
}

async function main(): Promise<void> {
  const send = (m: SoakMessage) => process.send?.(m);
  const [start, realStart, speed] = ['SOAK_START_MS', 'SOAK_REAL_START_MS', 'SOAK_SPEED'].map((name) => {
    const v = Number(process.env[name]);
    if (!Number.isFinite(v)) throw new Error(`${name} is not set: start the soak bot from bench/soak.ts`);
    return v;
  }) as [number, number, number];
  // The soak's compressed clock: the same function of real time in both processes.
  const clock: Clock = { now: () => new Date(start + (Date.now() - realStart) * speed) };
  const log = countingLogger();
  const app = await createApp({
    config: readConfig(process.env),
    storageConnectionString: process.env.AZURE_STORAGE_CONNECTION_STRING ?? '',
    log,
    ports: { clock },
    // The worker runs as in production; the outbox sweep and the daily digest do not: their grace periods are
    // simulated time and their intervals real time, so on a fast clock the sweep would take every hand-over in
    // progress for an abandoned one and hand it over again.
    // Timers hide for their simulated delay ÷ speed, so that they surface when the soak's clock reaches them, as
    // in production, instead of early and re-armed over and over (which measures the emulator, not the bot).
    tuning: {
      startWorker: false,
      clockSpeed: speed,
      exportTiming: { containerPrefix: process.env.STORAGE_PREFIX ?? '' },
    },
  });

  function sample(): SoakSample {
    const gc = (globalThis as { gc?: () => void }).gc;
    // Twice: the first collection can leave garbage that finalizers only free for the second.
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    return {
      rssMB: m.rss / MB,
      heapUsedMB: m.heapUsed / MB,
      handles: process.getActiveResourcesInfo().length,
      gc: gc !== undefined,
      cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
      warnings: log.warnings,
      errors: log.errors,
      lastProblems: [...log.last],
    };
  }

  let closing = false;
  process.on('message', (raw: SoakCommand) => {
    void (async () => {
      try {
        switch (raw.type) {
          case 'sample':
            send({ type: 'done', id: raw.id, sample: sample() });
            return;
          case 'close':
            closing = true;
            await app.close(5000);
            send({ type: 'done', id: raw.id });
            process.disconnect();
            return;
        }
      } catch (err) {
        const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        send({ type: 'failed', id: raw.id, error });
      }
    })();
  });
  // The soak ended without closing (it failed or was killed): nothing keeps this process alive.
  process.on('disconnect', () => {
    if (!closing) void app.close(1000).finally(() => process.exit(0));
  });
  const url = await app.listen(0, '127.0.0.1');
  app.worker.start();
  send({ type: 'ready', url });
}

if (require.main === module)
  main().catch((err: unknown) => {
    process.stderr.write(`soak bot: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
