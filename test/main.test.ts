import { randomUUID } from 'node:crypto';
import { ConfigError } from '../src/config';
import { startBot, type RunningBot } from '../src/main';
import { silentLogger, type Logger } from '../src/logger';
import type { TenantSandbox } from '../sandbox/tenant-sandbox';
import { sandboxEnv, startSandbox } from './support/sandbox';

describe('startBot', () => {
  it('refuses to start in production without BOT_ID, naming the variable, before starting anything', async () => {
    const started = startBot(
      {
        NODE_ENV: 'production',
        AAD_APP_TENANT_ID: '11111111-2222-4333-8444-555555555555',
        AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
        PORT: '0',
      },
      silentLogger,
    );
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/^BOT_ID: is required when NODE_ENV=production/);
  });
});

describe('startBot: where it listens', () => {
  let sandbox: TenantSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  interface Line {
    readonly level: 'info' | 'warn' | 'error';
    readonly message: string;
    readonly fields: Record<string, unknown> | undefined;
  }
  const capture = (): Logger & { lines: Line[] } => {
    const lines: Line[] = [];
    return {
      lines,
      info: (message, fields) => lines.push({ level: 'info', message, fields }),
      warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
      error: (message, fields) => lines.push({ level: 'error', message, fields }),
    };
  };

  async function started(
    env: Record<string, string>,
  ): Promise<{ bot: RunningBot; lines: Line[]; bound: { address: string; port: number } }> {
    const log = capture();
    const prefix = `m${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const bot = await startBot(sandboxEnv(sandbox, { PORT: '0', STORAGE_PREFIX: prefix, ...env }), log);
    return { bot, lines: log.lines, bound: bot.app.server.address() };
  }

  const listening = (lines: Line[]) => lines.find((l) => l.message === 'Bot listening');
  const nonLoopbackWarning = (lines: Line[]) =>
    lines.find((l) => l.level === 'warn' && /not a loopback address/i.test(l.message));

  // Defect pinned: local mode (no inbound authentication) listened on 0.0.0.0, reachable from the network.
  it('in local mode listens on 127.0.0.1 only, and logs the address it really bound', async () => {
    const { bot, lines, bound } = await started({});
    try {
      expect(bound.address).toBe('127.0.0.1');
      expect(listening(lines)?.fields).toMatchObject({
        address: `127.0.0.1:${bound.port}`,
        messages: `http://127.0.0.1:${bound.port}/api/messages`,
      });
      expect(nonLoopbackWarning(lines)).toBeUndefined();
    } finally {
      await bot.stop();
    }
  });

  it('in local mode binds elsewhere only with an explicit HOST, and warns loudly', async () => {
    const { bot, lines, bound } = await started({ HOST: '0.0.0.0' });
    try {
      expect(bound.address).toBe('0.0.0.0');
      expect(listening(lines)?.fields).toMatchObject({ address: `0.0.0.0:${bound.port}` });
      expect(nonLoopbackWarning(lines)?.message).toMatch(/LOCAL MODE/);
    } finally {
      await bot.stop();
    }
  });

  it('with a bot registration listens on 0.0.0.0 by default (App Service needs it)', async () => {
    const { bot, lines, bound } = await started({
      BOT_ID: 'c0a70500-0000-4000-8000-0000000000b0',
      BOT_PASSWORD: 'bot-password-for-test',
      BOT_TENANT_ID: 'c0a70500-0000-4000-8000-000000000001',
    });
    try {
      expect(bound.address).toBe('0.0.0.0');
      expect(listening(lines)?.fields).toMatchObject({ address: `0.0.0.0:${bound.port}` });
      expect(nonLoopbackWarning(lines)).toBeUndefined();
    } finally {
      await bot.stop();
    }
  });
});
