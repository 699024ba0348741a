import type { Actor } from './actor';
import type { DirectoryUser } from './directory-user';
import type { DeadlineStep } from './deadline-step';
import type { Effect } from './effect';
import type { ExportContents } from './export-contents';
import type { Closure, Delivery, Extension, IdentityVerification } from './request-lifecycle';
import type { RequestRetention } from './retention-record';

// Parts of the record that effects and notices name too, in their own files (no import cycle).
export * from './request-lifecycle';
export type { DeadlineStep } from './deadline-step';
export type { DeletedContainer, RequestRetention, RetentionHold } from './retention-record';
export type { ExportContents } from './export-contents';

// Actor lives in actor.ts (effects and drafts name people too); named here too, beside the record.
export type { Actor } from './actor';

export const REGIMES = ['GDPR', 'CCPA', 'other'] as const;
export type Regime = (typeof REGIMES)[number];

/** Where a conversation with the bot happened, to answer there later. */
export interface ConversationRef {
  readonly id: string;
  readonly type: 'personal' | 'groupChat' | 'channel';
}

/**
 * The lifecycle of a request; every `switch` over it is exhaustive, so adding a status is a compile error
 * wherever it is not handled.
 *
 * - `pendingApproval`: waiting for a second admin.
 * - `approved`: approved; the export is being submitted to Graph (or Graph asked to wait before it takes it).
 * - `exporting`: Graph accepted the export; the bot follows its operation.
 * - `outcomeUnknown`: a submission may or may not have reached Graph; the bot looks for evidence and asks the
 *   channel before anything is submitted again.
 * - `completed`, `failed`: the export ended (a failed one can be retried by an admin); the legal clock runs on
 *   until the data is delivered or the request is closed.
 * - `delivered`: an admin recorded the delivery of the data to the subject: the clock stopped.
 * - `closed`: closed without delivery (withdrawn, identity not verified, manifestly unfounded or excessive),
 *   confirmed by a second admin.
 * - `rejected`, `cancelled`, `expired`: ended without an export.
 */
export type RequestStatus =
  | 'pendingApproval'
  | 'approved'
  | 'exporting'
  | 'outcomeUnknown'
  | 'completed'
  | 'failed'
  | 'delivered'
  | 'closed'
  | 'rejected'
  | 'cancelled'
  | 'expired';

/** Not finished: a new request for the same subject is pointed at these. */
export const OPEN_STATUSES: readonly RequestStatus[] = [
  'pendingApproval',
  'approved',
  'exporting',
  'outcomeUnknown',
];

export function isOpen(status: RequestStatus): boolean {
  switch (status) {
    case 'pendingApproval':
    case 'approved':
    case 'exporting':
    case 'outcomeUnknown':
      return true;
    case 'completed':
    case 'failed':
    case 'delivered':
    case 'closed':
    case 'rejected':
    case 'cancelled':
    case 'expired':
      return false;
    default:
      return assertNever(status);
  }
}

/**
 * Whether the legal clock still runs: the request is not finished for the data subject. It stops when the
 * data is delivered or the request is closed; a rejected, cancelled or expired request left the bot's hands.
 */
export function clockRunning(status: RequestStatus): boolean {
  switch (status) {
    case 'pendingApproval':
    case 'approved':
    case 'exporting':
    case 'outcomeUnknown':
    case 'completed':
    case 'failed':
      return true;
    case 'delivered':
    case 'closed':
    case 'rejected':
    case 'cancelled':
    case 'expired':
      return false;
    default:
      return assertNever(status);
  }
}

/** How a pending request was decided, by whom (as Teams identified them) and when. */
export interface Decision {
  readonly verdict: 'approved' | 'rejected' | 'cancelled' | 'expired';
  /** Undefined when the bot decided (expiry). */
  readonly by: Actor | undefined;
  readonly at: string;
  readonly reason?: string;
  /** For an approval: the first export attempt it covers (a new approval round goes on numbering). */
  readonly firstAttempt?: number;
}

/** The approval card as posted in the approvals channel. */
export interface PostedCard {
  readonly conversationId: string;
  /** The Bot Framework service URL the card was posted through (regional and sovereign clouds differ). */
  readonly serviceUrl: string;
  readonly activityId: string;
  readonly postedAt: string;
}

/** A data-subject export request, as stored after the requester confirmed it. */
export interface ExportRequest {
  /** Human-friendly and unique across instances, e.g. DSR-2026-0042. */
  readonly id: string;
  readonly status: RequestStatus;
  /** The data subject as the directory described them when the request was made. */
  readonly subject: DirectoryUser;
  readonly requester: Actor;
  readonly regime: Regime;
  /** The date the subject's request was received (YYYY-MM-DD): it starts the legal clock. */
  readonly receivedDate: string;
  /** The legal due date (YYYY-MM-DD), from the regime and the received date. */
  readonly dueDate: string;
  readonly reference: string;
  readonly justification: string;
  readonly createdAt: string;
  /** The conversation the request was made in. */
  readonly requestedIn: ConversationRef;
  /** The open request for the same subject the requester knowingly created this one beside, if any. */
  readonly duplicateOf?: string;
  /** Set once the request left pendingApproval. */
  readonly decision?: Decision;
  /** Set once the approval card is in the channel. */
  readonly approvalCard?: PostedCard;
  /**
   * A job's claim to post the approval card, until a time: another job waits for it rather than posting a
   * second card. A claim that ran out without a card (its job died mid-post) lets the next job post.
   */
  readonly cardPosting?: { readonly claimId: string; readonly until: string };
  /** When the channel was last reminded of this pending request. */
  readonly remindedAt?: string;
  /** While pending: when the one reminder timer the request waits for is due (older timers are stale). */
  readonly nextReminderAt?: string;
  /** While pending: when this approval round expires unanswered (an earlier round's timer is stale). */
  readonly expiresAt?: string;
  /** Decisions of earlier approval rounds (an approval whose attempts were used up), oldest first. */
  readonly previousDecisions?: readonly Decision[];
  /** A decision recorded while the decider's admin role is verified (Graph was slow); one at a time. */
  readonly pendingDecision?: PendingDecision;
  /** How the subject's identity was verified; a request without it cannot be approved. */
  readonly identity?: IdentityVerification;
  /** Extensions of the due date, oldest first (`dueDate` is the current one). */
  readonly extensions?: readonly Extension[];
  /** The next deadline reminder the request waits for (a timer due at another time is stale). */
  readonly deadline?: { readonly step: DeadlineStep; readonly at: string };
  /** Set once delivered (status `delivered`). */
  readonly delivery?: Delivery;
  /** A closure without export: proposed (waiting for a second admin), then confirmed (status `closed`). */
  readonly closure?: Closure;
  /** The current export attempt, once approved. */
  readonly export?: ExportState;
  /** Retention: a hold, the deletion notice, the containers deleted. */
  readonly retention?: RequestRetention;
  /**
   * Effects of stored transitions that may not have been handed to the job queue yet (a crash between the
   * write and the hand-over). Whoever finds them hands them over again; every job is safe to run twice.
   */
  readonly outbox?: readonly OutboxEntry[];
}

/** One effect waiting to be handed over, with an id that makes its audit record written once. */
export interface OutboxEntry {
  readonly id: string;
  /** When the transition that made it was stored (absent on entries from older versions). */
  readonly at?: string;
  readonly effect: Effect;
}

/**
 * One export attempt: its own container, one submission, one Graph operation. An admin's Retry (or a
 * confirmed resubmission) starts the next attempt in a new container.
 */
export interface ExportState {
  readonly attempt: number;
  readonly containerName: string;
  /** The storage account holding the container, once the container exists. */
  readonly accountName?: string;
  /**
   * When the submitting job is, or was, about to POST. Set (and stored) before the POST goes out: a job that
   * finds it set cannot know whether Graph took the export, so it never submits again blindly.
   */
  readonly submitStartedAt?: string;
  /** How many times Graph asked to wait (429/503/504) before taking this attempt. */
  readonly throttled: number;
  /** When the one job that moves this attempt on is due; a job due at another time is stale. */
  readonly nextAt?: string;
  /** When the container is next looked into for the export's files (between far-apart reads). */
  readonly watchAt?: string;
  /** The dataPolicyOperation URL (Graph's Location header). */
  readonly operationUrl?: string;
  readonly submittedAt?: string;
  /** No poll before this (Graph's last Retry-After). */
  readonly notBefore?: string;
  readonly polls: number;
  /** Consecutive failed reads of the operation (reset by a good one). */
  readonly pollErrors: number;
  readonly lastCheckedAt?: string;
  /** The operation's status as Graph last gave it (notStarted, running …, or a value Graph adds later). */
  readonly operationStatus?: string;
  /** 0–100. */
  readonly progress?: number;
  /** When the card last showed progress (progress updates are throttled). */
  readonly cardUpdatedAt?: string;
  readonly completedAt?: string;
  readonly failure?: { readonly code: string; readonly message: string };
  /** Set while the outcome of a submission is unknown. */
  readonly unknown?: {
    readonly since: string;
    readonly detail: string;
    /** Evidence checks made so far. */
    readonly checks: number;
    /** Graph's RequestInfo.json is in the container, but the operation could not be identified. */
    readonly evidence: boolean;
    /** When the channel was asked to confirm a resubmission. */
    readonly askedAt?: string;
  };
  readonly sasRevokedAt?: string;
  /** What the container holds, read once the export completed (absent when it could not be read). */
  readonly contents?: ExportContents;
}

export interface PendingDecision {
  readonly claimId: string;
  readonly verdict: 'approved' | 'rejected';
  readonly by: Actor;
  readonly at: string;
  readonly reason?: string;
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
