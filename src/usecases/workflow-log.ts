import type { AuditAction, AuditEvent } from '../domain/audit';
import type { AuditLog, RequestStore } from '../domain/ports';
import type { Logger } from '../logger';

/** The message of every workflow log line; Application Insights gets these lines as custom events. */
export const WORKFLOW_EVENT = 'Workflow event';

/**
 * The fields of a workflow log line. Nothing here names a person: ids, times, states and keys only. The audit
 * record's `detail` (names, references, reasons) and its actor never reach a log line.
 */
export interface WorkflowEventFields {
  /** The audit action, e.g. `request.approved`. */
  readonly event: AuditAction;
  /** Absent only for the overdue digest, which speaks of several requests. */
  readonly requestId?: string;
  /** Milliseconds from the request's creation to this event (on the bot's clock); absent when unknown. */
  readonly elapsedMs?: number;
  readonly outcome: 'ok' | 'refused';
  /** Graph's dataPolicyOperation id (export.submitted, export.recovered). */
  readonly operationId?: string;
  /** The export's new status (export.statusChanged). */
  readonly status?: string;
  /** Which notice went out (notification.sent), e.g. `requester-completed-1`. */
  readonly notice?: string;
}

/**
 * The workflow's steps an operator follows: created, approved or rejected, card posted, submitted, status
 * changes, completed or failed, notices, reminders, extensions, delivery and the other ends of a request.
 * Refusals, views, SAS bookkeeping and retries stay in the audit trail only.
 */
export const WORKFLOW_ACTIONS: ReadonlySet<AuditAction> = new Set<AuditAction>([
  'request.created',
  'request.approved',
  'request.rejected',
  'request.cancelled',
  'request.expired',
  'request.reminded',
  'card.posted',
  'export.submitted',
  'export.recovered',
  'export.unknown',
  'export.resubmitted',
  'export.statusChanged',
  'export.completed',
  'export.failed',
  'notification.sent',
  'notification.failed',
  'deadline.reminded',
  'deadline.extended',
  'request.delivered',
  'request.closed',
  'retention.deleted',
  'record.tombstoned',
]);

/**
 * Facts the workflow writes into an audit detail that are no personal data, read with patterns that accept
 * only ids and words: anything else in the detail (names, reasons, container names) is never taken.
 */
const SAFE_FACTS: Partial<Record<AuditAction, (detail: string) => Partial<WorkflowEventFields>>> = {
  'export.submitted': (d) => fact('operationId', /\boperation ([A-Za-z0-9-]{1,64})(?:[;)\s]|$)/.exec(d)),
  'export.recovered': (d) => fact('operationId', /\boperation ([A-Za-z0-9-]{1,64})(?:[;)\s]|$)/.exec(d)),
  'export.statusChanged': (d) => fact('status', / is ([A-Za-z]{1,40}) \(was [A-Za-z]{1,40}\)$/.exec(d)),
  'notification.sent': (d) => fact('notice', /^sent "([A-Za-z0-9._:-]{1,120})"/.exec(d)),
  // Recorded among the events tied to no request (the request's own trail is gone): the id is in the detail.
  'record.tombstoned': (d) => fact('requestId', /^(DSR-\d{4}-\d{4,}) deleted\b/.exec(d)),
};

function fact(
  name: 'operationId' | 'status' | 'notice' | 'requestId',
  match: RegExpExecArray | null,
): Partial<WorkflowEventFields> {
  const found = match?.[1];
  return found === undefined ? {} : { [name]: found };
}

/** How many request creation times and once-keys one process remembers (oldest forgotten first). */
const REMEMBERED = 10_000;

/** A Map that forgets its oldest entry beyond `REMEMBERED`. */
function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > REMEMBERED) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}

export interface WorkflowLogDeps {
  readonly log: Logger;
  /** Read only for a request whose creation this process has not seen (one read per request at most). */
  readonly requests: Pick<RequestStore, 'get'>;
}

/**
 * The audit log that also writes one structured info line per workflow event ({@link WORKFLOW_ACTIONS}), once
 * the record is stored: `{"message":"Workflow event","event":"request.approved","requestId":"DSR-2026-0001",
 * "elapsedMs":93000,"outcome":"ok"}`, plus `operationId`, `status` or `notice` where the event has one.
 *
 * A step handed over twice (a retried job, the outbox sweep) is logged once: records written with a once-key
 * are remembered per request and key. (Another instance handing the same step over logs it there too; the
 * audit table stays the record.) The elapsed time comes from the request's creation time, remembered when this
 * process logs the creation, else read once from the store; a failed read only leaves `elapsedMs` out. The line
 * never fails the record, and keeps the caller waiting for at most that one read.
 */
export function withWorkflowLog(audit: AuditLog, deps: WorkflowLogDeps): AuditLog {
  const createdAt = new Map<string, number>();
  const logged = new Map<string, true>();

  async function creation(event: AuditEvent & { requestId: string }): Promise<number | undefined> {
    if (event.action === 'request.created') {
      const at = Date.parse(event.at);
      remember(createdAt, event.requestId, at);
      return at;
    }
    const known = createdAt.get(event.requestId);
    if (known !== undefined) return known;
    try {
      const request = await deps.requests.get(event.requestId);
      if (!request) return undefined;
      const at = Date.parse(request.createdAt);
      remember(createdAt, event.requestId, at);
      return at;
    } catch {
      return undefined;
    }
  }

  async function line(event: AuditEvent): Promise<WorkflowEventFields> {
    const facts = SAFE_FACTS[event.action]?.(event.detail ?? '') ?? {};
    if (event.requestId === undefined) return { event: event.action, outcome: event.outcome, ...facts };
    const created = await creation({ ...event, requestId: event.requestId });
    const elapsed = created === undefined ? Number.NaN : Date.parse(event.at) - created;
    return {
      event: event.action,
      requestId: event.requestId,
      ...(Number.isFinite(elapsed) ? { elapsedMs: Math.max(0, elapsed) } : {}),
      outcome: event.outcome,
      ...facts,
    };
  }

  return {
    list: (requestId) => audit.list(requestId),
    trail: (requestId) => audit.trail(requestId),
    heads: () => audit.heads(),
    async append(event: AuditEvent, onceKey?: string): Promise<void> {
      await audit.append(event, onceKey);
      if (!WORKFLOW_ACTIONS.has(event.action)) return;
      if (onceKey !== undefined) {
        const key = `${event.requestId ?? ''}\u0000${onceKey}`;
        if (logged.has(key)) return;
        remember(logged, key, true);
      }
      deps.log.info(WORKFLOW_EVENT, { ...(await line(event)) });
    },
  };
}
