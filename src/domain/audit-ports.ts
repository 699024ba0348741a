import type { AuditEvent } from './audit';
import type { ChainVerification } from './audit-chain';

/** The append-only audit trail. */
export interface AuditLog {
  /**
   * Appends an event. With `onceKey`, the event is written at most once for that key (a retried step does
   * not record twice).
   */
  append(event: AuditEvent, onceKey?: string): Promise<void>;
  /** The events of one request (or, without an id, those tied to no request), oldest first. */
  list(requestId?: string): Promise<AuditEvent[]>;
  /**
   * The trail of one request (or, without an id, of the events tied to no request) in the order it was written,
   * with its verification: each entry since the chain exists carries a sequence number and a hash of its
   * content and of the entry before, so that an entry altered, removed or inserted behind the bot's back (with
   * the storage key) is reported by its sequence number. Entries written before the chain existed come first,
   * without a sequence number. Rejects only when the trail cannot be read.
   */
  trail(requestId?: string): Promise<AuditTrail>;
  /**
   * The head of every trail: its last sequence number and that entry's hash, in trail order. The daily seal
   * records them, so that a trail rewritten afterwards, even with a consistent chain and head, no longer
   * matches. Trails whose entries all predate the chain have no head and are not listed.
   */
  heads(): Promise<TrailHead[]>;
}

/** Where a trail's chain ends: the trail (a request id, or `no-request`), its last sequence number and hash. */
export interface TrailHead {
  /** The request id, or {@link NO_REQUEST_TRAIL} for the events tied to no request. */
  readonly trail: string;
  readonly seq: number;
  readonly hash: string;
}

/** The trail of the events tied to no request (refused requesters, the daily seal …). */
export const NO_REQUEST_TRAIL = 'no-request';

/** One entry of a trail: its sequence number in the chain (absent when written before the chain existed). */
export interface TrailEntry {
  readonly seq: number | undefined;
  readonly event: AuditEvent;
}

/** A request's audit trail as read, and whether its chain holds ({@link ChainVerification}). */
export interface AuditTrail {
  readonly entries: readonly TrailEntry[];
  readonly verification: ChainVerification;
}
