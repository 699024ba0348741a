import {
  assertNever,
  type ClosureReason,
  type ExportRequest,
  type Regime,
  type RequestStatus,
} from './export-request';

/**
 * How a request ended for the data subject, in the terms of the yearly metrics (CCPA regulations §7102, plus
 * GDPR lateness):
 * - `complied`: the data was delivered (in whole or in part);
 * - `denied`: refused, with a {@link DenialReason};
 * - `closedWithoutExport`: withdrawn, cancelled by the requester, or expired before any decision;
 * - `open`: not answered yet (the clock runs).
 */
export type Outcome = 'complied' | 'denied' | 'closedWithoutExport' | 'open';

/** Why a request was denied: a closure reason, or the second admin's rejection at approval. */
export type DenialReason = Exclude<ClosureReason, 'withdrawn'> | 'rejectedAtApproval';

/**
 * The facts of a request the metrics need, and nothing else: no person, no reference, no free text. A
 * tombstone keeps exactly these once the record itself is deleted, so the figures of past years still add up.
 */
export interface RequestOutcome {
  readonly id: string;
  readonly regime: Regime;
  /** The day the subject's request was received (YYYY-MM-DD): the year it counts in. */
  readonly receivedDate: string;
  /** The legal due date, extensions included (YYYY-MM-DD). */
  readonly dueDate: string;
  readonly createdAt: string;
  /** The status the request ended in (or is in). */
  readonly status: RequestStatus;
  readonly outcome: Outcome;
  readonly denialReason?: DenialReason;
  /** The day the subject was answered (delivery, denial or closure), YYYY-MM-DD; absent while open. */
  readonly respondedDate?: string;
  /** Days from the received date to the response; absent while open. */
  readonly daysToRespond?: number;
  /** Days the response came after the due date (0 when on time); absent while open. */
  readonly daysLate?: number;
  readonly extensions: number;
}

/** What is left of a request after its retention: its {@link RequestOutcome} and when the rest was deleted. */
export interface Tombstone extends RequestOutcome {
  readonly deletedAt: string;
}

const DAY_MS = 24 * 3600 * 1000;

/** Whole days from one YYYY-MM-DD date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

const dayOf = (iso: string) => iso.slice(0, 10);

function ending(r: ExportRequest): Pick<RequestOutcome, 'outcome' | 'denialReason' | 'respondedDate'> {
  switch (r.status) {
    case 'delivered':
      return { outcome: 'complied', respondedDate: r.delivery?.date ?? dayOf(r.createdAt) };
    case 'closed': {
      const respondedDate = dayOf(r.closure?.confirmedAt ?? r.closure?.proposedAt ?? r.createdAt);
      const reason = r.closure?.reason ?? 'withdrawn';
      return reason === 'withdrawn'
        ? { outcome: 'closedWithoutExport', respondedDate }
        : { outcome: 'denied', denialReason: reason, respondedDate };
    }
    case 'rejected':
      return {
        outcome: 'denied',
        denialReason: 'rejectedAtApproval',
        respondedDate: dayOf(r.decision?.at ?? r.createdAt),
      };
    case 'cancelled':
    case 'expired':
      return { outcome: 'closedWithoutExport', respondedDate: dayOf(r.decision?.at ?? r.createdAt) };
    case 'pendingApproval':
    case 'approved':
    case 'exporting':
    case 'outcomeUnknown':
    case 'completed':
    case 'failed':
      return { outcome: 'open' };
    default:
      return assertNever(r.status);
  }
}

/** The metrics' facts of one request. Pure. */
export function outcomeOf(r: ExportRequest): RequestOutcome {
  const end = ending(r);
  return {
    id: r.id,
    regime: r.regime,
    receivedDate: r.receivedDate,
    dueDate: r.dueDate,
    createdAt: r.createdAt,
    status: r.status,
    ...end,
    ...(end.respondedDate !== undefined
      ? {
          daysToRespond: Math.max(0, daysBetween(r.receivedDate, end.respondedDate)),
          daysLate: Math.max(0, daysBetween(r.dueDate, end.respondedDate)),
        }
      : {}),
    extensions: (r.extensions ?? []).length,
  };
}

/** The tombstone of a request deleted at `deletedAt`. */
export function tombstoneOf(r: ExportRequest, deletedAt: string): Tombstone {
  return { ...outcomeOf(r), deletedAt };
}
