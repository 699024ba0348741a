import {
  daysLate,
  daysLeft,
  deadlineTimes,
  extensionFor,
  nextDeadline,
  urgency,
} from '../../src/domain/deadline';
import type { ExportRequest } from '../../src/domain/export-request';
import { pendingRequest } from '../support/requests';

const gdpr = (over: Partial<ExportRequest> = {}): ExportRequest => ({ ...pendingRequest(), ...over });
const ccpa = (over: Partial<ExportRequest> = {}): ExportRequest =>
  gdpr({ regime: 'CCPA', receivedDate: '2026-11-20', dueDate: '2027-01-04', ...over });

describe('the legal clock', () => {
  it('counts days left, and negative days once overdue', () => {
    expect(daysLeft('2026-12-20', '2026-12-13')).toBe(7);
    expect(daysLeft('2026-12-20', '2026-12-20')).toBe(0);
    expect(daysLeft('2026-12-20', '2026-12-23')).toBe(-3);
    expect(daysLate('2026-12-20', '2026-12-19')).toBe(0);
    expect(daysLate('2026-12-20', '2026-12-22')).toBe(2);
  });

  it('colours the date: calm, soon within a week, overdue after it', () => {
    expect(urgency('2026-12-20', '2026-12-12')).toBe('calm');
    expect(urgency('2026-12-20', '2026-12-13')).toBe('soon');
    expect(urgency('2026-12-20', '2026-12-21')).toBe('overdue');
  });

  it('reminds 7 days and 1 day before the due date, and once the date has passed', () => {
    expect(deadlineTimes('2026-12-20')).toEqual({
      week: '2026-12-13T08:00:00.000Z',
      day: '2026-12-19T08:00:00.000Z',
      overdue: '2026-12-21T00:00:00.000Z',
    });
  });

  it('arms the first reminder still ahead, and never skips the overdue one', () => {
    expect(nextDeadline('2026-12-20', new Date('2026-11-21T10:00:00Z'))?.step).toBe('week');
    // Entered three days before the due date: the 7-day reminder would be stale.
    expect(nextDeadline('2026-12-20', new Date('2026-12-17T10:00:00Z'))?.step).toBe('day');
    // Entered after the due date: only the overdue reminder is left.
    expect(nextDeadline('2026-12-20', new Date('2026-12-25T10:00:00Z'))?.step).toBe('overdue');
    expect(nextDeadline('2026-12-20', new Date('2026-12-13T08:00:00Z'), 'week')?.step).toBe('day');
    expect(nextDeadline('2026-12-20', new Date('2026-12-21T00:00:00Z'), 'overdue')).toBeUndefined();
  });

  describe('extensions', () => {
    it('GDPR: one or two further months, at most two in all', () => {
      expect(extensionFor(gdpr(), '2026-12-01', 1)).toEqual({ ok: true, toDue: '2027-01-20' });
      expect(extensionFor(gdpr(), '2026-12-01', 2)).toEqual({ ok: true, toDue: '2027-02-20' });
      expect(extensionFor(gdpr(), '2026-12-01', 3)).toEqual({ ok: false, why: 'badLength' });
      const once = gdpr({ dueDate: '2027-01-20', extensions: [extension('2026-12-20', '2027-01-20')] });
      expect(extensionFor(once, '2026-12-02', 1)).toEqual({ ok: true, toDue: '2027-02-20' });
      expect(extensionFor(once, '2026-12-02', 2)).toEqual({ ok: false, why: 'limitReached' });
      const twice = gdpr({ dueDate: '2027-02-20', extensions: [extension('2026-12-20', '2027-02-20')] });
      expect(extensionFor(twice, '2026-12-03', 1)).toEqual({ ok: false, why: 'limitReached' });
    });

    it('GDPR: only before the original due date passes', () => {
      expect(extensionFor(gdpr(), '2026-12-20', 1).ok).toBe(true);
      expect(extensionFor(gdpr(), '2026-12-21', 1)).toEqual({ ok: false, why: 'originalDatePassed' });
    });

    it('CCPA: once, by 45 days', () => {
      expect(extensionFor(ccpa(), '2026-12-01')).toEqual({ ok: true, toDue: '2027-02-18' });
      const once = ccpa({ dueDate: '2027-02-18', extensions: [extension('2027-01-04', '2027-02-18')] });
      expect(extensionFor(once, '2026-12-02')).toEqual({ ok: false, why: 'limitReached' });
    });

    it('not once the clock stopped', () => {
      expect(extensionFor(gdpr({ status: 'delivered' }), '2026-12-01')).toEqual({
        ok: false,
        why: 'clockStopped',
      });
    });
  });
});

function extension(fromDue: string, toDue: string) {
  return {
    by: { aadObjectId: 'megan', name: 'Megan Bowen' },
    at: '2026-12-01T09:00:00Z',
    reason: 'Complex',
    fromDue,
    toDue,
  };
}
