import { TableDownloadLinks } from '../../src/adapters/storage/download-links';
import { FakeDownloadLinks } from '../support/fakes/fake-download-links';
import { testStorageConnectionString } from '../support/sandbox';
import { describeDownloadLinksContract } from './download-links.contract';
import { uniqueName } from './fixtures';

describeDownloadLinksContract('in memory (FakeDownloadLinks)', () => new FakeDownloadLinks());

describeDownloadLinksContract(
  'Azure Tables on Azurite (TableDownloadLinks)',
  () => new TableDownloadLinks(testStorageConnectionString(), uniqueName('downloadlinks')),
);
