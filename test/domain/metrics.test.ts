import { mean, median, outcomesToCount, yearMetrics } from '../../src/domain/metrics';
import type { RequestOutcome, Tombstone } from '../../src/domain/request-outcome';

const YEAR = { from: '2026-01-01', to: '2026-12-31' };
const TODAY = '2026-11-30';

let n = 0;
/** An outcome received on `receivedDate`, answered `days` days later (late by `late`), or open. */
function outcome(extra: Partial<RequestOutcome> & Pick<RequestOutcome, 'outcome'>): RequestOutcome {
  n += 1;
  const answered = extra.outcome !== 'open';
  return {
    id: `DSR-2026-${String(n).padStart(4, '0')}`,
    regime: 'GDPR',
    receivedDate: '2026-03-01',
    dueDate: '2026-04-01',
    createdAt: '2026-03-02T09:00:00Z',
    status: answered ? 'delivered' : 'exporting',
    ...(answered ? { respondedDate: '2026-03-11', daysToRespond: 10, daysLate: 0 } : {}),
    extensions: 0,
    ...extra,
  };
}

describe('median and mean', () => {
  it('take the middle value, or the mean of the two middle ones for an even count', () => {
    expect(median([7, 1, 3])).toBe(3);
    expect(median([10, 1, 4, 3])).toBe(3.5);
    expect(median([5])).toBe(5);
    expect(median([])).toBeUndefined();
  });

  it('round the mean to one decimal', () => {
    expect(mean([1, 2, 2])).toBe(1.7);
    expect(mean([10, 20])).toBe(15);
    expect(mean([])).toBeUndefined();
  });
});

describe('yearMetrics', () => {
  it('counts received, complied, denied per reason, closed, open and overdue, per regime and in total', () => {
    const outcomes = [
      outcome({ outcome: 'complied', daysToRespond: 10 }),
      outcome({ outcome: 'complied', daysToRespond: 40, daysLate: 9, extensions: 1 }),
      outcome({ outcome: 'denied', denialReason: 'excessive', status: 'closed', daysToRespond: 20 }),
      outcome({
        outcome: 'denied',
        denialReason: 'rejectedAtApproval',
        status: 'rejected',
        daysToRespond: 1,
      }),
      outcome({ outcome: 'closedWithoutExport', status: 'closed', daysToRespond: 3 }),
      outcome({ outcome: 'closedWithoutExport', status: 'cancelled', daysToRespond: 0 }),
      outcome({ outcome: 'open', dueDate: '2026-11-29' }),
      outcome({ outcome: 'open', dueDate: '2026-11-30', extensions: 2 }),
      outcome({ regime: 'CCPA', outcome: 'complied', daysToRespond: 44 }),
      outcome({ regime: 'CCPA', outcome: 'closedWithoutExport', status: 'expired', daysToRespond: 7 }),
      outcome({
        regime: 'other',
        outcome: 'denied',
        denialReason: 'identityNotVerified',
        status: 'closed',
        daysToRespond: 31,
        daysLate: 1,
      }),
    ];
    const m = yearMetrics(outcomes, YEAR, TODAY);
    expect(m).toMatchObject({ from: '2026-01-01', to: '2026-12-31', today: TODAY });
    expect(m.byRegime.GDPR).toEqual({
      received: 8,
      complied: 2,
      denied: 2,
      deniedByReason: { identityNotVerified: 0, manifestlyUnfounded: 0, excessive: 1, rejectedAtApproval: 1 },
      closedWithoutExport: 2,
      closedByKind: { withdrawn: 1, cancelled: 1, expired: 0 },
      open: 2,
      openOverdue: 1,
      answered: 4,
      medianDaysToRespond: 15, // 1, 10, 20, 40
      meanDaysToRespond: 17.8, // 71 / 4 = 17.75
      answeredLate: 1,
      extended: 2,
    });
    expect(m.byRegime.CCPA).toMatchObject({ received: 2, complied: 1, closedWithoutExport: 1, answered: 1 });
    expect(m.byRegime.CCPA).toMatchObject({ medianDaysToRespond: 44, meanDaysToRespond: 44 });
    expect(m.byRegime.other).toMatchObject({
      received: 1,
      denied: 1,
      answeredLate: 1,
      medianDaysToRespond: 31,
    });
    expect(m.total).toEqual({
      received: 11,
      complied: 3,
      denied: 3,
      deniedByReason: { identityNotVerified: 1, manifestlyUnfounded: 0, excessive: 1, rejectedAtApproval: 1 },
      closedWithoutExport: 3,
      closedByKind: { withdrawn: 1, cancelled: 1, expired: 1 },
      open: 2,
      openOverdue: 1,
      answered: 6,
      medianDaysToRespond: 25.5, // 1, 10, 20, 31, 40, 44
      meanDaysToRespond: 24.3, // 146 / 6
      answeredLate: 2,
      extended: 2,
    });
  });

  it('counts days to respond over complied and denied requests only, not over closures', () => {
    const m = yearMetrics(
      [
        outcome({ outcome: 'complied', daysToRespond: 10 }),
        outcome({ outcome: 'closedWithoutExport', status: 'closed', daysToRespond: 90, daysLate: 60 }),
      ],
      YEAR,
      TODAY,
    );
    expect(m.total).toMatchObject({
      answered: 1,
      medianDaysToRespond: 10,
      meanDaysToRespond: 10,
      answeredLate: 0,
    });
  });

  it('counts by the received date, both ends of the range included', () => {
    const m = yearMetrics(
      [
        outcome({ outcome: 'complied', receivedDate: '2025-12-31' }),
        outcome({ outcome: 'complied', receivedDate: '2026-01-01' }),
        outcome({ outcome: 'complied', receivedDate: '2026-12-31' }),
        outcome({ outcome: 'complied', receivedDate: '2027-01-01' }),
      ],
      YEAR,
      TODAY,
    );
    expect(m.total.received).toBe(2);
  });

  it('counts an id once', () => {
    const one = outcome({ outcome: 'complied' });
    const m = yearMetrics([one, { ...one, outcome: 'open' }], YEAR, TODAY);
    expect(m.total).toMatchObject({ received: 1, complied: 1, open: 0 });
  });

  it('has no days to respond and zeros everywhere when nothing was received', () => {
    const m = yearMetrics([], YEAR, TODAY);
    expect(m.total).toMatchObject({ received: 0, answered: 0, answeredLate: 0 });
    expect(m.total.medianDaysToRespond).toBeUndefined();
    expect(m.total.meanDaysToRespond).toBeUndefined();
    expect(Object.keys(m.byRegime)).toEqual(['GDPR', 'CCPA', 'other']);
  });
});

describe('outcomesToCount', () => {
  it('takes a tombstone only when its record is gone, and the record when both exist', () => {
    const live = outcome({ outcome: 'open' });
    const gone = outcome({ outcome: 'complied' });
    const stone = (o: RequestOutcome): Tombstone => ({ ...o, deletedAt: '2026-11-01T00:00:00Z' });
    const counted = outcomesToCount([live], new Set([live.id]), [
      stone({ ...live, outcome: 'complied' }),
      stone(gone),
    ]);
    expect(counted.map((o) => [o.id, o.outcome])).toEqual([
      [live.id, 'open'],
      [gone.id, 'complied'],
    ]);
  });

  it('ignores a tombstone whose record lives on outside the range', () => {
    const stone: Tombstone = { ...outcome({ outcome: 'complied' }), deletedAt: '2026-11-01T00:00:00Z' };
    expect(outcomesToCount([], new Set([stone.id]), [stone])).toEqual([]);
  });
});
