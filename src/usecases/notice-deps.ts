import type { ExportRequest } from '../domain/export-request';
import type { NoticeLog, Notifier } from '../domain/notifier';
import type { ApplyEventDeps } from './apply-event';

/** What the notice use cases need: the request store and queue (via applyEvent's deps), Teams, the sent log. */
export interface NoticeDeps extends ApplyEventDeps {
  readonly notifier: Notifier;
  readonly notices: NoticeLog;
  /** How long a job's claim to post an approval card holds others back (longer than a post can take). */
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
 * again. (Teams has no idempotency key: a crash in the instant between Teams' answer and this record is the
 * one case that can repeat a notice.)
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
  await send();
  if (!(await deps.notices.record(request.id, key, deps.clock.now().toISOString()))) return;
  await auditNotice(deps, request, 'notification.sent', `sent "${key}" to ${where}`);
}
