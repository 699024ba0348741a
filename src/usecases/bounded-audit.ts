import { createHash } from 'node:crypto';
import type { AuditAction, AuditEvent } from '../domain/audit';
import { isHomeTenant } from '../domain/identity';
import type { AuditLog, Clock } from '../domain/ports';

export interface RefusalBudget {
  /** The home tenant: its people have a budget of their own, which outsiders cannot use up. */
  readonly homeTenantId: string;
  /** Distinct refusals of home-tenant callers recorded per instance and hour. */
  readonly perHour: number;
  /** Distinct refusals of everyone else (other tenants, no tenant) recorded per instance and hour. */
  readonly othersPerHour: number;
  /** Told once an hour how many refusals were not recorded (a log line, never the audit table). */
  readonly onDropped?: (dropped: number, hour: string) => void;
}

/** Refusals a caller causes by acting (clicks, commands); the bot's own failures are always recorded. */
const CALLER_REFUSALS: ReadonlySet<AuditAction> = new Set<AuditAction>([
  'card.refused',
  'decision.refused',
  'request.refused',
  'approvalsChannel.refused',
  'requests.listed',
  'audit.viewed',
  'audit.linkRefused',
  'report.viewed',
]);

/**
 * The audit log with callers' refusals bounded, so that nobody can flood the audit table by repeating a
 * refused action (guessing request ids, replaying cards). Such a refusal is recorded once per caller, action,
 * request, detail and hour (repeats within the hour are the same row), and at most a budget of distinct ones
 * an hour per instance: one budget for the home tenant's people and a separate one for everyone else, so an
 * outsider cannot silence the record of what insiders tried. Everything else is written as it comes.
 */
export function withRefusalBudget(audit: AuditLog, clock: Clock, budget: RefusalBudget): AuditLog {
  let hour = '';
  let recorded = { home: new Set<string>(), others: new Set<string>() };
  let dropped = 0;
  return {
    list: (requestId) => audit.list(requestId),
    trail: (requestId) => audit.trail(requestId),
    heads: () => audit.heads(),
    async append(event: AuditEvent, onceKey?: string): Promise<void> {
      if (event.outcome !== 'refused' || onceKey !== undefined || !CALLER_REFUSALS.has(event.action))
        return audit.append(event, onceKey);
      const now = clock.now().toISOString().slice(0, 13);
      if (now !== hour) {
        if (dropped > 0) budget.onDropped?.(dropped, hour);
        hour = now;
        recorded = { home: new Set(), others: new Set() };
        dropped = 0;
      }
      const key = createHash('sha256')
        .update(
          JSON.stringify([
            now,
            event.actor.aadObjectId?.toLowerCase() ?? '',
            event.actor.tenantId?.toLowerCase() ?? '',
            event.action,
            event.requestId ?? '',
            event.detail ?? '',
          ]),
        )
        .digest('hex')
        .slice(0, 32);
      const home = isHomeTenant(event.actor.tenantId, budget.homeTenantId);
      const seen = home ? recorded.home : recorded.others;
      // Recorded already this hour by this instance: nothing to write (and no storage call to make).
      if (seen.has(key)) return;
      if (seen.size >= (home ? budget.perHour : budget.othersPerHour)) {
        dropped++;
        return;
      }
      await audit.append(event, `refused-${key}`);
      seen.add(key);
    },
  };
}
