import type { DirectoryUser } from './directory-user';
import type { ExportContents, ExportRequest } from './export-request';
import type { IntakeDraft } from './intake-draft';
import type { Job } from './jobs';
import type { Secret } from '../secret';

/**
 * The ports the core needs. Adapters implement them over Graph, Azure Storage and Teams; tests may use
 * in-memory fakes. Nothing here talks to the network.
 */

// DirectoryUser lives in directory-user.ts (the records hold it); named here too, beside the Directory port.
export type { DirectoryUser } from './directory-user';

/**
 * Read access to the home tenant's directory (Microsoft Graph with application permissions). A lookup the
 * directory cannot answer (credential refused, permission missing, service unreachable) rejects with a
 * {@link DirectoryError}.
 */
export interface Directory {
  /** Finds one user by object id, user principal name or mail address; undefined when there is none. */
  findUser(idUpnOrMail: string): Promise<DirectoryUser | undefined>;
  /** Users whose display name has words starting with `text`, at most `limit` of them, best first. */
  searchByDisplayName(text: string, limit: number): Promise<DirectoryUser[]>;
  /**
   * Which of `roleTemplateIds` the user holds right now (active assignments, including through
   * role-assignable groups). PIM-eligible roles that are not activated are not held.
   */
  heldRoles(userId: string, roleTemplateIds: readonly string[]): Promise<string[]>;
}

/**
 * The directory could not answer. The message is written for an administrator and says what to fix (grant a
 * permission, fix a setting, try again later); it never holds a secret, so it may be shown as it is. `code` is
 * the service's own error code (`Authorization_RequestDenied`, `AADSTS7000222`, `ECONNREFUSED` …), for
 * branching: never branch on the message. Adapters throw it, or an error that extends it.
 */
export class DirectoryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

/** The application permissions the bot's directory credential carries, against those it needs. */
export interface GraphPermissionReport {
  /** The application permissions (the token's `roles` claim). */
  readonly granted: readonly string[];
  /** Required ones the token lacks. */
  readonly missing: readonly string[];
}

/** A stored value and the version (ETag) it was read at: hand the version back to write it. */
export interface Versioned<T> {
  readonly value: T;
  readonly etag: string;
}

/** Another writer changed the record since it was read: re-read, re-decide, write again. Nothing was written. */
export class StaleWriteError extends Error {
  constructor(
    readonly table: string,
    readonly key: string,
  ) {
    super(`The record ${key} in table ${table} changed since it was read; the write was refused.`);
    this.name = 'StaleWriteError';
  }
}

/** A record with this key exists already. Nothing was written. */
export class AlreadyExistsError extends Error {
  constructor(
    readonly table: string,
    readonly key: string,
  ) {
    super(`The record ${key} already exists in table ${table}.`);
    this.name = 'AlreadyExistsError';
  }
}

/** Stored export requests. */
export interface RequestStore {
  /** The next request id for `year` (DSR-2026-0042), unique across every running instance. */
  nextId(year: number): Promise<string>;
  /** Stores a new request; rejects with AlreadyExistsError if the id is taken. */
  create(request: ExportRequest): Promise<void>;
  get(id: string): Promise<ExportRequest | undefined>;
  /** The request and its version, to change it with {@link RequestStore.replace}. */
  getVersioned(id: string): Promise<Versioned<ExportRequest> | undefined>;
  /** Writes only if the request is still at `etag`; otherwise rejects with StaleWriteError. */
  replace(request: ExportRequest, etag: string): Promise<Versioned<ExportRequest>>;
  /** Requests waiting for a decision, oldest first. */
  pending(): Promise<ExportRequest[]>;
  /** Open requests (not finished, not cancelled) for one data subject, oldest first. */
  openForSubject(subjectId: string): Promise<ExportRequest[]>;
  /** Ids of requests whose outbox still holds effects that were not handed over (at most `max`). */
  withPendingEffects(max?: number): Promise<string[]>;
  /**
   * One page (0-based) of the requests whose legal clock runs, by due date (overdue first), and how many
   * there are. Reads an index by due date, never every request.
   */
  openRequests(page: number, pageSize: number): Promise<RequestPage>;
  /** Open requests due before `today` (YYYY-MM-DD): overdue, oldest due date first, at most `max`. */
  overdue(today: string, max: number): Promise<ExportRequest[]>;
  /** One page (0-based) of the requests `requesterId` asked for, newest first, and how many there are. */
  requestedBy(requesterId: string, page: number, pageSize: number): Promise<RequestPage>;
  /**
   * Open requests whose subject's display name, sign-in name or mail contains `text` (case-insensitive),
   * by due date, at most `max`.
   */
  findOpenBySubject(text: string, max: number): Promise<ExportRequest[]>;
}

/** A page of requests and the total they are a page of. */
export interface RequestPage {
  readonly items: readonly ExportRequest[];
  readonly total: number;
}

/**
 * A task done once a day by whichever instance claims it first (the overdue digest): a claim holds others back
 * until it ends, and a task marked done is not done again that day.
 */
export interface DailyTasks {
  /** 'claimed' for the one caller that may do the task now; 'done' or 'busy' for everyone else. */
  claim(task: string, day: string, now: Date, holdMs: number): Promise<'claimed' | 'done' | 'busy'>;
  /** Marks the day's task done. */
  complete(task: string, day: string, at: string): Promise<void>;
}

/** Intake drafts, with optimistic concurrency (a click delivered twice must not act twice). */
export interface DraftStore {
  create(draft: IntakeDraft): Promise<Versioned<IntakeDraft>>;
  get(id: string): Promise<Versioned<IntakeDraft> | undefined>;
  /** Writes only if the draft is still at `etag`; otherwise rejects with StaleWriteError. */
  replace(draft: IntakeDraft, etag: string): Promise<Versioned<IntakeDraft>>;
}

// The audit log's port and its trail types live in audit-ports.ts; named here too, beside the other ports.
export {
  NO_REQUEST_TRAIL,
  type AuditLog,
  type AuditTrail,
  type TrailEntry,
  type TrailHead,
} from './audit-ports';

/** The approvals channel chosen with the admin command (APPROVALS_CHANNEL_ID takes precedence). */
export interface ApprovalsChannel {
  readonly conversationId: string;
  readonly teamId: string | undefined;
  readonly serviceUrl: string;
  readonly setBy: { readonly aadObjectId: string; readonly name: string };
  readonly setAt: string;
}

export interface SettingsStore {
  getApprovalsChannel(): Promise<ApprovalsChannel | undefined>;
  setApprovalsChannel(channel: ApprovalsChannel): Promise<void>;
}

/** Durable deferred work (see jobs.ts). */
export interface JobQueue {
  /** Runs `job` at `due` (now when absent) on whichever instance takes it. */
  enqueue(job: Job, due?: Date): Promise<void>;
}

/** Where one export attempt goes. The SAS is a secret: it is handed to Graph and nowhere else. */
export interface ExportTarget {
  readonly accountName: string;
  readonly containerName: string;
  readonly sasUrl: Secret;
}

/** The container exists and holds something: a container is used for one export only. */
export class ContainerInUseError extends Error {
  constructor(readonly containerName: string) {
    super(
      `The export container ${containerName} exists already and is not empty; each export needs a fresh, empty container.`,
    );
    this.name = 'ContainerInUseError';
  }
}

/** The export account or the SAS made for it would be refused by Graph: fix the account, then Retry. */
export class DestinationUnfitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DestinationUnfitError';
  }
}

/** The export storage account: one container per attempt, a write-only SAS, revocation, evidence. */
export interface ExportDestinations {
  /**
   * The attempt's container (created, or reused while still empty) and a fresh SAS for it; rejects with
   * {@link ContainerInUseError} when the container holds anything, and with {@link DestinationUnfitError}
   * when Graph would refuse the account or the SAS (checked as the export service checks them).
   */
  prepare(containerName: string): Promise<ExportTarget>;
  /**
   * Graph's RequestInfo.json in the container, and the ids it holds that may name the operation, most
   * likely first (its `CommandId`, then `RequestGuid`): confirm one with Graph before following it.
   */
  findEvidence(
    containerName: string,
  ): Promise<{ readonly found: boolean; readonly operationIds?: readonly string[] }>;
  /** Ends every SAS of the container. Idempotent. */
  revoke(containerName: string): Promise<void>;
  /**
   * What the container holds, read with the bot's own storage credential (never the SAS): one folder per
   * product (the first path segment; files at the top count under "(top level)"), files and bytes.
   */
  summarize(containerName: string): Promise<ExportContents>;
}

/** What happened to one exportPersonalData call. */
export type SubmitOutcome =
  /** 202: Graph took it. The operation URL and how long to wait before the first poll. */
  | { readonly kind: 'accepted'; readonly operationUrl: string; readonly retryAfterSeconds: number }
  /** 429/503/504: not taken; try again after `retryAfterSeconds`. */
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number; readonly code: string }
  /** Another 4xx/5xx: not taken, and trying again will not help without a change. */
  | { readonly kind: 'refused'; readonly status: number; readonly code: string; readonly message: string }
  /** The request may have reached Graph but no answer came back: never resubmit blindly. */
  | { readonly kind: 'unknown'; readonly detail: string };

export interface DataPolicyOperation {
  readonly id: string;
  /** notStarted, running, complete, failed, unknownFutureValue, or a value Graph adds later. */
  readonly status: string;
  /** As Graph gave it: scale undocumented (0–1 or 0–100). */
  readonly progress: number | undefined;
  readonly completedDateTime: string | undefined;
  readonly retryAfterSeconds: number | undefined;
}

/**
 * A write-ahead record of Graph's 202s: the operation URL is stored here first, so that it survives a failed
 * write of the request right after it.
 */
export interface SubmissionLog {
  record(requestId: string, attempt: number, operationUrl: string, at: string): Promise<void>;
  /** The operation Graph named for this attempt, if its 202 was recorded. */
  find(requestId: string, attempt: number): Promise<string | undefined>;
}

/** Microsoft Graph's exportPersonalData with application credentials, and its operation. */
export interface Exporter {
  /** One POST, never retried by the client: the caller decides what a 429 or a lost answer means. */
  submit(userId: string, storageLocation: Secret): Promise<SubmitOutcome>;
  /** Reads the operation; failures throw (with `retryAfterSeconds` when Graph gave one). */
  operation(operationUrl: string): Promise<DataPolicyOperation>;
  /** The operation's URL from its id (when only the id is known, from evidence in the container). */
  operationUrl(operationId: string): string;
}

/** Time, injected so that workflows and tests control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
