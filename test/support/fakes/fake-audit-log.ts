import type { AuditEvent } from '../../../src/domain/audit';
import type { AuditLog } from '../../../src/domain/ports';
import { Faults } from './faults';

type AuditLogOps = {
  append: [event: AuditEvent, onceKey: string | undefined];
  list: [requestId: string | undefined];
};

const NO_REQUEST = 'no-request';

/**
 * The audit trail in memory, as {@link TableAuditLog}: append-only, one partition per request (events tied to
 * no request share one), listed oldest first by `at`; with a once-key an event is written at most once per
 * request and key (a retried step does not record twice), the first one kept.
 */
export class FakeAuditLog implements AuditLog {
  readonly faults = new Faults<AuditLogOps>();
  private readonly rows: { partition: string; onceKey: string | undefined; json: string }[] = [];

  async append(event: AuditEvent, onceKey?: string): Promise<void> {
    await this.faults.check('append', event, onceKey);
    const partition = event.requestId ?? NO_REQUEST;
    if (onceKey !== undefined && this.rows.some((r) => r.partition === partition && r.onceKey === onceKey))
      return;
    this.rows.push({ partition, onceKey, json: JSON.stringify(event) });
  }

  async list(requestId?: string): Promise<AuditEvent[]> {
    await this.faults.check('list', requestId);
    return this.rows
      .filter((r) => r.partition === (requestId ?? NO_REQUEST))
      .map((r) => JSON.parse(r.json) as AuditEvent)
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  /** Every event appended, in the order written (for assertions). */
  all(): AuditEvent[] {
    return this.rows.map((r) => JSON.parse(r.json) as AuditEvent);
  }

  /** The actions recorded for a request, in the order written (for assertions). */
  actions(requestId?: string): string[] {
    return this.all()
      .filter((e) => e.requestId === requestId)
      .map((e) => e.action);
  }
}
