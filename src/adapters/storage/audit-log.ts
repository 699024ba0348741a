import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '../../domain/audit';
import type { AuditLog } from '../../domain/ports';
import { TableStore } from './table-store';

const NO_REQUEST = 'no-request';

/**
 * The audit trail in an Azure Table: one partition per request (events tied to no request, such as a
 * refused requester, share one), rows keyed by time. Append-only: rows are only ever created.
 */
export class TableAuditLog implements AuditLog {
  private readonly table: TableStore<AuditEvent>;

  constructor(connectionString: string, table = 'audit') {
    this.table = TableStore.fromConnectionString<AuditEvent>(connectionString, table, (e) => ({
      action: e.action,
      outcome: e.outcome,
      actorId: e.actor.aadObjectId ?? '',
    }));
  }

  async append(event: AuditEvent): Promise<void> {
    await this.table.create(event.requestId ?? NO_REQUEST, `${event.at}~${randomUUID()}`, event);
  }

  async list(requestId?: string): Promise<AuditEvent[]> {
    return this.table.query(requestId ?? NO_REQUEST, 'true');
  }
}
