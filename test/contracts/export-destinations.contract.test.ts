import { ContainerClient } from '@azure/storage-blob';
import { BlobExportDestinations } from '../../src/adapters/storage/export-destination';
import { systemClock } from '../../src/domain/ports';
import { FakeExportDestinations } from '../support/fakes';
import { testStorageConnectionString } from '../support/sandbox';
import { describeExportDestinationsContract } from './export-destinations.contract';

describeExportDestinationsContract('in memory (FakeExportDestinations)', () => {
  const destinations = new FakeExportDestinations();
  return {
    destinations,
    premiumAccount: new FakeExportDestinations({ name: 'premium', kind: 'BlockBlobStorage' }),
    graphWrites: (target, blobName, text) => destinations.writeThroughSas(target.sasUrl, blobName, text),
  };
});

describeExportDestinationsContract('Azure Blob Storage on Azurite (BlobExportDestinations)', () => ({
  destinations: new BlobExportDestinations(testStorageConnectionString(), systemClock),
  premiumAccount: new BlobExportDestinations(testStorageConnectionString(), systemClock, () =>
    Promise.resolve('BlockBlobStorage'),
  ),
  graphWrites: async (target, blobName, text) => {
    await new ContainerClient(target.sasUrl.reveal())
      .getBlockBlobClient(blobName)
      .upload(text, Buffer.byteLength(text));
  },
}));
