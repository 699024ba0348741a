import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '../../domain/audit';
import { AlreadyExistsError, type AuditLog } from '../../domain/ports';
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

  async append(event: AuditEvent, onceKey?: string): Promise<void> {
    const row = onceKey === undefined ? `${event.at}~${randomUUID()}` : `once~${onceKey}`;
    try {
      await this.table.create(event.requestId ?? NO_REQUEST, row, event);
    } catch (err) {
      if (!(onceKey !== undefined && err instanceof AlreadyExistsError)) throw err;
    }
  }

  async list(requestId?: string): Promise<AuditEvent[]> {
    const events = await this.table.query(requestId ?? NO_REQUEST, 'true');
    return events.sort((a, b) => a.at.localeCompare(b.at));
  }
}
