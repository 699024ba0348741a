import type { Server } from 'restify';
import type { GraphPermissionReport } from './adapters/graph/token-permissions';
import type { Bot } from './adapters/teams/bot';
import type { SendPacer } from './adapters/teams/pacer';
import type { Config } from './config';
import type { ExportPolicy } from './domain/policies';
import type { Clock, Directory, Exporter, ExportDestinations } from './domain/ports';
import type { Logger } from './logger';
import type { DigestOutcome } from './usecases/overdue-digest';
import type { SweepOutcome } from './usecases/retention/sweep-retention';
import type { SealOutcome } from './usecases/seal-audit';
import type { Worker } from './worker/worker';

/* What the composition root (compose.ts) takes and gives: the ports and settings tests replace, the App, the
   table names. */

/** The parts a test or a bench may replace; built from configuration when absent. */
export interface Ports {
  /** Time for everything the bot decides; the system clock by default. */
  readonly clock: Clock;
  readonly directory: Directory;
  readonly exporter: Exporter;
  readonly destinations: ExportDestinations;
  /** Paces sends to Teams; default: Teams' documented limits on the wall clock. */
  readonly pacer: SendPacer;
  /** Called at crash-test failpoints; default: DSR_FAILPOINTS from the configuration. */
  readonly failpoint: ((name: string) => void) | undefined;
}

/** Settings beyond the configuration that tests and benches tune. */
export interface Tuning {
  /** Prefix for every table name (letters and digits), so that several bots can share one account. */
  readonly tablePrefix: string;
  /** Start the job worker when listening (tests drain it themselves). Default true. */
  readonly startWorker: boolean;
  /** How long an approval may wait for Graph's role answer before verifying it in a job. Default 700 ms. */
  readonly roleCheckBudgetMs: number;
  /** The same wait for someone a live check confirmed in the last five minutes. Default 100 ms. */
  readonly recentRoleBudgetMs: number;
  /** How many times faster the injected clock runs than Azure Storage's (a soak on a compressed clock). Default 1. */
  readonly clockSpeed: number;
  /** Cap on how long a timer hides (tests that move an injected clock use 0). Default: the queue's 7 days. */
  readonly timerMaxVisibilitySeconds: number | undefined;
  /** The account receiving exports; EXPORT_STORAGE_CONNECTION_STRING, else the state account. */
  readonly exportConnectionString: string | undefined;
  /** Export pacing beyond the configured poll cap (tests shorten the evidence checks). */
  readonly exportTiming: Partial<ExportPolicy>;
}

export interface AppDeps {
  readonly config: Config;
  /** The state account; the composition root decides whether that is Azure or a local emulator. */
  readonly storageConnectionString: string;
  readonly log: Logger;
  /** Test overrides of the ports: everything absent is built once, here, from the configuration. */
  readonly ports?: Partial<Ports>;
  readonly tuning?: Partial<Tuning>;
}

export interface App {
  readonly server: Server;
  readonly bot: Bot;
  /** Runs the durable jobs (card posts and updates, thread replies, verifications). */
  readonly worker: Worker;
  /** Which Graph application permissions the bot's token carries (asks Entra ID for a token). */
  graphPermissions(): Promise<GraphPermissionReport>;
  /** One round of the daily overdue digest (the running bot does this every ten minutes). */
  overdueDigest(): Promise<DigestOutcome>;
  /** One round of the daily retention sweep (the running bot tries every ten minutes; one run a day). */
  retentionSweep(): Promise<SweepOutcome>;
  /** One round of the daily seal of the audit trails (the running bot tries every ten minutes). */
  sealAudit(): Promise<SealOutcome>;
  /** Listens on `port` (0 = any free port) and resolves with the base URL. */
  listen(port: number, host?: string): Promise<string>;
  /**
   * Stops accepting requests and taking jobs, and lets those in hand finish (jobs: within `graceMs` when
   * given).
   */
  close(graceMs?: number): Promise<void>;
}

export const TABLES = {
  conversationReferences: 'conversationreferences',
  requests: 'requests',
  drafts: 'drafts',
  audit: 'audit',
  settings: 'settings',
  notices: 'notices',
  submissions: 'submissions',
  requestIndex: 'requestindex',
  dailyTasks: 'dailytasks',
  tombstones: 'tombstones',
  downloadLinks: 'downloadlinks',
} as const;
