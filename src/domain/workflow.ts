import type { Actor } from './actor';
import type { AuditAction } from './audit';
import type { Effect } from './effect';
import { sameId } from './identity';
import { cleanReason, MAX_REASON } from './text';
import { assertNever, type ExportRequest, type ExportState, type PendingDecision } from './export-request';
import {
  containerNameFor,
  DEFAULT_EXPORT_POLICY,
  pollDelayMs,
  pollErrorDelayMs,
  type ExportPolicy,
} from './policies';

/** What can happen to a request after it was created. Identity in events comes from Teams, never cards. */
export type WorkflowEvent =
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
  | { readonly type: 'dropClaim'; readonly claimId: string; readonly why: string }
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
  | { readonly type: 'sasRevoked'; readonly attempt: number };

// Effect lives in effect.ts, below the record that keeps it in its outbox; named here too, beside transition().
export type { Effect } from './effect';

export type Refusal =
  | { readonly reason: 'alreadyDecided'; readonly decision: NonNullable<ExportRequest['decision']> }
  | { readonly reason: 'selfApproval' }
  | { readonly reason: 'notRequester'; readonly requester: Actor }
  | { readonly reason: 'reasonRequired' }
  | { readonly reason: 'beingVerified'; readonly claim: PendingDecision }
  /** The event is about another attempt, or the export has moved on: nothing to do. */
  | { readonly reason: 'stale' }
  /** Retry or resubmit: only a failed export, or one whose outcome the channel was asked about. */
  | { readonly reason: 'notResubmittable' };

export type TransitionResult =
  | { readonly ok: true; readonly request: ExportRequest; readonly effects: readonly Effect[] }
  | ({ readonly ok: false } & Refusal);

/** The longest rejection reason kept (cleaned like every text a person types). */
export const MAX_REJECT_REASON = MAX_REASON;

/** How long a decision claimed while Graph was slow holds others back, waiting for its verification. */
export const CLAIM_VALIDITY_MS = 10 * 60 * 1000;

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

/**
 * The approval workflow: pure, total and exhaustive. Returns the next request and the effects to run, or
 * why the event does not apply. Four eyes: the requester can neither approve nor reject their own request
 * (they may cancel it); only a pending request can be decided, once.
 */
export function transition(
  request: ExportRequest,
  event: WorkflowEvent,
  now: Date,
  timing: ExportPolicy = DEFAULT_EXPORT_POLICY,
  timers: ApprovalTimers = DEFAULT_APPROVAL_TIMERS,
): TransitionResult {
  const at = now.toISOString();
  const pending = request.status === 'pendingApproval';
  const decided = () => ({
    ok: false as const,
    reason: 'alreadyDecided' as const,
    decision: request.decision!,
  });
  const isRequester = (a: Actor) => sameId(a.aadObjectId, request.requester.aadObjectId);
  /** Another person's decision is being verified: wait for it (a claim older than 10 minutes is void). */
  const otherClaim = (by: Actor | undefined) => {
    const c = request.pendingDecision;
    const fresh = c !== undefined && now.getTime() - Date.parse(c.at) < CLAIM_VALIDITY_MS;
    return fresh && !sameId(c.by.aadObjectId, by?.aadObjectId) ? c : undefined;
  };

  switch (event.type) {
    case 'approve': {
      if (!pending) return decided();
      if (isRequester(event.by)) return { ok: false, reason: 'selfApproval' };
      const claim = otherClaim(event.by);
      if (claim) return { ok: false, reason: 'beingVerified', claim };
      // A new approval round after failed attempts goes on numbering (each attempt has its own container).
      const attempt = (request.export?.attempt ?? 0) + 1;
      const next: ExportRequest = {
        ...request,
        status: 'approved',
        decision: { verdict: 'approved', by: event.by, at, firstAttempt: attempt },
        pendingDecision: undefined,
        nextReminderAt: undefined,
        expiresAt: undefined,
        export: newAttempt(request.id, attempt, at, timing.containerPrefix),
      };
      return {
        ok: true,
        request: next,
        effects: [
          { type: 'audit', action: 'request.approved', actor: event.by, detail: `approved ${request.id}` },
          { type: 'updateApprovalCard' },
          {
            type: 'replyInThread',
            key: 'approved',
            text: `Approved by ${event.by.name}. The export will be submitted to Microsoft Graph.`,
          },
          {
            type: 'notifyRequester',
            key: 'approved',
            text: `${event.by.name} approved your request ${request.id} (${request.subject.displayName}). The export will be submitted to Microsoft Graph.`,
          },
          { type: 'submitExport', attempt, at },
        ],
      };
    }
    case 'reject': {
      if (!pending) return decided();
      if (isRequester(event.by)) return { ok: false, reason: 'selfApproval' };
      const reason = cleanReason(event.reason);
      if (reason === '') return { ok: false, reason: 'reasonRequired' };
      const claim = otherClaim(event.by);
      if (claim) return { ok: false, reason: 'beingVerified', claim };
      const next: ExportRequest = {
        ...request,
        status: 'rejected',
        decision: { verdict: 'rejected', by: event.by, at, reason },
        pendingDecision: undefined,
      };
      return {
        ok: true,
        request: next,
        effects: [
          {
            type: 'audit',
            action: 'request.rejected',
            actor: event.by,
            detail: `rejected ${request.id}: ${reason}`,
          },
          { type: 'updateApprovalCard' },
          { type: 'replyInThread', key: 'rejected', text: `Rejected by ${event.by.name}: ${reason}` },
          {
            type: 'notifyRequester',
            key: 'rejected',
            text: `${event.by.name} rejected your request ${request.id} (${request.subject.displayName}): ${reason}`,
          },
        ],
      };
    }
    case 'cancel': {
      if (!pending) return decided();
      if (!isRequester(event.by)) return { ok: false, reason: 'notRequester', requester: request.requester };
      const next: ExportRequest = {
        ...request,
        status: 'cancelled',
        decision: { verdict: 'cancelled', by: event.by, at },
      };
      return {
        ok: true,
        request: next,
        effects: [
          {
            type: 'audit',
            action: 'request.cancelled',
            actor: event.by,
            detail: `cancelled ${request.id} before a decision`,
          },
          { type: 'updateApprovalCard' },
          {
            type: 'replyInThread',
            key: 'cancelled',
            text: `Cancelled by ${event.by.name}, who asked for it.`,
          },
        ],
      };
    }
    case 'expire': {
      if (!pending) return decided();
      // An expiry timer of another approval round (or one from before timers carried their time) is stale.
      if (request.expiresAt !== undefined && event.at !== request.expiresAt)
        return { ok: false, reason: 'stale' };
      const next: ExportRequest = {
        ...request,
        status: 'expired',
        decision: { verdict: 'expired', by: undefined, at },
      };
      return {
        ok: true,
        request: next,
        effects: [
          {
            type: 'audit',
            action: 'request.expired',
            actor: undefined,
            detail: `no decision on ${request.id}; expired`,
          },
          { type: 'updateApprovalCard' },
          {
            type: 'replyInThread',
            key: 'expired',
            text: 'Expired: nobody decided in time. The requester can ask again.',
          },
          {
            type: 'notifyRequester',
            key: 'expired',
            text: `Your request ${request.id} (${request.subject.displayName}) expired without a decision. Ask again if it is still needed; the legal due date is ${request.dueDate}.`,
          },
        ],
      };
    }
    case 'remind': {
      if (!pending) return decided();
      // Only the reminder the request waits for acts: a repeated or older timer starts no second chain.
      // (A timer from before timers carried their time acts only on a request that has no reminder date.)
      if (
        (event.at !== undefined || request.nextReminderAt !== undefined) &&
        event.at !== request.nextReminderAt
      )
        return { ok: false, reason: 'stale' };
      const expiresAt = request.expiresAt
        ? Date.parse(request.expiresAt)
        : Date.parse(request.createdAt) + timers.expireAfterMs;
      const remindAt = now.getTime() + timers.remindAfterMs;
      const nextReminderAt = remindAt < expiresAt ? new Date(remindAt).toISOString() : undefined;
      const next: ExportRequest = { ...request, remindedAt: at, nextReminderAt };
      return {
        ok: true,
        request: next,
        effects: [
          ...(nextReminderAt ? [{ type: 'remind', at: nextReminderAt } as const] : []),
          {
            type: 'audit',
            action: 'request.reminded',
            actor: undefined,
            detail: `reminded the channel about ${request.id}`,
          },
          {
            type: 'replyInThread',
            key: `reminder-${at}`,
            text: `Reminder: ${request.id} still waits for a second admin. Legal due date ${request.dueDate}.`,
          },
        ],
      };
    }
    case 'claimDecision': {
      if (!pending) return decided();
      if (isRequester(event.claim.by)) return { ok: false, reason: 'selfApproval' };
      const claim = otherClaim(event.claim.by);
      if (claim) return { ok: false, reason: 'beingVerified', claim };
      return {
        ok: true,
        request: { ...request, pendingDecision: event.claim },
        effects: [{ type: 'updateApprovalCard' }, { type: 'verifyDecision', claimId: event.claim.claimId }],
      };
    }
    case 'dropClaim': {
      if (request.pendingDecision?.claimId !== event.claimId) {
        return request.decision ? decided() : { ok: true, request, effects: [] };
      }
      const by = request.pendingDecision.by;
      return {
        ok: true,
        request: { ...request, pendingDecision: undefined },
        effects: [
          {
            type: 'audit',
            action: 'decision.refused',
            actor: by,
            outcome: 'refused',
            detail: `${by.name}'s decision on ${request.id} was not accepted: ${event.why}`,
          },
          { type: 'updateApprovalCard' },
          {
            type: 'replyInThread',
            key: `refused-${event.claimId}`,
            text: `${by.name}'s decision could not be accepted: ${event.why}`,
          },
        ],
      };
    }
    case 'submitStarted':
    case 'submitAccepted':
    case 'submitThrottled':
    case 'submitRefused':
    case 'submitUnknown':
    case 'evidenceChecked':
    case 'polled':
    case 'pollFailed':
    case 'operationLost':
    case 'resubmit':
    case 'sasRevoked':
      return exportTransition(request, event, now, timing, timers);
    case 'cardPostClaimed': {
      if (request.approvalCard) return { ok: false, reason: 'stale' };
      const c = request.cardPosting;
      if (c && c.claimId !== event.claimId && Date.parse(c.until) > now.getTime())
        return { ok: false, reason: 'stale' };
      return {
        ok: true,
        request: { ...request, cardPosting: { claimId: event.claimId, until: event.until } },
        effects: [],
      };
    }
    case 'cardPosted':
      return {
        ok: true,
        request: {
          ...request,
          cardPosting: undefined,
          approvalCard: {
            conversationId: event.conversationId,
            activityId: event.activityId,
            serviceUrl: event.serviceUrl,
            postedAt: at,
          },
        },
        effects: [
          {
            type: 'audit',
            action: 'card.posted',
            actor: undefined,
            detail: `approval card posted for ${request.id}`,
          },
        ],
      };
    default:
      return assertNever(event);
  }
}

type ExportEvent = Extract<
  WorkflowEvent,
  {
    type:
      | 'submitStarted'
      | 'submitAccepted'
      | 'submitThrottled'
      | 'submitRefused'
      | 'submitUnknown'
      | 'evidenceChecked'
      | 'polled'
      | 'pollFailed'
      | 'operationLost'
      | 'resubmit'
      | 'sasRevoked';
  }
>;

function newAttempt(requestId: string, attempt: number, at: string, prefix: string): ExportState {
  return {
    attempt,
    containerName: containerNameFor(requestId, attempt, prefix),
    throttled: 0,
    polls: 0,
    pollErrors: 0,
    nextAt: at,
  };
}

const stale = { ok: false as const, reason: 'stale' as const };

/** An attempt whose outcome was unknown, now known to be Graph's operation `operationUrl`: poll it now. */
function following(x: ExportState, operationUrl: string, at: string): ExportState {
  return {
    ...x,
    operationUrl,
    submittedAt: x.submitStartedAt ?? at,
    notBefore: at,
    nextAt: at,
    unknown: undefined,
    cardUpdatedAt: at,
  };
}

/** The export's part of the workflow: submission, evidence, polling, completion, retry. */
function exportTransition(
  request: ExportRequest,
  event: ExportEvent,
  now: Date,
  timing: ExportPolicy,
  timers: ApprovalTimers,
): TransitionResult {
  const at = now.toISOString();
  const later = (ms: number) => new Date(now.getTime() + ms).toISOString();
  const x = request.export;
  const id = request.id;
  const subject = request.subject.displayName;
  const where = () => `container ${x?.containerName ?? ''} in storage account ${x?.accountName ?? ''}`;
  const audit = (action: AuditAction, detail: string, actor?: Actor): Effect => ({
    type: 'audit',
    action,
    actor,
    detail,
  });
  const ok = (next: ExportRequest, effects: Effect[]): TransitionResult => ({
    ok: true,
    request: next,
    effects,
  });
  /** The export ended in failure: tell everyone, end the SAS. */
  const fail = (state: ExportState, code: string, message: string): TransitionResult => {
    const failed: ExportState = { ...state, nextAt: undefined, completedAt: at, failure: { code, message } };
    return ok({ ...request, status: 'failed', export: failed }, [
      audit('export.failed', `attempt ${state.attempt} of ${id} failed (${code}): ${message}`),
      { type: 'updateApprovalCard' },
      {
        type: 'replyInThread',
        key: `failed-${state.attempt}`,
        text: `The export for ${id} failed (${code}): ${message} An admin can choose Retry on the card: it exports into a new container.`,
      },
      {
        type: 'notifyRequester',
        key: `failed-${state.attempt}`,
        text: `The export for your request ${id} (${subject}) failed (${code}): ${message} An admin can retry it from the card in the approvals channel.`,
      },
      { type: 'revokeSas', attempt: state.attempt },
    ]);
  };

  if (event.type === 'resubmit') {
    const retryable =
      x !== undefined &&
      (request.status === 'failed' ||
        (request.status === 'outcomeUnknown' && x.unknown?.askedAt !== undefined));
    if (!retryable) return { ok: false, reason: 'notResubmittable' };
    // Four eyes on every export: the requester cannot start one, not even again.
    if (sameId(event.by.aadObjectId, request.requester.aadObjectId))
      return { ok: false, reason: 'selfApproval' };
    if (request.status === 'outcomeUnknown' && event.evidence?.found && event.evidence.operationUrl) {
      // Graph did take it after all: follow that export instead of starting a second one.
      const operationUrl = event.evidence.operationUrl;
      const state = following(x, operationUrl, at);
      return ok({ ...request, status: 'exporting', export: state }, [
        audit(
          'export.recovered',
          `${event.by.name} asked to resubmit ${id}, but a last look found Graph's RequestInfo.json in ${where()} (operation ${operationId(operationUrl)}): following it, not submitting again`,
          event.by,
        ),
        { type: 'updateApprovalCard' },
        {
          type: 'replyInThread',
          key: `recovered-${x.attempt}`,
          text: `Before submitting ${id} again I looked once more: Microsoft Graph did take the export (it is in ${where()}). I follow that one instead of starting a second export.`,
        },
        { type: 'pollExport', attempt: x.attempt, at },
      ]);
    }
    const approvedAttempts = x.attempt - (request.decision?.firstAttempt ?? 1) + 1;
    if (approvedAttempts >= MAX_ATTEMPTS_PER_APPROVAL) {
      // The approval is used up: the request goes back to the channel for a new decision.
      const round = approvalRound(now, timers);
      return ok(
        {
          ...request,
          status: 'pendingApproval',
          decision: undefined,
          pendingDecision: undefined,
          previousDecisions: [
            ...(request.previousDecisions ?? []),
            ...(request.decision ? [request.decision] : []),
          ],
          nextReminderAt: round.nextReminderAt,
          expiresAt: round.expiresAt,
        },
        [
          audit(
            'request.reapprovalAsked',
            `${event.by.name} asked to export ${id} again after ${approvedAttempts} attempts under one approval: a new approval is needed`,
            event.by,
          ),
          { type: 'updateApprovalCard' },
          {
            type: 'replyInThread',
            key: `reapproval-${x.attempt}`,
            text: `${id} was tried ${approvedAttempts} times under one approval. Another export needs a new approval: an admin other than the requester can approve it again on the card.`,
          },
          ...(request.status === 'outcomeUnknown'
            ? [{ type: 'revokeSas', attempt: x.attempt } as const]
            : []),
          ...round.effects,
        ],
      );
    }
    const attempt = x.attempt + 1;
    const fresh = newAttempt(id, attempt, at, timing.containerPrefix);
    return ok({ ...request, status: 'approved', export: fresh }, [
      audit(
        'export.resubmitted',
        `${event.by.name} asked for attempt ${attempt} of ${id} into the new container ${fresh.containerName} (the previous attempt ${request.status === 'failed' ? 'failed' : 'had an unknown outcome'})`,
        event.by,
      ),
      { type: 'updateApprovalCard' },
      {
        type: 'replyInThread',
        key: `resubmitted-${attempt}`,
        text: `${event.by.name} asked to export ${id} again, into a new container (${fresh.containerName}).`,
      },
      ...(request.status === 'outcomeUnknown' ? [{ type: 'revokeSas', attempt: x.attempt } as const] : []),
      { type: 'submitExport', attempt, at },
    ]);
  }

  if (!x || event.attempt !== x.attempt) return stale;

  switch (event.type) {
    case 'submitStarted': {
      if (request.status !== 'approved' || x.submitStartedAt) return stale;
      return ok({ ...request, export: { ...x, submitStartedAt: at, accountName: event.accountName } }, [
        audit(
          'sas.created',
          `write-only SAS (create, write; no read, list or delete) for container ${x.containerName} in storage account ${event.accountName}, for attempt ${x.attempt} of ${id}`,
        ),
      ]);
    }
    case 'submitAccepted': {
      if (request.status !== 'approved' && request.status !== 'outcomeUnknown') return stale;
      const retryAfterMs = event.retryAfterSeconds * 1000;
      const nextAt = later(pollDelayMs(0, retryAfterMs, timing.pollCapMs));
      const state: ExportState = {
        ...x,
        operationUrl: event.operationUrl,
        submittedAt: at,
        notBefore: later(retryAfterMs),
        nextAt,
        unknown: undefined,
        cardUpdatedAt: at,
      };
      return ok({ ...request, status: 'exporting', export: state }, [
        audit(
          'export.submitted',
          `Graph accepted the export of ${id} (attempt ${x.attempt}) into ${where()}; operation ${operationId(event.operationUrl)}`,
        ),
        { type: 'updateApprovalCard' },
        {
          type: 'replyInThread',
          key: `submitted-${x.attempt}`,
          text: `Submitted to Microsoft Graph: the export of ${subject} goes into ${where()}. Exports usually take a few days; I will post here when it is done.`,
        },
        { type: 'pollExport', attempt: x.attempt, at: nextAt },
      ]);
    }
    case 'submitThrottled': {
      if (request.status !== 'approved') return stale;
      const nextAt = later(Math.max(1000, event.retryAfterSeconds * 1000));
      const state: ExportState = { ...x, submitStartedAt: undefined, throttled: x.throttled + 1, nextAt };
      return ok({ ...request, export: state }, [
        audit(
          'export.throttled',
          `Graph did not take the export of ${id} yet (${event.code}); trying again after ${event.retryAfterSeconds} s as it asked`,
        ),
        ...(x.throttled === 0 ? [{ type: 'updateApprovalCard' } as const] : []),
        { type: 'submitExport', attempt: x.attempt, at: nextAt },
      ]);
    }
    case 'submitRefused': {
      if (request.status !== 'approved') return stale;
      return fail({ ...x, submitStartedAt: undefined }, event.code, event.message);
    }
    case 'submitUnknown': {
      if (request.status !== 'approved') return stale;
      const state: ExportState = {
        ...x,
        nextAt: at,
        unknown: { since: at, detail: event.detail, checks: 0, evidence: false },
      };
      return ok({ ...request, status: 'outcomeUnknown', export: state }, [
        audit(
          'export.unknown',
          `no answer from Graph to the export of ${id} (attempt ${x.attempt}): ${event.detail}; not submitting again before looking for evidence`,
        ),
        { type: 'updateApprovalCard' },
        { type: 'checkSubmission', attempt: x.attempt, at },
      ]);
    }
    case 'evidenceChecked': {
      if (request.status !== 'outcomeUnknown' || !x.unknown || x.unknown.askedAt) return stale;
      if (event.found && event.operationUrl) {
        const state = following(x, event.operationUrl, at);
        return ok({ ...request, status: 'exporting', export: state }, [
          audit(
            'export.recovered',
            `Graph's RequestInfo.json is in ${where()}: the export of ${id} was accepted (operation ${operationId(event.operationUrl)}); following it, not submitting again`,
          ),
          { type: 'updateApprovalCard' },
          { type: 'pollExport', attempt: x.attempt, at },
        ]);
      }
      const checks = x.unknown.checks + 1;
      if (!event.found && checks < timing.evidenceChecks) {
        const nextAt = later(timing.evidenceRecheckMs);
        return ok({ ...request, export: { ...x, nextAt, unknown: { ...x.unknown, checks } } }, [
          { type: 'checkSubmission', attempt: x.attempt, at: nextAt },
        ]);
      }
      const state: ExportState = {
        ...x,
        nextAt: undefined,
        unknown: { ...x.unknown, checks, evidence: event.found, askedAt: at },
      };
      const question = event.found
        ? `Graph did take the export of ${id}: its RequestInfo.json is in ${where()}, but I could not tell which operation it is, so I cannot follow it. Check that container in a few days. An admin can choose Resubmit on the card for a followed export into a new container.`
        : `I do not know whether Microsoft Graph took the export of ${id}: ${x.unknown.detail}. Nothing is in ${where()} yet. To avoid a second export I have not submitted again: an admin can choose Resubmit on the card to export into a new container.`;
      return ok({ ...request, export: state }, [
        audit(
          'export.unknown',
          event.found
            ? `evidence of the export of ${id} found but no operation id; the channel is told`
            : `no evidence of the export of ${id} after ${checks} checks; the channel is asked to confirm a resubmission`,
        ),
        { type: 'updateApprovalCard' },
        { type: 'replyInThread', key: `unknown-${x.attempt}`, text: question },
      ]);
    }
    case 'polled': {
      if (request.status !== 'exporting') return stale;
      const checked: ExportState = {
        ...x,
        polls: x.polls + 1,
        pollErrors: 0,
        lastCheckedAt: at,
        operationStatus: event.status,
        progress: event.progress ?? x.progress,
      };
      if (event.status === 'complete') {
        // The export service's progress is its completion success rate: below 100 % some products' data is
        // missing (for example when the container stopped taking writes).
        const partial = event.progress !== undefined && event.progress < 100 ? event.progress : undefined;
        const done: ExportState = {
          ...checked,
          nextAt: undefined,
          progress: partial ?? 100,
          completedAt: event.completedAt ?? at,
        };
        const gaps =
          partial === undefined
            ? ''
            : ` Graph reports only ${partial} % of the data exported: some products may be missing; check the container before delivery, and Retry if needed.`;
        return ok({ ...request, status: 'completed', export: done }, [
          audit(
            'export.completed',
            `the export of ${id} completed after ${done.polls} status reads${partial === undefined ? '' : ` with a completion rate of ${partial} %`}; the data is in ${where()}`,
          ),
          { type: 'updateApprovalCard' },
          {
            type: 'replyInThread',
            key: `completed-${x.attempt}`,
            text: `The export for ${id} (${subject}) is complete: the data is in ${where()}.${gaps} The link to the container is on the card; the write access given to Graph has been withdrawn.`,
          },
          {
            type: 'notifyRequester',
            key: `completed-${x.attempt}`,
            text: `The export for your request ${id} (${subject}) is complete: the data is in ${where()}.${gaps} Legal due date: ${request.dueDate}.`,
          },
          { type: 'revokeSas', attempt: x.attempt },
        ]);
      }
      if (event.status === 'failed') {
        return fail(
          checked,
          'OperationFailed',
          'Microsoft Graph reported the export operation as failed (it gives no reason).',
        );
      }
      // notStarted, running, unknownFutureValue or anything Graph adds later: not finished.
      const retryAfterMs = (event.retryAfterSeconds ?? 0) * 1000;
      const age = Date.parse(at) - Date.parse(x.submittedAt ?? at);
      const nextAt = later(pollDelayMs(age, retryAfterMs, timing.pollCapMs));
      const statusChanged = event.status !== x.operationStatus;
      const progressChanged = checked.progress !== x.progress;
      const cardDue =
        statusChanged ||
        (progressChanged &&
          Date.parse(at) - Date.parse(x.cardUpdatedAt ?? '1970-01-01') >= timing.cardEveryMs);
      const state: ExportState = {
        ...checked,
        notBefore: later(retryAfterMs),
        nextAt,
        ...(cardDue ? { cardUpdatedAt: at } : {}),
      };
      return ok({ ...request, export: state }, [
        ...(statusChanged
          ? [
              audit(
                'export.statusChanged',
                `the export of ${id} is ${event.status} (was ${x.operationStatus ?? 'submitted'})`,
              ),
            ]
          : []),
        ...(cardDue ? [{ type: 'updateApprovalCard' } as const] : []),
        { type: 'pollExport', attempt: x.attempt, at: nextAt },
      ]);
    }
    case 'pollFailed': {
      if (request.status !== 'exporting') return stale;
      const errors = x.pollErrors + 1;
      const nextAt = later(pollErrorDelayMs(errors, (event.retryAfterSeconds ?? 0) * 1000, timing.pollCapMs));
      const report = errors === timing.pollErrorsToReport;
      return ok({ ...request, export: { ...x, pollErrors: errors, nextAt } }, [
        ...(report
          ? [
              audit(
                'export.pollFailing',
                `${errors} reads in a row of the export of ${id} failed: ${event.detail}`,
              ),
              {
                type: 'replyInThread',
                key: `poll-errors-${x.attempt}-${x.polls}`,
                text: `I could not read the status of the export for ${id} ${errors} times in a row: ${event.detail} The export itself is not affected; I keep trying.`,
              } as const,
            ]
          : []),
        { type: 'pollExport', attempt: x.attempt, at: nextAt },
      ]);
    }
    case 'operationLost': {
      if (request.status !== 'exporting') return stale;
      const state: ExportState = {
        ...x,
        nextAt: undefined,
        unknown: { since: at, detail: event.detail, checks: 0, evidence: false, askedAt: at },
      };
      return ok({ ...request, status: 'outcomeUnknown', export: state }, [
        audit(
          'export.unknown',
          `Graph does not know operation ${operationId(x.operationUrl ?? '')} of ${id} any more: ${event.detail}`,
        ),
        { type: 'updateApprovalCard' },
        {
          type: 'replyInThread',
          key: `lost-${x.attempt}`,
          text: `Microsoft Graph no longer knows the export operation of ${id} (${event.detail}). Its data may still arrive in ${where()}: check that container in a few days. I stopped following it. An admin other than the requester can choose Resubmit on the card to export again into a new container.`,
        },
      ]);
    }
    case 'sasRevoked': {
      if (x.sasRevokedAt) return stale;
      // Audited by the revoking job (an older attempt's SAS is revoked too, with no state to change).
      return ok({ ...request, export: { ...x, sasRevokedAt: at } }, []);
    }
    default:
      return assertNever(event);
  }
}

/** The operation id at the end of a dataPolicyOperations URL (the URL itself holds no secret). */
export function operationId(operationUrl: string): string {
  return operationUrl.split('/').pop()?.split('?')[0] ?? operationUrl;
}
