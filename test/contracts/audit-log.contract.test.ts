import { TableAuditLog } from '../../src/adapters/storage/audit-log';
import { FakeAuditLog } from '../support/fakes';
import { testStorageConnectionString } from '../support/sandbox';
import { describeAuditLogContract } from './audit-log.contract';
import { uniqueName } from './fixtures';

describeAuditLogContract('in memory (FakeAuditLog)', () => {
  const log = new FakeAuditLog();
  return () => log;
});

describeAuditLogContract('Azure Tables on Azurite (TableAuditLog)', () => {
  const table = uniqueName('audit');
  return () => new TableAuditLog(testStorageConnectionString(), table);
});
