import { TableDraftStore } from '../../src/adapters/storage/draft-store';
import { FakeDraftStore } from '../support/fakes';
import { testStorageConnectionString } from '../support/sandbox';
import { describeDraftStoreContract } from './draft-store.contract';
import { uniqueName } from './fixtures';

describeDraftStoreContract('in memory (FakeDraftStore)', () => new FakeDraftStore());

describeDraftStoreContract(
  'Azure Tables on Azurite (TableDraftStore)',
  () => new TableDraftStore(testStorageConnectionString(), uniqueName('drafts')),
);
