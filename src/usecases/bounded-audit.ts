import { createHash } from 'node:crypto';
import type { AuditEvent } from '../domain/audit';
import type { AuditLog, Clock } from '../domain/ports';

export interface RefusalBudget {
  /** Distinct refusals (caller, action, request) recorded per instance and hour; the rest are counted only. */
  readonly perHour: number;
  /** Told once an hour how many refusals were not recorded (a log line, never the audit table). */
  readonly onDropped?: (dropped: number, hour: string) => void;
}

/**
 * The audit log with refusals bounded, so that nobody can flood the audit table by repeating a refused
 * action (guessing request ids, replaying cards). A refusal is recorded once per caller, action, request
 * and hour (repeats within the hour are the same row), and at most `perHour` distinct refusals an hour per
 * instance. Everything else (decisions, exports, notices) is written as it comes.
 */
export function withRefusalBudget(audit: AuditLog, clock: Clock, budget: RefusalBudget): AuditLog {
  let hour = '';
  let recorded = new Set<string>();
  let dropped = 0;
  return {
    list: (requestId) => audit.list(requestId),
    async append(event: AuditEvent, onceKey?: string): Promise<void> {
      if (event.outcome !== 'refused' || onceKey !== undefined) return audit.append(event, onceKey);
      const now = clock.now().toISOString().slice(0, 13);
      if (now !== hour) {
        if (dropped > 0) budget.onDropped?.(dropped, hour);
        hour = now;
        recorded = new Set();
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
      if (!recorded.has(key)) {
        if (recorded.size >= budget.perHour) {
          dropped++;
          return;
        }
        recorded.add(key);
      }
      return audit.append(event, `refused-${key}`);
    },
  };
}
