import type { ExportDestinations, Exporter, SubmissionLog } from '../domain/ports';
import type { Logger } from '../logger';
import type { ApplyEventDeps } from './apply-event';

/** What the export jobs need (run-export.ts, poll-export.ts): Graph, the export account, the request store. */
export interface ExportDeps extends ApplyEventDeps {
  readonly exporter: Exporter;
  readonly destinations: ExportDestinations;
  /**
   * Named points where a test build may stop the process (crash-safety tests); absent in production.
   * `submit.before`, `submit.after`, `poll.after`.
   */
  readonly failpoint?: (name: string) => void;
  /** Graph's 202s, written before anything else (absent in unit tests of the workflow). */
  readonly submissions?: SubmissionLog;
  readonly log?: Logger;
}
