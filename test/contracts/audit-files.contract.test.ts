import { BlobAuditFiles } from '../../src/adapters/storage/audit-files';
import { FakeAuditFiles } from '../support/fakes';
import { testStorageConnectionString } from '../support/sandbox';
import { describeAuditFilesContract } from './audit-files.contract';
import { uniqueName } from './fixtures';

describeAuditFilesContract('in memory (FakeAuditFiles)', () => new FakeAuditFiles());

describeAuditFilesContract(
  'Azure Blob Storage on Azurite (BlobAuditFiles)',
  // A container of its own per test: blob container names are lower-case letters and digits here.
  () => new BlobAuditFiles(testStorageConnectionString(), uniqueName('audit').toLowerCase()),
);
