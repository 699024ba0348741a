import type { Actor } from '../actor';
import type { Effect } from '../effect';
import type {
  ClosureReason,
  DeadlineStep,
  DeliveryMethod,
  ExportContents,
  ExportRequest,
  IdentityMethod,
  PendingDecision,
} from '../export-request';
import type { ExtensionAnswer } from '../deadline';

/** What can happen to a request after it was created. Identity in events comes from Teams, never cards. */
export type WorkflowEvent = ApprovalEvent | ExportEvent | LifecycleEvent | RetentionEvent;

/**
 * Retention (./retention.ts): an admin's hold and its release, the notice before an export is deleted, and a
 * deletion of containers, stored before it starts and after it ended.
 */
export type RetentionEvent =
  | { readonly type: 'hold'; readonly by: Actor; readonly reason: string }
  | { readonly type: 'releaseHold'; readonly by: Actor }
  | { readonly type: 'retentionNoticed'; readonly deleteOn: string; readonly days: number }
  | { readonly type: 'deletionStarted'; readonly containers: readonly string[] }
  | {
      readonly type: 'containersDeleted';
      readonly containers: readonly string[];
      readonly why: 'delivered' | 'unused';
    };

/**
 * The legal clock's part, after (and beside) the export: identity verification, extensions, deadline
 * reminders, delivery to the subject and closure without export (four eyes).
 */
export type LifecycleEvent =
  | {
      readonly type: 'recordIdentity';
      readonly by: Actor;
      readonly method: IdentityMethod;
      readonly note: string;
    }
  /** `months`: GDPR only (1 or 2). */
  | { readonly type: 'extend'; readonly by: Actor; readonly reason: string; readonly months?: number }
  | {
      readonly type: 'deliver';
      readonly by: Actor;
      /** The day the data reached the subject (YYYY-MM-DD). */
      readonly date: string;
      readonly method: DeliveryMethod;
      readonly note: string;
    }
  | {
      readonly type: 'proposeClosure';
      readonly by: Actor;
      readonly reason: ClosureReason;
      readonly note: string;
    }
  /** `proposedAt` names the proposal the admin was shown (absent: whichever is proposed now). */
  | { readonly type: 'confirmClosure'; readonly by: Actor; readonly proposedAt?: string }
  | { readonly type: 'withdrawClosure'; readonly by: Actor; readonly proposedAt?: string }
  /** A deadline reminder's timer fired; `at` is when it was due (only the one the request waits for acts). */
  | { readonly type: 'deadlineDue'; readonly step: DeadlineStep; readonly at: string };

/** The approval's part: deciding, reminding, expiring, verifying slow claims, posting the card. */
export type ApprovalEvent =
  | { readonly type: 'approve'; readonly by: Actor }
  | { readonly type: 'reject'; readonly by: Actor; readonly reason: string }
  | { readonly type: 'cancel'; readonly by: Actor }
  /** The expiry timer fired; `at` is when it was due (a timer of an earlier approval round is stale). */
  | { readonly type: 'expire'; readonly at?: string }
  /** A reminder timer fired; `at` is when it was due (only the reminder the request waits for acts). */
  | { readonly type: 'remind'; readonly at?: string }
  /** A job is about to post the approval card (stored first, so that a second job waits instead of posting). */
  | { readonly type: 'cardPostClaimed'; readonly claimId: string; readonly until: string }
  | {
      readonly type: 'cardPosted';
      readonly conversationId: string;
      readonly activityId: string;
      readonly serviceUrl: string;
    }
  /** A decision waiting for the decider's role to be verified (Graph too slow to answer in the invoke). */
  | { readonly type: 'claimDecision'; readonly claim: PendingDecision }
  /** The verification refused the claim, or gave up. */
  | { readonly type: 'dropClaim'; readonly claimId: string; readonly why: string };

/** The export's part: submission, evidence, polling, completion, retry. */
export type ExportEvent =
  /** The attempt's container and SAS exist; the POST is about to go out (stored first: write-ahead). */
  | { readonly type: 'submitStarted'; readonly attempt: number; readonly accountName: string }
  /** Graph answered 202. */
  | {
      readonly type: 'submitAccepted';
      readonly attempt: number;
      readonly operationUrl: string;
      readonly retryAfterSeconds: number;
    }
  /** Graph did not take it (429/503/504) and said when to try again. */
  | {
      readonly type: 'submitThrottled';
      readonly attempt: number;
      readonly code: string;
      readonly retryAfterSeconds: number;
    }
  /** Graph (or the container) refused: trying again will not help without a change. */
  | {
      readonly type: 'submitRefused';
      readonly attempt: number;
      readonly code: string;
      readonly message: string;
    }
  /** No answer came back: the export may or may not have started. */
  | { readonly type: 'submitUnknown'; readonly attempt: number; readonly detail: string }
  /** The result of looking for Graph's RequestInfo.json in the attempt's container. */
  | {
      readonly type: 'evidenceChecked';
      readonly attempt: number;
      readonly found: boolean;
      /** The operation, when the evidence names it. */
      readonly operationUrl?: string;
    }
  /** A read of the operation. */
  | {
      readonly type: 'polled';
      readonly attempt: number;
      readonly status: string;
      /** On completion: what the container holds, read with the bot's own storage credential. */
      readonly contents?: ExportContents;
      /** 0–100 */
      readonly progress: number | undefined;
      readonly retryAfterSeconds: number | undefined;
      readonly completedAt: string | undefined;
    }
  /**
   * Graph does not know the operation the request follows (400 OperationNotFound): not a finished export, a
   * fault. The data may still arrive; the channel is told and may resubmit.
   */
  | { readonly type: 'operationLost'; readonly attempt: number; readonly detail: string }
  /** A read of the operation failed (Graph error, timeout). */
  | {
      readonly type: 'pollFailed';
      readonly attempt: number;
      readonly detail: string;
      readonly retryAfterSeconds: number | undefined;
    }
  /**
   * An admin asked for a new attempt (after a failure, or to resolve an unknown outcome). After an unknown
   * outcome, `evidence` is what a last look into the attempt's container found right before.
   */
  | {
      readonly type: 'resubmit';
      readonly by: Actor;
      readonly evidence?: { readonly found: boolean; readonly operationUrl?: string };
    }
  /** The attempt's SAS no longer grants anything. */
  | { readonly type: 'sasRevoked'; readonly attempt: number }
  /**
   * A look into the attempt's container, due at `at`: whether the export's files (more than Graph's
   * RequestInfo.json) are there. Files alone never complete a request: they bring Graph's read forward.
   */
  | { readonly type: 'watched'; readonly attempt: number; readonly at: string; readonly filesSeen: boolean };

/** The event of one type. */
export type EventOf<T extends WorkflowEvent['type']> = Extract<WorkflowEvent, { readonly type: T }>;

export type Refusal =
  | { readonly reason: 'alreadyDecided'; readonly decision: NonNullable<ExportRequest['decision']> }
  | { readonly reason: 'selfApproval' }
  | { readonly reason: 'notRequester'; readonly requester: Actor }
  | { readonly reason: 'reasonRequired' }
  | { readonly reason: 'beingVerified'; readonly claim: PendingDecision }
  /** The event is about another attempt, or the export has moved on: nothing to do. */
  | { readonly reason: 'stale' }
  /** Retry or resubmit: only a failed export, or one whose outcome the channel was asked about. */
  | { readonly reason: 'notResubmittable' }
  /** An approval of a request whose subject's identity was not verified (CCPA §7060). */
  | { readonly reason: 'identityNotVerified' }
  | { readonly reason: 'extensionRefused'; readonly why: Extract<ExtensionAnswer, { ok: false }>['why'] }
  /** Delivery: only once the export completed, on a day between the request's receipt and today. */
  | { readonly reason: 'notDeliverable' }
  | { readonly reason: 'badDate' }
  /** Closure: not while the export runs, nor once the clock stopped; confirm needs a proposal. */
  | { readonly reason: 'notClosable' }
  | { readonly reason: 'noClosureProposed' }
  /** The admin who proposed a closure cannot confirm it (four eyes). */
  | { readonly reason: 'sameAdmin' }
  /** An extension or a closure needs a written reason. */
  | { readonly reason: 'noteRequired' }
  /** The legal clock stopped (delivered, closed, ended): nothing more to record. */
  | { readonly reason: 'clockStopped' }
  /** The subject's identity check is recorded already: it is evidence, not overwritten. */
  | { readonly reason: 'identityRecorded' }
  /** Retention: the request is held (nothing is deleted), or is not held (nothing to release). */
  | { readonly reason: 'held' }
  | { readonly reason: 'notHeld' }
  /** A deletion of its containers is under way: a hold comes too late for them. */
  | { readonly reason: 'deletionInProgress' };

export type TransitionResult =
  | { readonly ok: true; readonly request: ExportRequest; readonly effects: readonly Effect[] }
  | ({ readonly ok: false } & Refusal);

/** The event is about another attempt, or the export has moved on. */
export const stale = { ok: false as const, reason: 'stale' as const };

/** Export attempts one approval covers (the first and two retries); more need a new approval. */
export const MAX_ATTEMPTS_PER_APPROVAL = 3;

/** When a pending request reminds its channel, and when it expires unanswered. */
export interface ApprovalTimers {
  readonly remindAfterMs: number;
  readonly expireAfterMs: number;
}

export const DEFAULT_APPROVAL_TIMERS: ApprovalTimers = {
  remindAfterMs: 24 * 3600 * 1000,
  expireAfterMs: 7 * 24 * 3600 * 1000,
};

/**
 * The timers of a request that starts (or starts again) waiting for approval at `now`: its reminder and
 * expiry dates, and the effects that arm them. Written once, for intake and for a new approval round.
 */
export function approvalRound(
  now: Date,
  timers: ApprovalTimers,
): { readonly nextReminderAt: string | undefined; readonly expiresAt: string; readonly effects: Effect[] } {
  const expiresAt = new Date(now.getTime() + timers.expireAfterMs).toISOString();
  const remindAt = now.getTime() + timers.remindAfterMs;
  const nextReminderAt = remindAt < Date.parse(expiresAt) ? new Date(remindAt).toISOString() : undefined;
  return {
    nextReminderAt,
    expiresAt,
    effects: [
      ...(nextReminderAt ? [{ type: 'remind', at: nextReminderAt } as const] : []),
      { type: 'expire', at: expiresAt },
    ],
  };
}
