import { daysLeft } from '../domain/deadline';
import type { ChannelNotice } from '../domain/notice';
import type { Notifier } from '../domain/notifier';
import { isoDate } from '../domain/policies';
import type { AuditLog, Clock, DailyTasks, RequestStore } from '../domain/ports';

export interface DigestDeps {
  readonly requests: RequestStore;
  readonly daily: DailyTasks;
  readonly notifier: Pick<Notifier, 'tellApprovalsChannel'>;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** The hour (UTC) from which the day's digest goes out. */
  readonly hourUtc: number;
  /** How long one instance's claim on the day's digest holds others back (longer than a send can take). */
  readonly claimMs: number;
}

const TASK = 'overdue-digest';

/** What a round did: too early, another instance has it, nothing overdue, posted, or no channel to post in. */
export type DigestOutcome = 'notYet' | 'elsewhere' | 'none' | 'sent' | 'noChannel';
/** Rows the digest names; the rest are counted (up to MAX_COUNTED). */
const MAX_ROWS = 20;
const MAX_COUNTED = 200;

/**
 * The daily overdue digest: once a day, from `hourUtc`, while any request is overdue, the approvals channel
 * gets one post listing them (most overdue first). Every instance may run this as often as it likes: the day's
 * task is claimed by one, and marked done once posted. (A crash after the post and before the mark can repeat
 * it once, after the claim ran out: the same rule as every notice.) Returns what happened, for the log.
 */
export async function sendOverdueDigest(
  deps: DigestDeps,
): Promise<'notYet' | 'elsewhere' | 'none' | 'sent' | 'noChannel'> {
  const now = deps.clock.now();
  if (now.getUTCHours() < deps.hourUtc) return 'notYet';
  const day = isoDate(now);
  if ((await deps.daily.claim(TASK, day, now, deps.claimMs)) !== 'claimed') return 'elsewhere';
  const overdue = await deps.requests.overdue(day, MAX_COUNTED);
  if (overdue.length === 0) {
    await deps.daily.complete(TASK, day, now.toISOString());
    return 'none';
  }
  const notice: ChannelNotice = {
    kind: 'overdueDigest',
    day,
    total: overdue.length,
    items: overdue.slice(0, MAX_ROWS).map((r) => ({
      requestId: r.id,
      dueDate: r.dueDate,
      daysOverdue: -daysLeft(r.dueDate, day),
      exported: r.status === 'completed',
    })),
  };
  const posted = await deps.notifier.tellApprovalsChannel(notice);
  await deps.daily.complete(TASK, day, deps.clock.now().toISOString());
  await deps.audit.append({
    at: deps.clock.now().toISOString(),
    action: 'deadline.reminded',
    actor: { name: 'DSR export bot' },
    outcome: posted ? 'ok' : 'refused',
    detail: posted
      ? `overdue digest for ${day}: ${notice.items.length} requests named`
      : `overdue digest for ${day} not posted: no approvals channel is set`,
  });
  return posted ? 'sent' : 'noChannel';
}
