import { TableSubmissionLog } from '../../src/adapters/storage/submission-log';
import { FakeSubmissionLog } from '../support/fakes';
import { testStorageConnectionString } from '../support/sandbox';
import { uniqueName } from './fixtures';
import { describeSubmissionLogContract } from './submission-log.contract';

describeSubmissionLogContract('in memory (FakeSubmissionLog)', () => new FakeSubmissionLog());

describeSubmissionLogContract(
  'Azure Tables on Azurite (TableSubmissionLog)',
  () => new TableSubmissionLog(testStorageConnectionString(), uniqueName('submissions')),
);
