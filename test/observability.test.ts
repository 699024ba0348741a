import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';
import type { LogRecord } from '@opentelemetry/api-logs';
import { ConfigError } from '../src/config';
import { startObservability } from '../src/observability';
import { WORKFLOW_EVENT } from '../src/usecases/workflow-log';

/** What the mocked distro and Logs API saw (jest only lets factories reach variables named mock…). */
const mockOtel = {
  loaded: false,
  useAzureMonitor: jest.fn<void, [AzureMonitorOpenTelemetryOptions | undefined]>(),
  shutdownAzureMonitor: jest.fn(() => Promise.resolve()),
  emitted: [] as LogRecord[],
};

jest.mock('@azure/monitor-opentelemetry', () => {
  mockOtel.loaded = true;
  return {
    useAzureMonitor: (options?: AzureMonitorOpenTelemetryOptions) => mockOtel.useAzureMonitor(options),
    shutdownAzureMonitor: () => mockOtel.shutdownAzureMonitor(),
  };
});
jest.mock('@opentelemetry/api-logs', () => ({
  ...jest.requireActual<typeof import('@opentelemetry/api-logs')>('@opentelemetry/api-logs'),
  logs: { getLogger: () => ({ emit: (record: LogRecord) => mockOtel.emitted.push(record) }) },
}));

const FAKE_CONNECTION =
  'InstrumentationKey=00000000-1111-4222-8333-444444444444;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/';

function capture() {
  const lines: { line: string; level: string }[] = [];
  return { lines, write: (line: string, level: string) => lines.push({ line, level }) };
}

const workflowLine = {
  event: 'request.approved',
  requestId: 'DSR-2026-0001',
  elapsedMs: 93_000,
  outcome: 'ok',
};

describe('LOG_LEVEL (issue 15: it was not read at all)', () => {
  it('writes info lines by default, and warn drops them', async () => {
    for (const [LOG_LEVEL, expected] of [
      [undefined, ['info', 'warn', 'error']],
      ['debug', ['info', 'warn', 'error']],
      ['info', ['info', 'warn', 'error']],
      ['warn', ['warn', 'error']],
      [' WARN ', ['warn', 'error']],
      ['error', ['error']],
    ] as const) {
      const out = capture();
      const { log } = await startObservability({ LOG_LEVEL }, { write: out.write });
      log.info('Workflow event', workflowLine);
      log.warn('something to look at');
      log.error('something broke');
      expect({ LOG_LEVEL, levels: out.lines.map((l) => l.level) }).toEqual({ LOG_LEVEL, levels: expected });
    }
  });

  it('refuses an unknown level at start, naming the variable', async () => {
    const started = startObservability({ LOG_LEVEL: 'verbose' });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/^LOG_LEVEL: "verbose" is not one of debug, info, warn, error\.$/);
  });
});

// Runs first: the distro's module must not even be loaded without a connection string.
describe('Application Insights without APPLICATIONINSIGHTS_CONNECTION_STRING', () => {
  it('loads and starts nothing of the distro, and the log lines stay as they are', async () => {
    const out = capture();
    const { log, flush } = await startObservability({ APPLICATIONINSIGHTS_CONNECTION_STRING: ' ' }, out);
    log.info(WORKFLOW_EVENT, workflowLine);
    await flush();
    expect(mockOtel.loaded).toBe(false);
    expect(mockOtel.useAzureMonitor).not.toHaveBeenCalled();
    expect(mockOtel.emitted).toEqual([]);
    expect(out.lines).toHaveLength(1);
  });
});

describe('Application Insights with APPLICATIONINSIGHTS_CONNECTION_STRING', () => {
  beforeEach(() => {
    mockOtel.useAzureMonitor.mockReset();
    mockOtel.shutdownAzureMonitor.mockClear();
    mockOtel.emitted.length = 0;
  });

  it('starts the Azure Monitor distro once, with the connection string and no instrumentation', async () => {
    const out = capture();
    await startObservability({ APPLICATIONINSIGHTS_CONNECTION_STRING: FAKE_CONNECTION }, out);
    expect(mockOtel.useAzureMonitor).toHaveBeenCalledTimes(1);
    const options = mockOtel.useAzureMonitor.mock.calls[0]![0]!;
    expect(options.azureMonitorExporterOptions?.connectionString).toBe(FAKE_CONNECTION);
    // HTTP and Azure SDK telemetry would carry sign-ins (Graph URLs) and SAS tokens (storage URLs).
    expect(options.instrumentationOptions?.http).toEqual({ enabled: false });
    expect(options.instrumentationOptions?.azureSdk).toEqual({ enabled: false });
    // The connection string is a credential: no log line repeats it.
    expect(out.lines.map((l) => l.line).join('\n')).not.toContain('00000000-1111-4222-8333-444444444444');
    expect(out.lines.map((l) => l.line).join('\n')).toMatch(/Application Insights/);
  });

  it('sends each workflow line as a custom event named after the step, and nothing else', async () => {
    const out = capture();
    const { log, flush } = await startObservability(
      { APPLICATIONINSIGHTS_CONNECTION_STRING: FAKE_CONNECTION, LOG_LEVEL: 'warn' },
      out,
    );
    log.info(WORKFLOW_EVENT, { ...workflowLine, operationId: 'c2cfcfe8-08d1-479d-bc10-65cb82e542b5' });
    log.info('Bot listening', { address: '127.0.0.1:3978' });
    log.warn('something to look at');
    expect(mockOtel.emitted).toEqual([
      expect.objectContaining({
        body: WORKFLOW_EVENT,
        attributes: {
          'microsoft.custom_event.name': 'request.approved',
          requestId: 'DSR-2026-0001',
          elapsedMs: 93_000,
          outcome: 'ok',
          operationId: 'c2cfcfe8-08d1-479d-bc10-65cb82e542b5',
        },
      }),
    ]);
    // LOG_LEVEL=warn quiets stdout, not Application Insights.
    expect(out.lines.map((l) => l.level)).toEqual(['warn']);
    await flush();
    expect(mockOtel.shutdownAzureMonitor).toHaveBeenCalledTimes(1);
  });

  it('refuses a value that is no connection string, without repeating it', async () => {
    const started = startObservability({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'my-secret-key-123' });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/^APPLICATIONINSIGHTS_CONNECTION_STRING: is not/);
    await expect(started).rejects.not.toThrow(/my-secret-key-123/);
    expect(mockOtel.useAzureMonitor).not.toHaveBeenCalled();
  });

  it('says the distro failed to start without quoting its message (which may hold the connection string)', async () => {
    mockOtel.useAzureMonitor.mockImplementation(() => {
      throw new Error(`Invalid connection string ${FAKE_CONNECTION}`);
    });
    const started = startObservability({ APPLICATIONINSIGHTS_CONNECTION_STRING: FAKE_CONNECTION });
    await expect(started).rejects.toThrow(
      'Application Insights could not start (Error): check APPLICATIONINSIGHTS_CONNECTION_STRING.',
    );
  });
});
