import type { ExportRequest } from '../domain/export-request';
import { ConversationGoneError, SendLater, type NoticeLog, type Notifier } from '../domain/notifier';
import type { ApplyEventDeps } from './apply-event';

/** What the notice use cases need: the request store and queue (via applyEvent's deps), Teams, the sent log. */
export interface NoticeDeps extends ApplyEventDeps {
  readonly notifier: Notifier;
  readonly notices: NoticeLog;
  /** How long a job's claim to post an approval card, or to send a notice, holds others back (longer than a post can take). */
  readonly postClaimMs: number;
  /** Crash-test failpoints (`notify.before`); absent in production. */
  readonly failpoint?: (name: string) => void;
}

/** Records, in the audit trail, that a notice went out or could not. */
export function auditNotice(
  deps: NoticeDeps,
  request: ExportRequest,
  action: 'notification.sent' | 'notification.failed',
  detail: string,
): Promise<void> {
  return deps.audit.append({
    at: deps.clock.now().toISOString(),
    action,
    actor: { name: 'DSR export bot' },
    outcome: action === 'notification.sent' ? 'ok' : 'refused',
    requestId: request.id,
    detail,
  });
}

/**
 * Sends a notice once per request and key: a job that runs again after the notice went out does not send it
 * again, and of two copies of a job running at once (an outbox handed over twice) one sends while the other
 * comes back once its claim runs out. (Teams has no idempotency key: a crash in the instant between Teams'
 * answer and this record is the one case that can repeat a notice.)
 */
export async function sendOnce(
  deps: NoticeDeps,
  request: ExportRequest,
  key: string,
  where: string,
  send: () => Promise<void>,
): Promise<void> {
  if (await deps.notices.wasSent(request.id, key)) return;
  deps.failpoint?.('notify.before');
  const now = deps.clock.now();
  const until = new Date(now.getTime() + deps.postClaimMs).toISOString();
  // Another run is sending it: look again when its claim runs out (sent by then, or its sender died).
  if (!(await deps.notices.claim(request.id, key, now.toISOString(), until)))
    throw new SendLater(deps.postClaimMs);
  try {
    await send();
  } catch (err) {
    // Surely not sent (Teams refused, or the send was put off for the rate limit): the next try need not wait
    // for the claim. Any other failure (a deadline, a 5xx) may have sent it: the claim stands until it runs out.
    if (err instanceof SendLater || err instanceof ConversationGoneError)
      await deps.notices.release(request.id, key).catch(() => undefined);
    throw err;
  }
  if (!(await deps.notices.record(request.id, key, deps.clock.now().toISOString()))) return;
  await auditNotice(deps, request, 'notification.sent', `sent "${key}" to ${where}`);
}
