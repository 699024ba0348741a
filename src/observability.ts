import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';
import { ConfigError } from './config';
import { GUID } from './domain/identity';
import { createLogger, LOG_LEVELS, type LogFields, type Logger, type LogLevel } from './logger';
import { Secret } from './secret';
import { WORKFLOW_EVENT, type WorkflowEventFields } from './usecases/workflow-log';

/* What the operator sees of the bot: the log level and, when configured, Application Insights. */

type Env = Readonly<Record<string, string | undefined>>;

export interface ObservabilityConfig {
  /** LOG_LEVEL: debug, info (default), warn or error. */
  readonly level: LogLevel;
  /** APPLICATIONINSIGHTS_CONNECTION_STRING: workflow events go to Application Insights when set. */
  readonly appInsights: Secret | undefined;
}

/** Reads LOG_LEVEL and APPLICATIONINSIGHTS_CONNECTION_STRING; throws a ConfigError naming the variable. */
export function readObservabilityConfig(env: Env): ObservabilityConfig {
  const rawLevel = env.LOG_LEVEL?.trim().toLowerCase() ?? '';
  const level = LOG_LEVELS.find((l) => l === rawLevel);
  if (rawLevel !== '' && !level) {
    throw new ConfigError('LOG_LEVEL', `"${env.LOG_LEVEL}" is not one of ${LOG_LEVELS.join(', ')}.`);
  }
  const connection = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim() ?? '';
  if (connection !== '' && !isConnectionString(connection)) {
    // The value itself is never repeated: it is a credential of the Application Insights resource.
    throw new ConfigError(
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'is not an Application Insights connection string: copy it from the resource\'s Overview page ("InstrumentationKey=…;IngestionEndpoint=https://…").',
    );
  }
  return { level: level ?? 'info', appInsights: connection === '' ? undefined : new Secret(connection) };
}

/** `InstrumentationKey=<GUID>` among `;`-separated `key=value` pairs, an https IngestionEndpoint if any. */
function isConnectionString(text: string): boolean {
  const pairs = new Map<string, string>();
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return false;
    pairs.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const endpoint = pairs.get('ingestionendpoint');
  return GUID.test(pairs.get('instrumentationkey') ?? '') && (!endpoint || endpoint.startsWith('https://'));
}

/** Application Insights custom events (the `customEvents` table). */
export interface CustomEvents {
  track(name: string, properties: Readonly<Record<string, string | number>>): void;
  /** Sends what is buffered and stops the exporter (on shutdown). */
  flush(): Promise<void>;
}

/** Starts telemetry towards Application Insights; the default loads the Azure Monitor OpenTelemetry distro. */
export type StartTelemetry = (connectionString: Secret) => Promise<CustomEvents>;

export interface Observability {
  /** The process's logger: LOG_LEVEL applied, workflow events also sent to Application Insights if set. */
  readonly log: Logger;
  /** Flushes Application Insights (nothing to do without it). */
  readonly flush: () => Promise<void>;
}

/**
 * Sets up logging and, when APPLICATIONINSIGHTS_CONNECTION_STRING is set, Application Insights: call it first
 * at start, before the bot makes any HTTP call. Without the connection string nothing of the distro is loaded.
 * Throws a ConfigError naming the variable when LOG_LEVEL or the connection string is wrong.
 */
export async function startObservability(
  env: Env,
  options: {
    readonly write?: Parameters<typeof createLogger>[0];
    readonly startTelemetry?: StartTelemetry;
  } = {},
): Promise<Observability> {
  const config = readObservabilityConfig(env);
  const log = createLogger(options.write, config.level);
  if (!config.appInsights) return { log, flush: () => Promise.resolve() };
  let events: CustomEvents;
  try {
    events = await (options.startTelemetry ?? startAzureMonitor)(config.appInsights);
  } catch (err) {
    // The distro's own message may quote the connection string: say only what failed.
    throw new Error(
      `Application Insights could not start (${err instanceof Error ? err.name : 'error'}): check APPLICATIONINSIGHTS_CONNECTION_STRING.`,
    );
  }
  log.info('Application Insights: workflow events are sent as custom events');
  return { log: withCustomEvents(log, events), flush: () => events.flush() };
}

/** The workflow line's fields that become the custom event's properties (ids, times and states only). */
const PROPERTIES = ['requestId', 'elapsedMs', 'outcome', 'operationId', 'status', 'notice'] as const;
type PropertyName = (typeof PROPERTIES)[number] & keyof WorkflowEventFields;

/** The logger, with every workflow line also sent as a custom event named after the workflow event. */
export function withCustomEvents(log: Logger, events: CustomEvents): Logger {
  let failing = false;
  return {
    warn: (message, fields) => log.warn(message, fields),
    error: (message, fields) => log.error(message, fields),
    info(message: string, fields?: LogFields) {
      log.info(message, fields);
      if (message !== WORKFLOW_EVENT || typeof fields?.event !== 'string') return;
      const properties: Partial<Record<PropertyName, string | number>> = {};
      for (const name of PROPERTIES) {
        const value = fields[name];
        if (typeof value === 'string' || typeof value === 'number') properties[name] = value;
      }
      try {
        events.track(fields.event, properties);
        failing = false;
      } catch (err) {
        if (!failing) {
          log.warn('Application Insights did not take a workflow event', {
            error: err instanceof Error ? err.name : 'error',
          });
        }
        failing = true;
      }
    },
  };
}

/**
 * The Azure Monitor OpenTelemetry distro, loaded only here (so only with a connection string).
 *
 * Custom events: a log record whose attribute `microsoft.custom_event.name` holds the event name goes to the
 * `customEvents` table, its other attributes to customDimensions ("Send custom events", Node.js tab:
 * https://learn.microsoft.com/azure/azure-monitor/app/opentelemetry-add-modify#send-custom-events; the
 * exporter's `logToEnvelope` maps such records to EventData).
 *
 * Instrumentations stay off: Graph request URLs carry sign-ins (`/users/adele@contoso.com`) and names
 * (`$filter`, `$search`), and storage URLs carry SAS tokens, so HTTP and Azure SDK dependency telemetry would
 * send personal data and secrets to Application Insights. The workflow events are what we send.
 */
export const startAzureMonitor: StartTelemetry = async (connectionString) => {
  const { useAzureMonitor, shutdownAzureMonitor } = await import('@azure/monitor-opentelemetry');
  const { logs, SeverityNumber } = await import('@opentelemetry/api-logs');
  const off = { enabled: false };
  const options: AzureMonitorOpenTelemetryOptions = {
    azureMonitorExporterOptions: { connectionString: connectionString.reveal() },
    instrumentationOptions: {
      http: off,
      azureSdk: off,
      mongoDb: off,
      mySql: off,
      postgreSql: off,
      redis: off,
      redis4: off,
      bunyan: off,
      winston: off,
    },
    enableLiveMetrics: false,
    // No spans are recorded, so no event may be sampled away with one.
    enableTraceBasedSamplingForLogs: false,
  };
  useAzureMonitor(options);
  const otel = logs.getLogger('dsr-export-bot');
  return {
    track: (name, properties) =>
      otel.emit({
        severityNumber: SeverityNumber.INFO,
        severityText: 'INFO',
        body: WORKFLOW_EVENT,
        attributes: { 'microsoft.custom_event.name': name, ...properties },
      }),
    flush: () => shutdownAzureMonitor(),
  };
};
