import type { Actor, ExportRequest, PendingDecision } from '../domain/export-request';
import type { Directory } from '../domain/ports';
import { channelOf } from '../domain/access';
import { cleanReason } from '../domain/text';
import { isHomeTenant, sameId } from '../domain/identity';
import { DEFAULT_EXPORT_POLICY, mayActAsAdmin } from '../domain/policies';
import { DEFAULT_APPROVAL_TIMERS, transition, type Refusal, type WorkflowEvent } from '../domain/workflow';
import { applyEvent, flushOutbox, OUTBOX_GRACE_MS, type ApplyEventDeps } from './apply-event';
import type { Caller } from './who-am-i';

export interface DecideDeps extends ApplyEventDeps {
  /** Live: a decider's role is checked at the moment of the decision (or by the claim's job), never from a cache. */
  readonly directory: Directory;
  readonly homeTenantId: string;
  readonly allowedRoleIds: readonly string[];
  /** How long the invoke may wait for Graph's role answer before recording the decision for verification. */
  readonly roleCheckBudgetMs: number;
  /**
   * Whether a live check confirmed the person's role in the last few minutes. It never decides: it only
   * shortens the wait for Graph to `recentRoleBudgetMs`, after which the decision is a claim that a job
   * verifies live before anything follows from it (a refusal then drops it, saying why).
   */
  readonly recentlyConfirmed?: (userId: string) => boolean;
  /** The wait for Graph's answer when `recentlyConfirmed` says yes. */
  readonly recentRoleBudgetMs?: number;
  /** Resolves after `ms`: the budget's timer, injected (no timers in use cases). */
  readonly after: (ms: number) => Promise<void>;
  readonly newId: () => string;
  /**
   * Looks once more into the container of an attempt whose outcome is unknown, right before an admin's
   * Resubmit starts another export (Graph may have taken it meanwhile). Absent: no look (tests of approvals).
   */
  readonly lastLook?: (
    request: ExportRequest,
  ) => Promise<{ readonly found: boolean; readonly operationUrl?: string }>;
}

/** `resubmit`: Retry after a failed export, or Resubmit after an unknown outcome (any admin; audited). */
export type DecisionVerb = 'approve' | 'reject' | 'cancel' | 'resubmit';

export type RefusalWhy =
  | 'notFound'
  | 'otherTenant'
  | 'unknownCaller'
  | 'wrongConversation'
  | 'noRole'
  | 'roleCheckSlow'
  | Refusal['reason'];

export type DecideReply =
  | { readonly kind: 'decided'; readonly request: ExportRequest }
  /** Decided and stored, but its effects wait in the record's outbox (they go out without anyone's help). */
  | { readonly kind: 'recorded'; readonly request: ExportRequest }
  | { readonly kind: 'verifying'; readonly request: ExportRequest }
  | { readonly kind: 'refused'; readonly why: RefusalWhy; readonly request: ExportRequest | undefined };

/**
 * A click on Approve, Reject or Cancel. Identity comes from Teams; the card's data names only the request.
 * The decider must be in the home tenant, act from the card's own channel, not be the requester, and hold an
 * allowed role right now (checked live). If Graph cannot answer within the budget, the decision is recorded
 * as a claim and verified by a job, so the invoke never waits on Graph. Exactly one decision is stored.
 */
export async function decideApproval(
  deps: DecideDeps,
  caller: Caller,
  conversationId: string,
  requestId: string,
  verb: DecisionVerb,
  reason: string,
): Promise<DecideReply> {
  const request = await deps.requests.get(requestId);
  const refuse = async (why: RefusalWhy, detail: string, fresh?: ExportRequest): Promise<DecideReply> => {
    await deps.audit.append({
      at: deps.clock.now().toISOString(),
      action: 'decision.refused',
      actor: { aadObjectId: caller.aadObjectId, name: caller.name, tenantId: caller.tenantId },
      outcome: 'refused',
      ...(request ? { requestId: request.id, subjectId: request.subject.id } : {}),
      detail: `${verb} refused: ${detail}`,
    });
    return { kind: 'refused', why, request: fresh ?? request };
  };
  if (!request) return refuse('notFound', `no request ${requestId}`);
  if (!isHomeTenant(caller.tenantId, deps.homeTenantId)) {
    return refuse('otherTenant', `caller is from tenant ${caller.tenantId ?? 'unknown'}`);
  }
  if (!caller.aadObjectId) return refuse('unknownCaller', 'no Entra object id on the activity');
  if (!request.approvalCard || channelOf(conversationId) !== channelOf(request.approvalCard.conversationId)) {
    return refuse(
      'wrongConversation',
      `acted from ${channelOf(conversationId)}, not the request's approval card`,
    );
  }
  const by: Actor = { aadObjectId: caller.aadObjectId, name: caller.name ?? caller.aadObjectId };
  const event: WorkflowEvent =
    verb === 'approve'
      ? { type: 'approve', by }
      : verb === 'reject'
        ? { type: 'reject', by, reason }
        : verb === 'resubmit'
          ? { type: 'resubmit', by }
          : { type: 'cancel', by };

  // Check what the workflow would say before asking Graph anything.
  const policy = deps.timing ?? DEFAULT_EXPORT_POLICY;
  const preview = transition(
    request,
    event,
    deps.clock.now(),
    policy,
    deps.approvalTimers ?? DEFAULT_APPROVAL_TIMERS,
  );
  if (!preview.ok) {
    const same =
      preview.reason === 'alreadyDecided' &&
      sameId(preview.decision.by?.aadObjectId, by.aadObjectId) &&
      preview.decision.verdict ===
        (verb === 'approve' ? 'approved' : verb === 'reject' ? 'rejected' : 'cancelled');
    // The same click delivered twice: the same answer, no second effect; effects still waiting go out now.
    if (same) {
      if ((request.outbox ?? []).length === 0) return { kind: 'decided', request };
      await flushOutbox(deps, request.id, OUTBOX_GRACE_MS);
      return { kind: 'decided', request: (await deps.requests.get(request.id)) ?? request };
    }
    if (preview.reason === 'beingVerified' && sameId(preview.claim.by.aadObjectId, by.aadObjectId)) {
      return { kind: 'verifying', request };
    }
    return refuse(preview.reason, describeRefusal(preview.reason));
  }
  if (verb === 'cancel') return store(deps, request.id, event, refuse);

  // Someone confirmed a minute ago is very likely still an admin: they wait less, and their decision, if Graph
  // is slow, becomes a claim verified live. A Resubmit is refused when late, so it always gets the full wait.
  const budget =
    verb !== 'resubmit' && deps.recentlyConfirmed?.(by.aadObjectId)
      ? (deps.recentRoleBudgetMs ?? deps.roleCheckBudgetMs)
      : deps.roleCheckBudgetMs;
  const roles = await withinBudget(
    deps.directory.heldRoles(by.aadObjectId, deps.allowedRoleIds),
    budget,
    deps.after,
  );
  if (roles === 'late' && verb === 'resubmit') {
    return refuse('roleCheckSlow', 'Graph did not confirm the role in time');
  }
  if (roles === 'late') {
    // One claim per person at a time: clicking again while theirs is verified stores nothing new (so nobody
    // can fill the thread and the audit trail with claims that will be refused).
    const mine = request.pendingDecision;
    if (
      mine &&
      sameId(mine.by.aadObjectId, by.aadObjectId) &&
      deps.clock.now().getTime() - Date.parse(mine.at) < policy.claimValidityMs
    )
      return { kind: 'verifying', request };
    const claim: PendingDecision = {
      claimId: deps.newId(),
      verdict: verb === 'approve' ? 'approved' : 'rejected',
      by,
      at: deps.clock.now().toISOString(),
      ...(verb === 'reject' ? { reason: cleanReason(reason) } : {}),
    };
    // The claim and its verification job are stored together (the job is in the record's outbox).
    const claimed = await applyEvent(deps, request.id, { type: 'claimDecision', claim }, 'afterWrite');
    if (!claimed.ok)
      return claimed.reason === 'notFound'
        ? refuse('notFound', 'gone')
        : refuse(claimed.reason, 'changed meanwhile');
    return { kind: 'verifying', request: claimed.request };
  }
  if (!mayActAsAdmin(roles)) return refuse('noRole', 'holds none of the allowed roles now');
  if (event.type === 'resubmit' && request.status === 'outcomeUnknown' && deps.lastLook) {
    return store(deps, request.id, { ...event, evidence: await deps.lastLook(request) }, refuse);
  }
  return store(deps, request.id, event, refuse);
}

async function store(
  deps: DecideDeps,
  requestId: string,
  event: WorkflowEvent,
  refuse: (why: RefusalWhy, detail: string, fresh?: ExportRequest) => Promise<DecideReply>,
): Promise<DecideReply> {
  // The click is answered once the decision is stored; its effects (card, thread, export) follow at once.
  const result = await applyEvent(deps, requestId, event, 'afterWrite');
  if (result.ok) return { kind: result.handedOver ? 'decided' : 'recorded', request: result.request };
  if (result.reason === 'notFound') return refuse('notFound', 'gone');
  // Lost a race: if the winner is this same click (Teams delivered it twice), it is the same answer.
  if (
    result.reason === 'alreadyDecided' &&
    'by' in event &&
    sameId(result.decision.by?.aadObjectId, event.by.aadObjectId)
  ) {
    return { kind: 'decided', request: result.request };
  }
  // Someone else decided first: say who and when, from the fresh copy.
  return refuse(result.reason, describeRefusal(result.reason), result.request);
}

/**
 * The verifyDecision job: checks the claimant's role live (no budget here) and either stores their decision
 * or drops the claim, saying why in the card's thread.
 */
export async function verifyDecision(deps: DecideDeps, requestId: string, claimId: string): Promise<void> {
  const request = await deps.requests.get(requestId);
  const claim = request?.pendingDecision;
  if (!request || claim?.claimId !== claimId) return; // already handled
  const roles = await deps.directory.heldRoles(claim.by.aadObjectId, deps.allowedRoleIds);
  if (!mayActAsAdmin(roles)) {
    await applyEvent(deps, requestId, {
      type: 'dropClaim',
      claimId,
      why: 'they hold none of the allowed admin roles now',
    });
    return;
  }
  const event: WorkflowEvent =
    claim.verdict === 'approved'
      ? { type: 'approve', by: claim.by }
      : { type: 'reject', by: claim.by, reason: claim.reason ?? '' };
  const result = await applyEvent(deps, requestId, event);
  if (!result.ok && result.reason !== 'notFound' && result.reason !== 'alreadyDecided') {
    await applyEvent(deps, requestId, { type: 'dropClaim', claimId, why: describeRefusal(result.reason) });
  }
}

function describeRefusal(reason: RefusalWhy): string {
  switch (reason) {
    case 'selfApproval':
      return 'the requester cannot decide their own request';
    case 'notRequester':
      return 'only the requester can cancel';
    case 'reasonRequired':
      return 'a rejection needs a reason';
    case 'alreadyDecided':
      return 'the request was already decided';
    case 'beingVerified':
      return "another admin's decision is being verified";
    case 'noRole':
      return 'holds none of the allowed roles now';
    case 'stale':
      return 'the export has moved on meanwhile';
    case 'notResubmittable':
      return 'only a failed export, or one whose outcome is unknown, can be submitted again (perhaps another admin already did)';
    case 'roleCheckSlow':
      return 'Microsoft Graph was too slow to confirm the admin role; try again in a minute';
    case 'identityNotVerified':
      return "the subject's identity is not verified yet";
    case 'extensionRefused':
    case 'notDeliverable':
    case 'badDate':
    case 'notClosable':
    case 'noClosureProposed':
    case 'sameAdmin':
    case 'noteRequired':
    case 'clockStopped':
    case 'identityRecorded':
    case 'held':
    case 'notHeld':
    case 'deletionInProgress':
      return reason;
    case 'notFound':
    case 'otherTenant':
    case 'unknownCaller':
    case 'wrongConversation':
      return reason;
  }
}

async function withinBudget<T>(
  work: Promise<T>,
  budgetMs: number,
  after: DecideDeps['after'],
): Promise<T | 'late'> {
  const late = after(budgetMs).then(() => 'late' as const);
  const result = await Promise.race([work, late]);
  if (result === 'late') work.catch(() => undefined); // the verification job asks again
  return result;
}
