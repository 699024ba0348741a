import { redact } from './secret';

export type LogFields = Record<string, unknown>;

/** Structured logging. Every line is redacted: no token, SAS or secret reaches the output. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** An error as a log field: name, code and (redacted) message, without the stack's request bodies. */
export function describeError(err: unknown): LogFields {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, message: err.message, ...(code !== undefined ? { code } : {}) };
  }
  return { message: String(err) };
}

/** How much the logger writes (LOG_LEVEL): each level writes its own lines and those of the levels after it. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * JSON lines on stdout/stderr (what App Service and Application Insights pick up), from `level` up: `warn`
 * drops the info lines. (The bot writes nothing below info today; `debug` writes what `info` writes.)
 */
export function createLogger(
  write: (line: string, level: 'info' | 'warn' | 'error') => void = defaultWrite,
  level: LogLevel = 'info',
): Logger {
  const least = LOG_LEVELS.indexOf(level);
  const emit = (lineLevel: 'info' | 'warn' | 'error', message: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(lineLevel) < least) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level: lineLevel, message, ...fields });
    write(redact(line), lineLevel);
  };
  return {
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

function defaultWrite(line: string, level: 'info' | 'warn' | 'error'): void {
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
