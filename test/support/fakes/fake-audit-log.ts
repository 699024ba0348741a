import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../../src/domain/audit';
import {
  nextLink,
  orderTrail,
  sealOf,
  verifyChain,
  type ChainHead,
  type HashText,
  type StoredAuditRow,
} from '../../../src/domain/audit-chain';
import type { AuditLog, AuditTrail, TrailHead } from '../../../src/domain/ports';
import { Faults } from './faults';

type AuditLogOps = {
  append: [event: AuditEvent, onceKey: string | undefined];
  list: [requestId: string | undefined];
  trail: [requestId: string | undefined];
  heads: [];
};

const NO_REQUEST = 'no-request';
const sha256: HashText = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The audit trail in memory, as {@link TableAuditLog}: append-only, one partition per request (events tied to
 * no request share one), listed oldest first by `at`; with a once-key an event is written at most once per
 * request and key (a retried step does not record twice), the first one kept. Each partition is a hash chain
 * with a head, computed as the table store does, so `trail()` verifies it the same way.
 */
export class FakeAuditLog implements AuditLog {
  readonly faults = new Faults<AuditLogOps>();
  private readonly rows: {
    partition: string;
    onceKey: string | undefined;
    json: string;
    row: StoredAuditRow;
  }[] = [];
  private readonly headOf = new Map<string, ChainHead>();

  async append(event: AuditEvent, onceKey?: string): Promise<void> {
    await this.faults.check('append', event, onceKey);
    const partition = event.requestId ?? NO_REQUEST;
    if (onceKey !== undefined && this.rows.some((r) => r.partition === partition && r.onceKey === onceKey))
      return;
    const link = nextLink(sha256, this.headOf.get(partition), () => sealOf(sha256, []), event);
    this.headOf.set(partition, { seq: link.seq, hash: link.hash });
    const json = JSON.stringify(event);
    const row = { rowKey: onceKey ?? `c~${link.seq}`, event: JSON.parse(json) as AuditEvent, link };
    this.rows.push({ partition, onceKey, json, row });
  }

  async list(requestId?: string): Promise<AuditEvent[]> {
    await this.faults.check('list', requestId);
    return this.rows
      .filter((r) => r.partition === (requestId ?? NO_REQUEST))
      .map((r) => JSON.parse(r.json) as AuditEvent)
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  async trail(requestId?: string): Promise<AuditTrail> {
    await this.faults.check('trail', requestId);
    const partition = requestId ?? NO_REQUEST;
    const rows = this.rows.filter((r) => r.partition === partition).map((r) => r.row);
    return { entries: orderTrail(rows), verification: verifyChain(sha256, rows, this.headOf.get(partition)) };
  }

  async heads(): Promise<TrailHead[]> {
    await this.faults.check('heads');
    return [...this.headOf]
      .map(([trail, head]) => ({ trail, ...head }))
      .sort((a, b) => (a.trail < b.trail ? -1 : a.trail > b.trail ? 1 : 0));
  }

  /**
   * Replaces a trail's entries from `fromSeq` on with `events`, chained and headed as the log would have
   * written them: what someone holding the storage key could do (tests of the seal). `trail()` finds the new
   * chain whole; only a seal taken before shows the change.
   */
  async rewrite(trail: string, fromSeq: number, events: readonly AuditEvent[]): Promise<void> {
    const kept = this.rows.filter((r) => r.partition !== trail || (r.row.link?.seq ?? 0) < fromSeq);
    this.rows.splice(0, this.rows.length, ...kept);
    const last = kept.filter((r) => r.partition === trail).at(-1)?.row.link;
    if (last) this.headOf.set(trail, { seq: last.seq, hash: last.hash });
    else this.headOf.delete(trail);
    for (const e of events)
      await this.append({ ...e, ...(trail === NO_REQUEST ? {} : { requestId: trail }) });
  }

  /** Deletes a trail, entries and head (as retention does once a request is tombstoned). */
  drop(trail: string): void {
    const kept = this.rows.filter((r) => r.partition !== trail);
    this.rows.splice(0, this.rows.length, ...kept);
    this.headOf.delete(trail);
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
