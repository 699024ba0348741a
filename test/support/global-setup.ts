import { startAzurite, type EmbeddedAzurite } from '../../sandbox/embedded-azurite';

declare global {
  var __AZURITE__: EmbeddedAzurite | undefined;
}

/**
 * Starts one in-memory Azurite for the whole run and hands its connection string to the test workers
 * through the environment (workers start after this runs). Tests isolate themselves with unique table
 * and queue names.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.NODE_EXTRA_CA_CERTS) {
    throw new Error(
      'Run the tests with `npm test`: it creates the sandbox certificate and sets NODE_EXTRA_CA_CERTS.',
    );
  }
  const azurite = await startAzurite();
  globalThis.__AZURITE__ = azurite;
  process.env.TEST_STORAGE_CONNECTION_STRING = azurite.connectionString;
}
