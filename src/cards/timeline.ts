import type { AuditAction, AuditEvent } from '../domain/audit';
import { cleanText } from '../domain/text';

/** One line of a request's timeline: when (ISO), what happened in a few words, and who did it (if a person). */
export interface TimelineEntry {
  readonly at: string;
  readonly what: string;
  readonly who?: string;
}

/**
 * The words of each audit action on a request's timeline; `undefined` leaves it out as noise (notices sent,
 * SAS grants and revocations, views and lists, anything about the channel or a draft). Exhaustive: a new
 * audit action is a compile error here until it is worded or left out.
 */
const WORDS = {
  'request.created': 'Created',
  'request.refused': undefined,
  'draft.cancelled': undefined,
  'duplicate.acknowledged': undefined,
  'approvalsChannel.set': undefined,
  'approvalsChannel.refused': undefined,
  'card.refused': undefined,
  'card.posted': 'Posted in the approvals channel',
  'request.approved': 'Approved',
  'request.rejected': 'Rejected',
  'request.cancelled': 'Cancelled',
  'request.expired': 'Expired without a decision',
  'request.reminded': 'Approvers reminded',
  'request.reapprovalAsked': 'New approval needed',
  'decision.refused': undefined,
  'notification.sent': undefined,
  'notification.failed': 'A message could not be delivered',
  'sas.created': undefined,
  'sas.revoked': undefined,
  'export.submitted': 'Submitted to Graph',
  'export.throttled': 'Graph asked to wait',
  'export.unknown': 'Submission outcome unknown',
  'export.recovered': 'Export found at Graph',
  'export.statusChanged': 'Graph picked up the export',
  'export.pollFailing': 'Export status unreadable',
  'export.completed': 'Completed',
  'export.failed': 'Failed',
  'export.resubmitted': 'Resubmitted into a new container',
  'identity.recorded': 'Identity verified',
  'deadline.reminded': 'Deadline reminder',
  'deadline.extended': 'Extended',
  'request.delivered': 'Delivered',
  'closure.proposed': 'Closure proposed',
  'closure.withdrawn': 'Closure withdrawn, kept open',
  'request.closed': 'Closed without export',
  'request.viewed': undefined,
  'requests.listed': undefined,
  'audit.viewed': undefined,
  'audit.exported': undefined,
  'audit.linkIssued': undefined,
  'audit.downloaded': undefined,
  'audit.linkRefused': undefined,
  'audit.sealed': undefined,
  'report.viewed': undefined,
  'report.exported': undefined,
  'retention.noticed': 'Deletion of the export announced',
  'retention.held': 'Export held from deletion',
  'retention.released': 'Hold on the export released',
  'retention.deleted': 'Export deleted (retention)',
  'draft.purged': undefined,
  'record.tombstoned': undefined,
} as const satisfies Record<AuditAction, string | undefined>;

/** Actions that start a new export attempt: Graph's first status change after each is worth a line. */
const STARTS_ATTEMPT: ReadonlySet<AuditAction> = new Set([
  'export.submitted',
  'export.resubmitted',
  'export.recovered',
]);

/**
 * A request's timeline from its audit events, oldest first. Pure. Only action words and actors' names are
 * shown, never an event's detail (or anything else it holds); refused attempts and noise are left out; only
 * Graph's first status change per attempt is kept; repeats in a row by nobody (Graph asking to wait, failed
 * reads) become one line with a count.
 */
export function timelineOf(events: readonly AuditEvent[]): TimelineEntry[] {
  const sorted = [...events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const entries: { at: string; what: string; who?: string; action: AuditAction; times: number }[] = [];
  let statusSeen = false;
  for (const e of sorted) {
    if (STARTS_ATTEMPT.has(e.action)) statusSeen = false;
    const what = WORDS[e.action];
    if (what === undefined || e.outcome !== 'ok') continue;
    if (e.action === 'export.statusChanged') {
      if (statusSeen) continue;
      statusSeen = true;
    }
    const who = cleanText(e.actor.name ?? '', 80) || undefined;
    const last = entries[entries.length - 1];
    if (last && last.action === e.action && who === undefined && last.who === undefined) {
      last.times += 1;
      continue;
    }
    entries.push({ at: e.at, what, action: e.action, times: 1, ...(who ? { who } : {}) });
  }
  return entries.map(({ at, what, who, times }) => ({
    at,
    what: times > 1 ? `${what} (${times} times)` : what,
    ...(who ? { who } : {}),
  }));
}
