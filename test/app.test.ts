import { createApp } from '../src/app';
import { azuriteConnectionString, freePort } from '../src/adapters/storage/embedded-azurite';
import { readConfig } from '../src/config';
import { silentLogger } from '../src/logger';

describe('createApp', () => {
  it('fails at start-up when storage does not answer, naming the variable and not the key', async () => {
    const port = await freePort();
    const dead = azuriteConnectionString({ blob: port, queue: port, table: port });
    const config = readConfig({ AAD_APP_TENANT_ID: '11111111-2222-4333-8444-555555555555' });
    const started = createApp({ config, storageConnectionString: dead, log: silentLogger });
    await expect(started).rejects.toThrow(
      /^Azure Storage does not answer \(ECONNREFUSED\): check AZURE_STORAGE_CONNECTION_STRING/,
    );
    await expect(started).rejects.not.toThrow(/AccountKey|Eby8vdM02/);
  });
});
