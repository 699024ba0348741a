import type { RequesterNotice, ThreadNotice } from '../domain/notice';
import { ConversationGoneError } from '../domain/notifier';
import { auditNotice, sendOnce, type NoticeDeps } from './notice-deps';

/**
 * The replyInThread job: a notice in the request's approval thread, sent once per key (the notifier words it).
 * When the channel is gone (the bot was removed from the team), the requester is told instead, and that is
 * recorded.
 */
export async function replyInThread(
  deps: NoticeDeps,
  requestId: string,
  key: string,
  notice: ThreadNotice,
): Promise<void> {
  const request = await deps.requests.get(requestId);
  const posted = request?.approvalCard;
  if (!request || !posted) return;
  try {
    await sendOnce(deps, request, `thread-${key}`, 'the approval thread', () =>
      deps.notifier.replyInThread(request, posted, notice),
    );
  } catch (err) {
    if (!(err instanceof ConversationGoneError)) throw err;
    const code = err.code ?? 'error';
    await sendOnce(deps, request, `thread-${key}`, 'nowhere (the channel refused)', async () => {
      await auditNotice(
        deps,
        request,
        'notification.failed',
        `the approvals channel refused "${key}" (${code}); the requester is told instead`,
      );
      await deps.jobs.enqueue({
        type: 'notifyRequester',
        requestId,
        key: `fallback-${key}`,
        notice: { kind: 'threadRefused', notice, code },
      });
    });
  }
}

/**
 * The notifyRequester job: tells the requester once per key (in a 1:1 chat, else where they asked). When Teams
 * refuses every way to reach them, that is recorded once.
 */
export async function notifyRequester(
  deps: NoticeDeps,
  requestId: string,
  key: string,
  notice: RequesterNotice,
): Promise<void> {
  const request = await deps.requests.get(requestId);
  if (!request) return;
  try {
    await sendOnce(deps, request, `requester-${key}`, "the requester's chat", () =>
      deps.notifier.tellRequester(request, notice),
    );
  } catch (err) {
    if (!(err instanceof ConversationGoneError)) throw err;
    await sendOnce(deps, request, `requester-${key}`, 'nowhere (Teams refused)', () =>
      auditNotice(
        deps,
        request,
        'notification.failed',
        err.code === 'NoConversationKnown'
          ? `no conversation known to tell the requester "${key}"`
          : `Teams refused "${key}" for the requester (${err.code ?? 'error'}); the conversation reference was dropped`,
      ),
    );
  }
}
