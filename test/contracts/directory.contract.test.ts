import { createGraphClient, createGraphCredential } from '../../src/adapters/graph/graph-client';
import { GraphDirectory } from '../../src/adapters/graph/graph-directory';
import { FakeDirectory } from '../support/fakes';
import { sandboxConfig, startSandbox } from '../support/sandbox';
import { describeDirectoryContract } from './directory.contract';

describeDirectoryContract('in memory (FakeDirectory.demoTenant)', () =>
  Promise.resolve({ directory: FakeDirectory.demoTenant(), close: () => Promise.resolve() }),
);

describeDirectoryContract('Microsoft Graph on the tenant sandbox (GraphDirectory)', async () => {
  const sandbox = await startSandbox();
  const config = sandboxConfig(sandbox);
  const directory = new GraphDirectory(createGraphClient(config, createGraphCredential(config)), {
    graph: config.graph.endpoint,
    authority: config.auth.authorityHost,
  });
  return { directory, close: () => sandbox.close() };
});
