import type { AuditAction } from './audit';
import { assertNever, type Actor, type ExportRequest, type PendingDecision } from './export-request';

/** What can happen to a request after it was created. Identity in events comes from Teams, never cards. */
export type WorkflowEvent =
  | { readonly type: 'approve'; readonly by: Actor }
  | { readonly type: 'reject'; readonly by: Actor; readonly reason: string }
  | { readonly type: 'cancel'; readonly by: Actor }
  | { readonly type: 'expire' }
  | { readonly type: 'remind' }
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

/** What the adapters must do after a transition was stored. Effects never run inside the transition. */
export type Effect =
  | { readonly type: 'updateApprovalCard' }
  | { readonly type: 'replyInThread'; readonly key: string; readonly text: string }
  | { readonly type: 'notifyRequester'; readonly key: string; readonly text: string }
  | { readonly type: 'scheduleExport' }
  | {
      readonly type: 'audit';
      readonly action: AuditAction;
      readonly actor: Actor | undefined;
      readonly detail: string;
    };

export type Refusal =
  | { readonly reason: 'alreadyDecided'; readonly decision: NonNullable<ExportRequest['decision']> }
  | { readonly reason: 'selfApproval' }
  | { readonly reason: 'notRequester'; readonly requester: Actor }
  | { readonly reason: 'reasonRequired' }
  | { readonly reason: 'beingVerified'; readonly claim: PendingDecision };

export type TransitionResult =
  | { readonly ok: true; readonly request: ExportRequest; readonly effects: readonly Effect[] }
  | ({ readonly ok: false } & Refusal);

export const MAX_REJECT_REASON = 500;

/**
 * The approval workflow: pure, total and exhaustive. Returns the next request and the effects to run, or
 * why the event does not apply. Four eyes: the requester can neither approve nor reject their own request
 * (they may cancel it); only a pending request can be decided, once.
 */
export function transition(request: ExportRequest, event: WorkflowEvent, now: Date): TransitionResult {
  const at = now.toISOString();
  const pending = request.status === 'pendingApproval';
  const decided = () => ({
    ok: false as const,
    reason: 'alreadyDecided' as const,
    decision: request.decision!,
  });
  const isRequester = (a: Actor) => a.aadObjectId === request.requester.aadObjectId;
  /** Another person's decision is being verified: wait for it (a claim older than 10 minutes is void). */
  const otherClaim = (by: Actor | undefined) => {
    const c = request.pendingDecision;
    const fresh = c !== undefined && now.getTime() - Date.parse(c.at) < 10 * 60 * 1000;
    return fresh && c.by.aadObjectId !== by?.aadObjectId ? c : undefined;
  };

  switch (event.type) {
    case 'approve': {
      if (!pending) return decided();
      if (isRequester(event.by)) return { ok: false, reason: 'selfApproval' };
      const claim = otherClaim(event.by);
      if (claim) return { ok: false, reason: 'beingVerified', claim };
      const next: ExportRequest = {
        ...request,
        status: 'approved',
        decision: { verdict: 'approved', by: event.by, at },
        pendingDecision: undefined,
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
          { type: 'scheduleExport' },
        ],
      };
    }
    case 'reject': {
      if (!pending) return decided();
      if (isRequester(event.by)) return { ok: false, reason: 'selfApproval' };
      const reason = event.reason.trim();
      if (reason === '') return { ok: false, reason: 'reasonRequired' };
      const claim = otherClaim(event.by);
      if (claim) return { ok: false, reason: 'beingVerified', claim };
      const bounded = reason.slice(0, MAX_REJECT_REASON);
      const next: ExportRequest = {
        ...request,
        status: 'rejected',
        decision: { verdict: 'rejected', by: event.by, at, reason: bounded },
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
            detail: `rejected ${request.id}: ${bounded}`,
          },
          { type: 'updateApprovalCard' },
          { type: 'replyInThread', key: 'rejected', text: `Rejected by ${event.by.name}: ${bounded}` },
          {
            type: 'notifyRequester',
            key: 'rejected',
            text: `${event.by.name} rejected your request ${request.id} (${request.subject.displayName}): ${bounded}`,
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
      const next: ExportRequest = { ...request, remindedAt: at };
      return {
        ok: true,
        request: next,
        effects: [
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
        effects: [{ type: 'updateApprovalCard' }],
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
    case 'cardPosted':
      return {
        ok: true,
        request: {
          ...request,
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
