import { ConversationGoneError } from '../domain/notifier';
import { auditNotice, type NoticeDeps } from './notice-deps';

/**
 * The updateApprovalCard job: replaces the card in its channel with what is true now. When Teams refuses for
 * good, that is recorded; the thread replies and the requester's notices still go out with their own fallbacks.
 */
export async function updateApprovalCard(deps: NoticeDeps, requestId: string): Promise<void> {
  const request = await deps.requests.get(requestId);
  const posted = request?.approvalCard;
  if (!request || !posted) return;
  try {
    await deps.notifier.updateApprovalCard(request, posted);
  } catch (err) {
    if (!(err instanceof ConversationGoneError)) throw err;
    await auditNotice(
      deps,
      request,
      'notification.failed',
      `Teams refused the card update (${err.code ?? 'error'})`,
    );
  }
}
