import { TableAuditLog } from '../../src/adapters/storage/audit-log';
import { FakeAuditLog } from '../support/fakes';
import { testStorageConnectionString } from '../support/sandbox';
import { describeAuditLogContract } from './audit-log.contract';
import { uniqueName } from './fixtures';

describeAuditLogContract('in memory (FakeAuditLog)', () => new FakeAuditLog());

describeAuditLogContract(
  'Azure Tables on Azurite (TableAuditLog)',
  () => new TableAuditLog(testStorageConnectionString(), uniqueName('audit')),
);
