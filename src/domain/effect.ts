import type { Actor } from './actor';
import type { AuditAction } from './audit';
import type { DeadlineStep } from './deadline-step';
import type { RequesterNotice, ThreadNotice } from './notice';

/**
 * Work an effect asks for outside the transition, through the durable job queue: each kind once, here. A job
 * is this work addressed to its request (see jobs.ts), so adding a kind is one change.
 */
export type JobEffect =
  | { readonly type: 'postApprovalCard' }
  /** Remind the channel at `at` (the request stores it as nextReminderAt). */
  | { readonly type: 'remind'; readonly at: string }
  /** Expire the pending request at `at` (the request stores it as expiresAt). */
  | { readonly type: 'expire'; readonly at: string }
  /** Verify a claimed decision's role with Graph (no budget) and store or drop it. */
  | { readonly type: 'verifyDecision'; readonly claimId: string }
  | { readonly type: 'updateApprovalCard' }
  /** Tell the approval card's thread, once per key: what happened, in facts (the edge words it). */
  | { readonly type: 'replyInThread'; readonly key: string; readonly notice: ThreadNotice }
  /** Tell the requester, once per key. */
  | { readonly type: 'notifyRequester'; readonly key: string; readonly notice: RequesterNotice }
  /** Run the attempt's submission at `at` (the job due then is the only one that acts). */
  | { readonly type: 'submitExport'; readonly attempt: number; readonly at: string }
  | { readonly type: 'checkSubmission'; readonly attempt: number; readonly at: string }
  | { readonly type: 'pollExport'; readonly attempt: number; readonly at: string }
  /** Look into the attempt's container for the export's files at `at` (the request stores it as watchAt). */
  | { readonly type: 'watchExport'; readonly attempt: number; readonly at: string }
  /** A deadline reminder at `at` (the request stores it as `deadline`). */
  | { readonly type: 'deadline'; readonly step: DeadlineStep; readonly at: string }
  /** End the attempt's SAS (the export ended). */
  | { readonly type: 'revokeSas'; readonly attempt: number }
  /** Do what retention asks of the request now (notice, deletion, tombstone): queued by the daily sweep. */
  | { readonly type: 'retention' };

/** A record for the audit trail, written when the effects are handed over (never a job). */
export interface AuditEffect {
  readonly type: 'audit';
  readonly action: AuditAction;
  readonly actor: Actor | undefined;
  readonly detail: string;
  /** 'ok' when absent. */
  readonly outcome?: 'ok' | 'refused';
}

/** What the adapters must do after a transition was stored. Effects never run inside the transition. */
export type Effect = JobEffect | AuditEffect;
