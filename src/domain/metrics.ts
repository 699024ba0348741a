import { assertNever, REGIMES, type Regime } from './export-request';
import type { DenialReason, RequestOutcome, Tombstone } from './request-outcome';

/**
 * The figures of the metrics report (CCPA regulations §7102, plus GDPR lateness) for the requests received in
 * a range of days. Pure: the requests' outcomes and `today` are given.
 */

/** How many denials there were for each reason; every reason is present (0 when none). */
export type DenialCounts = Readonly<Record<DenialReason, number>>;

/** How requests closed without export ended: withdrawn (closed), cancelled by the requester, or expired. */
export type ClosedCounts = Readonly<Record<'withdrawn' | 'cancelled' | 'expired', number>>;

/** The figures of one regime, or of all of them. */
export interface RegimeMetrics {
  /** Requests whose subject's request was received in the range. */
  readonly received: number;
  /** Data delivered, in whole or in part. */
  readonly complied: number;
  readonly denied: number;
  readonly deniedByReason: DenialCounts;
  /** Withdrawn, cancelled or expired before any export. */
  readonly closedWithoutExport: number;
  readonly closedByKind: ClosedCounts;
  /** Not answered yet: the legal clock runs. */
  readonly open: number;
  /** Open, and past the due date today. */
  readonly openOverdue: number;
  /** Complied with or denied: the requests the days to respond are counted over. */
  readonly answered: number;
  /** Median days from receipt to the answer, over the answered requests; undefined when none was answered. */
  readonly medianDaysToRespond: number | undefined;
  /** Mean days from receipt to the answer, over the answered requests, to one decimal; undefined when none. */
  readonly meanDaysToRespond: number | undefined;
  /** Answered requests answered after their due date (extensions included). */
  readonly answeredLate: number;
  /** Requests whose due date was extended at least once. */
  readonly extended: number;
}

/** The report's figures: per regime, and in total. */
export interface Metrics {
  /** YYYY-MM-DD, both included. */
  readonly from: string;
  readonly to: string;
  /** The day the figures were computed on (open and overdue are as of then). */
  readonly today: string;
  readonly byRegime: Readonly<Record<Regime, RegimeMetrics>>;
  readonly total: RegimeMetrics;
}

/** No denials yet; its keys are every {@link DenialReason} (a new reason is a compile error here). */
const NO_DENIALS: DenialCounts = {
  identityNotVerified: 0,
  manifestlyUnfounded: 0,
  excessive: 0,
  rejectedAtApproval: 0,
};

/** Every denial reason, in the order the report shows them. */
export const DENIAL_REASONS = Object.keys(NO_DENIALS) as readonly DenialReason[];

/** Every kind of closure without export, in the order the report shows them. */
export const CLOSED_KINDS = ['withdrawn', 'cancelled', 'expired'] as const;

/** The middle value of `values` (the mean of the two middle ones for an even count); undefined when empty. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}

/** The mean of `values` rounded to one decimal; undefined when empty. */
export function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sum = values.reduce((a, b) => a + b, 0);
  return Math.round((sum / values.length) * 10) / 10;
}

const closedKind = (o: RequestOutcome): keyof ClosedCounts =>
  o.status === 'cancelled' ? 'cancelled' : o.status === 'expired' ? 'expired' : 'withdrawn';

/** The figures of `outcomes`, whatever their regime or received date. */
function figuresOf(outcomes: readonly RequestOutcome[], today: string): RegimeMetrics {
  const deniedByReason: Record<DenialReason, number> = { ...NO_DENIALS };
  const closedByKind: Record<keyof ClosedCounts, number> = { withdrawn: 0, cancelled: 0, expired: 0 };
  const days: number[] = [];
  let complied = 0;
  let denied = 0;
  let closed = 0;
  let open = 0;
  let openOverdue = 0;
  let answeredLate = 0;
  for (const o of outcomes) {
    switch (o.outcome) {
      case 'complied':
      case 'denied':
        if (o.outcome === 'complied') complied += 1;
        else {
          denied += 1;
          deniedByReason[o.denialReason ?? 'rejectedAtApproval'] += 1;
        }
        days.push(o.daysToRespond ?? 0);
        if ((o.daysLate ?? 0) > 0) answeredLate += 1;
        break;
      case 'closedWithoutExport':
        closed += 1;
        closedByKind[closedKind(o)] += 1;
        break;
      case 'open':
        open += 1;
        if (o.dueDate < today) openOverdue += 1;
        break;
      default:
        assertNever(o.outcome);
    }
  }
  return {
    received: outcomes.length,
    complied,
    denied,
    deniedByReason,
    closedWithoutExport: closed,
    closedByKind,
    open,
    openOverdue,
    answered: days.length,
    medianDaysToRespond: median(days),
    meanDaysToRespond: mean(days),
    answeredLate,
    extended: outcomes.filter((o) => o.extensions > 0).length,
  };
}

/**
 * The metrics of the requests received from `range.from` to `range.to` (YYYY-MM-DD, both included), per regime
 * and in total. Each id counts once (the first outcome given for it); outcomes received outside the range are
 * left out. Days to respond (median and mean) are counted over the answered requests: complied with and
 * denied. `today` (YYYY-MM-DD) decides which open requests are overdue.
 */
export function yearMetrics(
  outcomes: readonly RequestOutcome[],
  range: { readonly from: string; readonly to: string },
  today: string,
): Metrics {
  const seen = new Set<string>();
  const counted: RequestOutcome[] = [];
  for (const o of outcomes) {
    if (o.receivedDate < range.from || o.receivedDate > range.to || seen.has(o.id)) continue;
    seen.add(o.id);
    counted.push(o);
  }
  const byRegime = Object.fromEntries(
    REGIMES.map((regime) => [
      regime,
      figuresOf(
        counted.filter((o) => o.regime === regime),
        today,
      ),
    ]),
  ) as Record<Regime, RegimeMetrics>;
  return { from: range.from, to: range.to, today, byRegime, total: figuresOf(counted, today) };
}

/**
 * The outcomes to count: every live record's, then the tombstones of requests whose record is gone. A request
 * that has both (deleted while the tombstone was being written, or a tombstone written early) counts once, by
 * its record. `liveIds` holds the ids of every stored request, in the range or not.
 */
export function outcomesToCount(
  live: readonly RequestOutcome[],
  liveIds: ReadonlySet<string>,
  tombstones: readonly Tombstone[],
): RequestOutcome[] {
  return [...live, ...tombstones.filter((t) => !liveIds.has(t.id))];
}
