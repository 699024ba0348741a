import { TableSettingsStore } from '../../src/adapters/storage/settings-store';
import { FakeSettingsStore } from '../support/fakes';
import { testStorageConnectionString } from '../support/sandbox';
import { uniqueName } from './fixtures';
import { describeSettingsStoreContract } from './settings-store.contract';

describeSettingsStoreContract('in memory (FakeSettingsStore)', () => new FakeSettingsStore());

describeSettingsStoreContract(
  'Azure Tables on Azurite (TableSettingsStore)',
  () => new TableSettingsStore(testStorageConnectionString(), uniqueName('settings')),
);
