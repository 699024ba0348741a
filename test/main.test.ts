import { ConfigError } from '../src/config';
import { startBot } from '../src/main';
import { silentLogger } from '../src/logger';

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
