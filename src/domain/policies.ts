import { REGIMES, type Regime } from './export-request';

/** Limits for what people type; enforced on the server whatever the card says. */
export const LIMITS = {
  reference: 64,
  justificationMin: 10,
  justification: 1000,
  /** A received date older than this is refused as a typo (the longest legal deadline is 3 months). */
  receivedMaxAgeDays: 366,
  /** Display-name search: more matches than this asks the requester to be more precise. */
  maxCandidates: 8,
} as const;

/** YYYY-MM-DD of a date, in UTC. */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function parseIsoDate(s: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  const d = new Date(`${s}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || isoDate(d) !== s ? undefined : d;
}

function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * 86400000);
}

/**
 * The legal due date for a request received on `received` (YYYY-MM-DD):
 * GDPR Art. 12(3): one month, the same day of the next month, or its last day when that day does not exist;
 * CCPA: 45 days; other: 30 days (the bot's default, to be tightened by policy).
 */
export function dueDate(regime: Regime, received: string): string {
  const d = parseIsoDate(received);
  if (!d) throw new Error(`Not a date: ${received}`);
  switch (regime) {
    case 'GDPR': {
      const y = d.getUTCFullYear();
      const m = d.getUTCMonth() + 1;
      const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
      return isoDate(new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay))));
    }
    case 'CCPA':
      return isoDate(addDays(d, 45));
    case 'other':
      return isoDate(addDays(d, 30));
  }
}

// Control characters (but tab and new line), C1 controls, zero-width and bidirectional overrides.
const INVISIBLE = new RegExp(
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u200B-\\u200F\\u202A-\\u202E\\u2066-\\u2069]',
  'g',
);

/** Removes invisible characters (keeping new lines and tabs), normalises new lines and trims. */
export function cleanText(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.replace(/\r\n?/g, '\n').replace(INVISIBLE, '').trim();
}

/** Shortens text for display, ending with an ellipsis when it was cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export interface RequestForm {
  readonly regime: Regime;
  readonly receivedDate: string;
  readonly reference: string;
  readonly justification: string;
}

export type FormField = keyof RequestForm;

export type FormResult =
  | { readonly ok: true; readonly form: RequestForm }
  | {
      readonly ok: false;
      readonly errors: Partial<Record<FormField, string>>;
      /** What was typed, cleaned, to show again in the card. */
      readonly values: Record<FormField, string>;
    };

/**
 * Validates the confirmation card's fields on the server (the card's own checks prove nothing).
 * `today` is the requester's today at the latest (YYYY-MM-DD, UTC); one day of slack allows for time zones.
 */
export function validateRequestForm(input: Record<string, unknown>, today: string): FormResult {
  const values: Record<FormField, string> = {
    regime: cleanText(input.regime),
    receivedDate: cleanText(input.receivedDate),
    reference: cleanText(input.reference),
    justification: cleanText(input.justification),
  };
  const errors: Partial<Record<FormField, string>> = {};
  const regime = REGIMES.find((r) => r.toLowerCase() === values.regime.toLowerCase());
  if (!regime) errors.regime = 'Choose the regime: GDPR, CCPA or other.';

  const received = parseIsoDate(values.receivedDate);
  const todayDate = parseIsoDate(today)!;
  if (!received) errors.receivedDate = 'Give the date the request was received (YYYY-MM-DD).';
  else if (received > addDays(todayDate, 1))
    errors.receivedDate = 'The received date cannot be in the future.';
  else if (received < addDays(todayDate, -LIMITS.receivedMaxAgeDays)) {
    errors.receivedDate = `The received date is more than ${LIMITS.receivedMaxAgeDays} days ago; check the year.`;
  }

  if (values.reference === '') errors.reference = 'Give a reference or ticket number.';
  else if ([...values.reference].length > LIMITS.reference) {
    errors.reference = `Keep the reference to ${LIMITS.reference} characters.`;
  } else if (/\n/.test(values.reference)) errors.reference = 'The reference must fit on one line.';

  const justificationLength = [...values.justification].length;
  if (justificationLength < LIMITS.justificationMin) {
    errors.justification = `Say why this export is needed (at least ${LIMITS.justificationMin} characters).`;
  } else if (justificationLength > LIMITS.justification) {
    errors.justification = `Keep the justification to ${LIMITS.justification} characters (it has ${justificationLength}).`;
  }

  if (Object.keys(errors).length > 0 || !regime) return { ok: false, errors, values };
  return {
    ok: true,
    form: {
      regime,
      receivedDate: values.receivedDate,
      reference: values.reference,
      justification: values.justification,
    },
  };
}

/** Whether someone holding `heldRoleIds` (of the allowed ones) may request or approve exports. */
export function mayActAsAdmin(heldRoleIds: readonly string[]): boolean {
  return heldRoleIds.length > 0;
}
