import 'dotenv/config';
import { ConfigError } from './config';
import { describeError } from './logger';
import { startBot, type StartLocalStorage } from './main';
import { startObservability } from './observability';
import { startAzurite } from '../sandbox/embedded-azurite';
import { redact } from './secret';

/**
 * How long jobs in hand may finish on SIGTERM; App Service and most orchestrators kill a process about 30 s
 * after SIGTERM, so everything (requests, jobs, storage) must be done well within that.
 */
const SHUTDOWN_GRACE_MS = 20_000;

/** The process entry point: start, and stop cleanly on SIGTERM/SIGINT. No logic lives here. */
/** Without storage configuration (never in production) the bot runs on the local tooling's Azurite. */
const localStorage: StartLocalStorage = (location) =>
  startAzurite({ location, ports: { blob: 10000, queue: 10001, table: 10002 } });
// Logging and Application Insights first (LOG_LEVEL, APPLICATIONINSIGHTS_CONNECTION_STRING), then the bot.
startObservability(process.env)
  .then(async (observability) => ({
    observability,
    bot: await startBot(process.env, observability.log, localStorage),
  }))
  .then(
    ({ bot, observability }) => {
      const log = observability.log;
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info('Stopping: no new requests or jobs; finishing those in hand', {
          signal,
          graceSeconds: SHUTDOWN_GRACE_MS / 1000,
        });
        setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS + 5000).unref();
        bot
          .stop(SHUTDOWN_GRACE_MS)
          .then(() => observability.flush())
          .then(
            () => process.exit(0),
            () => process.exit(1),
          );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    },
    (err: unknown) => {
      if (err instanceof ConfigError) {
        process.stderr.write(`Configuration error: ${err.message}\n`);
        process.exit(78);
      }
      process.stderr.write(`The bot could not start: ${redact(JSON.stringify(describeError(err)))}\n`);
      process.exit(1);
    },
  );
