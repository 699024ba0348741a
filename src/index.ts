import 'dotenv/config';
import { ConfigError } from './config';
import { createLogger, describeError } from './logger';
import { startBot } from './main';
import { redact } from './secret';

/** The process entry point: start, and stop cleanly on SIGTERM/SIGINT. No logic lives here. */
const log = createLogger();
startBot(process.env, log).then(
  (bot) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info('Stopping', { signal });
      setTimeout(() => process.exit(1), 10000).unref();
      bot.stop().then(
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
