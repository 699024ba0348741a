import { clockRunning, type DeadlineStep, type ExportRequest, type Regime } from './export-request';
import { dueDate, isoDate } from './policies';

/**
 * The legal clock of a request, pure: days left, when the deadline reminders fire, and what an extension may
 * add (GDPR Art. 12(3): up to two further months, decided within the first month; CCPA §7021: once, 45 days,
 * within the first 45).
 */

const DAY_MS = 86_400_000;

function utcDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** Whole days from `today` to `due` (both YYYY-MM-DD): negative when overdue. */
export function daysLeft(due: string, today: string): number {
  return Math.round((utcDay(due) - utcDay(today)) / DAY_MS);
}

/** Days a delivery on `delivered` came after `due` (0 when on time). */
export function daysLate(due: string, delivered: string): number {
  return Math.max(0, -daysLeft(due, delivered));
}

/** The hour (UTC) of the day-before and week-before reminders: early in a European working day. */
const REMINDER_HOUR_UTC = 8;

/** When each deadline reminder of a due date fires: 7 days and 1 day before it, and once the date passed. */
export function deadlineTimes(due: string): Record<DeadlineStep, string> {
  const at = (days: number, hour: number) => new Date(utcDay(due) + days * DAY_MS + hour * 3600_000);
  return {
    week: at(-7, REMINDER_HOUR_UTC).toISOString(),
    day: at(-1, REMINDER_HOUR_UTC).toISOString(),
    // The due date is the last day: it passes at the next midnight (UTC).
    overdue: at(1, 0).toISOString(),
  };
}

const STEPS: readonly DeadlineStep[] = ['week', 'day', 'overdue'];

/**
 * The next deadline reminder for `due` after the step already sent (none: from the start), skipping those
 * whose time is past by more than a day at `now` (a request entered late does not get a stale "7 days left").
 * The overdue reminder is never skipped. Undefined when all are done.
 */
export function nextDeadline(
  due: string,
  now: Date,
  after?: DeadlineStep,
): { readonly step: DeadlineStep; readonly at: string } | undefined {
  const times = deadlineTimes(due);
  const from = after === undefined ? 0 : STEPS.indexOf(after) + 1;
  for (const step of STEPS.slice(from)) {
    const at = times[step];
    if (step === 'overdue' || Date.parse(at) + DAY_MS > now.getTime()) return { step, at };
  }
  return undefined;
}

/** The due date a regime gives a request received on `received`, before any extension. */
export function originalDueDate(request: Pick<ExportRequest, 'regime' | 'receivedDate'>): string {
  return dueDate(request.regime, request.receivedDate);
}

function addMonths(date: string, months: number): string {
  const d = new Date(utcDay(date));
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return isoDate(new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), last))));
}

/** How far an extension goes: GDPR in months (1 or 2, together at most 2), CCPA and other once, in days. */
export const EXTENSION_RULES: Record<Regime, { readonly label: string }> = {
  GDPR: { label: 'up to two further months in all, decided before the original due date' },
  CCPA: { label: 'once, by 45 days, decided before the original due date' },
  other: { label: 'once, by 30 days, decided before the original due date' },
};

export type ExtensionAnswer =
  | { readonly ok: true; readonly toDue: string }
  | {
      readonly ok: false;
      readonly why: 'clockStopped' | 'originalDatePassed' | 'limitReached' | 'badLength';
    };

/**
 * What an extension asked on `today` gives: the new due date, or why not. `months` is for GDPR (1 or 2;
 * together with earlier extensions at most 2 beyond the original date); CCPA extends once by 45 days, other
 * once by 30. Every extension must be decided before the original due date passes (the subject must be told
 * within the first period).
 */
export function extensionFor(request: ExportRequest, today: string, months = 1): ExtensionAnswer {
  if (!clockRunning(request.status)) return { ok: false, why: 'clockStopped' };
  const original = originalDueDate(request);
  if (daysLeft(original, today) < 0) return { ok: false, why: 'originalDatePassed' };
  const earlier = request.extensions?.length ?? 0;
  switch (request.regime) {
    case 'GDPR': {
      if (months !== 1 && months !== 2) return { ok: false, why: 'badLength' };
      const limit = addMonths(original, 2);
      if (request.dueDate >= limit) return { ok: false, why: 'limitReached' };
      const wanted = addMonths(request.dueDate, months);
      return wanted > limit ? { ok: false, why: 'limitReached' } : { ok: true, toDue: wanted };
    }
    case 'CCPA':
    case 'other': {
      if (earlier > 0) return { ok: false, why: 'limitReached' };
      const days = request.regime === 'CCPA' ? 45 : 30;
      return { ok: true, toDue: isoDate(new Date(utcDay(request.dueDate) + days * DAY_MS)) };
    }
  }
}

/** How near the due date is, for colour: overdue, within a week, or not yet. */
export function urgency(due: string, today: string): 'overdue' | 'soon' | 'calm' {
  const left = daysLeft(due, today);
  return left < 0 ? 'overdue' : left <= 7 ? 'soon' : 'calm';
}
