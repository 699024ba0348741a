import { createGraphClient, createGraphCredential } from '../../src/adapters/graph/graph-client';
import { GraphExporter } from '../../src/adapters/graph/graph-exporter';
import { BlobExportDestinations } from '../../src/adapters/storage/export-destination';
import { systemClock } from '../../src/domain/ports';
import { FakeClock, FakeDirectory, FakeExportDestinations, FakeExporter } from '../support/fakes';
import { sandboxConfig, startSandbox, testStorageConnectionString } from '../support/sandbox';
import { describeExporterContract } from './exporter.contract';

describeExporterContract('in memory (FakeExporter writing into FakeExportDestinations)', () => {
  const destinations = new FakeExportDestinations();
  const exporter = new FakeExporter(new FakeClock(), {
    destinations,
    directory: FakeDirectory.demoTenant(),
  });
  return Promise.resolve({ exporter, destinations, close: () => Promise.resolve() });
});

describeExporterContract('Microsoft Graph on the tenant sandbox, into Azurite (GraphExporter)', async () => {
  const sandbox = await startSandbox();
  const config = sandboxConfig(sandbox);
  const exporter = new GraphExporter(
    createGraphClient(config, createGraphCredential(config)),
    config.graph.exportApiVersion,
    { graph: config.graph.endpoint, authority: config.auth.authorityHost },
  );
  return {
    exporter,
    destinations: new BlobExportDestinations(testStorageConnectionString(), systemClock),
    close: () => sandbox.close(),
  };
});
