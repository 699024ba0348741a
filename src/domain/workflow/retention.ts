import type { Actor } from '../actor';
import type { AuditAction } from '../audit';
import type { Effect } from '../effect';
import type { ExportRequest, RequestRetention } from '../export-request';
import type { RetentionNotice } from '../notice';
import { cleanReason } from '../text';
import type { RetentionEvent, TransitionResult } from './types';

/**
 * Retention's part of the workflow. A hold (with a reason) keeps everything of the request until it is
 * released; the thread is told before a delivered export is deleted; a deletion is stored before it starts
 * (a hold asked for meanwhile is refused: it comes too late) and after it ended. The caller checked the
 * admin's role live and decided, with retention.ts, what is due.
 */
export function retentionTransition(
  request: ExportRequest,
  event: RetentionEvent,
  now: Date,
): TransitionResult {
  const at = now.toISOString();
  const id = request.id;
  const retention: RequestRetention = request.retention ?? {};
  const withRetention = (r: RequestRetention): ExportRequest => ({ ...request, retention: r });
  const audit = (action: AuditAction, actor: Actor | undefined, detail: string): Effect => ({
    type: 'audit',
    action,
    actor,
    detail,
  });
  /** The thread when there is one, else the requester; the card shows the new state. */
  const tell = (key: string, notice: RetentionNotice): Effect[] => [
    { type: 'updateApprovalCard' },
    request.approvalCard ? { type: 'replyInThread', key, notice } : { type: 'notifyRequester', key, notice },
  ];

  switch (event.type) {
    case 'hold': {
      const reason = cleanReason(event.reason);
      if (reason === '') return { ok: false, reason: 'noteRequired' };
      if (retention.hold) return { ok: false, reason: 'held' };
      if (retention.deleting) return { ok: false, reason: 'deletionInProgress' };
      return {
        ok: true,
        request: withRetention({ ...retention, hold: { by: event.by, at, reason } }),
        effects: [
          audit('retention.held', event.by, `${id} held from deletion: ${reason}`),
          ...tell(`hold-${at}`, { kind: 'exportHeld', requestId: id, by: event.by.name, reason }),
        ],
      };
    }
    case 'releaseHold': {
      if (!retention.hold) return { ok: false, reason: 'notHeld' };
      // A notice told before the hold is told again if the deletion is still ahead.
      const rest: RequestRetention = { ...retention, hold: undefined, noticedFor: undefined };
      return {
        ok: true,
        request: withRetention(rest),
        effects: [
          audit('retention.released', event.by, `hold on ${id} released (held since ${retention.hold.at})`),
          ...tell(`release-${at}`, { kind: 'holdReleased', requestId: id, by: event.by.name }),
        ],
      };
    }
    case 'retentionNoticed': {
      if (retention.hold) return { ok: false, reason: 'held' };
      if (retention.noticedFor === event.deleteOn) return { ok: false, reason: 'stale' };
      return {
        ok: true,
        request: withRetention({ ...retention, noticedFor: event.deleteOn }),
        effects: [
          audit('retention.noticed', undefined, `export of ${id} to be deleted on ${event.deleteOn}`),
          ...tell(`retention-${event.deleteOn}`, {
            kind: 'exportDeletionSoon',
            requestId: id,
            deleteOn: event.deleteOn,
            days: event.days,
          }),
        ],
      };
    }
    case 'deletionStarted': {
      if (retention.hold) return { ok: false, reason: 'held' };
      const containers = [...new Set([...(retention.deleting?.containers ?? []), ...event.containers])];
      return {
        ok: true,
        request: withRetention({ ...retention, deleting: { containers, at: retention.deleting?.at ?? at } }),
        effects: [],
      };
    }
    case 'containersDeleted': {
      const done = new Set((retention.deleted ?? []).map((d) => d.container));
      const fresh = event.containers.filter((c) => !done.has(c));
      const left = (retention.deleting?.containers ?? []).filter((c) => !event.containers.includes(c));
      const next = withRetention({
        ...retention,
        deleting: undefined,
        ...(left.length > 0 ? { deleting: { containers: left, at: retention.deleting?.at ?? at } } : {}),
        deleted: [...(retention.deleted ?? []), ...fresh.map((container) => ({ container, at }))],
      });
      if (fresh.length === 0) return { ok: true, request: next, effects: [] };
      return {
        ok: true,
        request: next,
        effects: [
          audit(
            'retention.deleted',
            undefined,
            `${fresh.length} container(s) of ${id} deleted (${event.why === 'delivered' ? 'retention after delivery ended' : 'unused attempt'}): ${fresh.join(', ')}`,
          ),
          ...tell(`deleted-${fresh.join('+')}`, {
            kind: 'exportDeleted',
            requestId: id,
            containers: fresh.length,
            why: event.why,
          }),
        ],
      };
    }
  }
}
