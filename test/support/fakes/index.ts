import { FakeAuditLog } from './fake-audit-log';
import { FakeClock } from './fake-clock';
import { FakeDailyTasks } from './fake-daily-tasks';
import { FakeDirectory } from './fake-directory';
import { FakeDraftStore } from './fake-draft-store';
import { FakeExportDestinations } from './fake-export-destinations';
import { FakeExporter } from './fake-exporter';
import { FakeJobQueue } from './fake-job-queue';
import { FakeRequestStore } from './fake-request-store';
import { FakeSettingsStore } from './fake-settings-store';
import { FakeSubmissionLog } from './fake-submission-log';

export { FakeAuditFiles } from './fake-audit-files';
export { FakeAuditLog } from './fake-audit-log';
export { FakeTombstones } from './fake-tombstones';
export { FakeClock } from './fake-clock';
export { FakeDailyTasks } from './fake-daily-tasks';
export { demoUser, directoryUserOf, FakeDirectory, type FakeUser } from './fake-directory';
export { FakeDraftStore } from './fake-draft-store';
export { FakeExportDestinations, SasRefusedError } from './fake-export-destinations';
export { FAKE_GRAPH, FakeExporter, graphError, type SubmitAnswer } from './fake-exporter';
export { FakeJobQueue, ReceiptOutOfDateError, type JobConsumer } from './fake-job-queue';
export { FakeRequestStore } from './fake-request-store';
export { FakeSettingsStore } from './fake-settings-store';
export { FakeSubmissionLog } from './fake-submission-log';
export { Faults, unavailable } from './faults';

/** Every port in memory on one fake clock, wired as in production (Graph writes into the export account). */
export interface FakePorts {
  readonly clock: FakeClock;
  readonly requests: FakeRequestStore;
  readonly drafts: FakeDraftStore;
  readonly audit: FakeAuditLog;
  readonly settings: FakeSettingsStore;
  readonly jobs: FakeJobQueue;
  readonly submissions: FakeSubmissionLog;
  readonly destinations: FakeExportDestinations;
  readonly exporter: FakeExporter;
  readonly directory: FakeDirectory;
  readonly daily: FakeDailyTasks;
  /** Ids for outbox entries and claims: predictable (`id-1`, `id-2` …). */
  readonly newId: () => string;
}

export function fakePorts(start?: Date | string): FakePorts {
  const clock = new FakeClock(start);
  const destinations = new FakeExportDestinations();
  const directory = FakeDirectory.demoTenant();
  let ids = 0;
  return {
    clock,
    requests: new FakeRequestStore(),
    drafts: new FakeDraftStore(),
    audit: new FakeAuditLog(),
    settings: new FakeSettingsStore(),
    jobs: new FakeJobQueue(clock),
    submissions: new FakeSubmissionLog(),
    destinations,
    exporter: new FakeExporter(clock, { destinations, directory }),
    directory,
    daily: new FakeDailyTasks(),
    newId: () => `id-${++ids}`,
  };
}
