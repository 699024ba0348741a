import { ConversationGoneError } from '../domain/notifier';
import { applyEvent } from './apply-event';
import { auditNotice, type NoticeDeps } from './notice-deps';

/**
 * The postApprovalCard job: posts a pending request's card as a new thread in the approvals channel, once.
 * The post is claimed in the record first, so a second job (a repeat, a sweep, another instance) waits for the
 * card instead of posting another. With no channel set yet it does nothing (the card is posted once one is).
 * When Teams refuses the channel, the requester is told and the request is kept.
 */
export async function postApprovalCard(deps: NoticeDeps, requestId: string): Promise<void> {
  const found = await deps.requests.get(requestId);
  if (!found || found.approvalCard || found.status !== 'pendingApproval') return;
  if (!(await deps.notifier.hasApprovalsChannel())) return; // no channel yet: posted when one is set
  const claim = await applyEvent(deps, requestId, {
    type: 'cardPostClaimed',
    claimId: deps.newId(),
    until: new Date(deps.clock.now().getTime() + deps.postClaimMs).toISOString(),
  });
  if (!claim.ok) {
    const fresh = 'request' in claim ? claim.request : undefined;
    // Another job is posting: look again when its claim runs out (by then the card is there, or it died).
    if (fresh && !fresh.approvalCard && fresh.cardPosting) {
      await deps.jobs.enqueue(
        { type: 'postApprovalCard', requestId },
        new Date(Date.parse(fresh.cardPosting.until) + 1000),
      );
    }
    return;
  }
  const request = claim.request;
  let posted;
  try {
    posted = await deps.notifier.postApprovalCard(request);
  } catch (err) {
    if (!(err instanceof ConversationGoneError)) throw err;
    const code = err.code ?? 'error';
    await auditNotice(
      deps,
      request,
      'notification.failed',
      `could not post the approval card (${code}); the request is kept`,
    );
    await deps.jobs.enqueue({
      type: 'notifyRequester',
      requestId: request.id,
      key: `not-in-channel-${code}`,
      notice: { kind: 'notInChannel', requestId: request.id, code },
    });
    return;
  }
  if (!posted) return; // no channel yet: posted when one is set
  await applyEvent(deps, request.id, {
    type: 'cardPosted',
    conversationId: posted.conversationId,
    activityId: posted.activityId,
    serviceUrl: posted.serviceUrl,
  });
}
