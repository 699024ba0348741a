import { TableRequestStore } from '../../src/adapters/storage/request-store';
import { FakeRequestStore } from '../support/fakes';
import { testStorageConnectionString } from '../support/sandbox';
import { uniqueName } from './fixtures';
import { describeRequestStoreContract } from './request-store.contract';

describeRequestStoreContract('in memory (FakeRequestStore)', () => {
  const store = new FakeRequestStore();
  return { store, anotherInstance: () => store.sibling() };
});

describeRequestStoreContract('Azure Tables on Azurite (TableRequestStore)', () => {
  const table = uniqueName('req');
  return {
    store: new TableRequestStore(testStorageConnectionString(), table),
    anotherInstance: () => new TableRequestStore(testStorageConnectionString(), table),
  };
});
