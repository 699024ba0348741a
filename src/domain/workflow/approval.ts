import type { Actor } from '../actor';
import { sameId } from '../identity';
import { cleanReason } from '../text';
import { assertNever, type ExportRequest } from '../export-request';
import type { DecisionNotice } from '../notice';
import type { ExportPolicy } from '../policies';
import { newAttempt } from './attempt';
import type { ApprovalEvent, ApprovalTimers, TransitionResult } from './types';

/**
 * The approval's part of the workflow. Four eyes: the requester can neither approve nor reject their own
 * request (they may cancel it); only a pending request can be decided, once. A decision claimed while Graph
 * was slow holds other deciders back for the policy's claim validity.
 */
export function approvalTransition(
  request: ExportRequest,
  event: ApprovalEvent,
  now: Date,
  policy: ExportPolicy,
  timers: ApprovalTimers,
): TransitionResult {
  const at = now.toISOString();
  const pending = request.status === 'pendingApproval';
  const subject = request.subject.displayName;
  const decided = () => ({
    ok: false as const,
    reason: 'alreadyDecided' as const,
    decision: request.decision!,
  });
  const isRequester = (a: Actor) => sameId(a.aadObjectId, request.requester.aadObjectId);
  /** Another person's decision is being verified: wait for it (an older claim than the validity is void). */
  const otherClaim = (by: Actor | undefined) => {
    const c = request.pendingDecision;
    const fresh = c !== undefined && now.getTime() - Date.parse(c.at) < policy.claimValidityMs;
    return fresh && !sameId(c.by.aadObjectId, by?.aadObjectId) ? c : undefined;
  };

  switch (event.type) {
    case 'approve': {
      if (!pending) return decided();
      if (isRequester(event.by)) return { ok: false, reason: 'selfApproval' };
      // CCPA §7060–7062: no disclosure before the subject's identity is verified.
      if (!request.identity) return { ok: false, reason: 'identityNotVerified' };
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
        export: newAttempt(request.id, attempt, at, policy.containerPrefix),
      };
      const notice: DecisionNotice = { kind: 'approved', requestId: request.id, subject, by: event.by.name };
      return {
        ok: true,
        request: next,
        effects: [
          { type: 'audit', action: 'request.approved', actor: event.by, detail: `approved ${request.id}` },
          { type: 'updateApprovalCard' },
          { type: 'replyInThread', key: 'approved', notice },
          { type: 'notifyRequester', key: 'approved', notice },
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
      const notice: DecisionNotice = {
        kind: 'rejected',
        requestId: request.id,
        subject,
        by: event.by.name,
        reason,
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
          { type: 'replyInThread', key: 'rejected', notice },
          { type: 'notifyRequester', key: 'rejected', notice },
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
          { type: 'replyInThread', key: 'cancelled', notice: { kind: 'cancelled', by: event.by.name } },
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
      const notice: DecisionNotice = {
        kind: 'expired',
        requestId: request.id,
        subject,
        dueDate: request.dueDate,
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
          { type: 'replyInThread', key: 'expired', notice },
          { type: 'notifyRequester', key: 'expired', notice },
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
            notice: { kind: 'reminder', requestId: request.id, dueDate: request.dueDate },
          },
        ],
      };
    }
    case 'claimDecision': {
      if (!pending) return decided();
      if (isRequester(event.claim.by)) return { ok: false, reason: 'selfApproval' };
      if (event.claim.verdict === 'approved' && !request.identity)
        return { ok: false, reason: 'identityNotVerified' };
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
            notice: { kind: 'decisionRefused', by: by.name, why: event.why },
          },
        ],
      };
    }
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
