import { IDENTITY_METHODS, REGIMES, type IdentityMethod, type Regime } from './export-request';
import { cleanText } from './text';

/** Limits for what people type; enforced on the server whatever the card says. */
export const LIMITS = {
  reference: 64,
  justificationMin: 10,
  justification: 1000,
  identityNote: 500,
  /** A received date older than this is refused as a typo (the longest legal deadline is 3 months). */
  receivedMaxAgeDays: 366,
  /** Display-name search: more matches than this asks the requester to be more precise. */
  maxCandidates: 8,
  /** What is read of any one field (and kept to show again) before it is judged as too long. */
  typed: 10_000,
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

export interface RequestForm {
  readonly regime: Regime;
  readonly receivedDate: string;
  readonly reference: string;
  readonly justification: string;
  /**
   * How the subject's identity was verified; absent when not yet (the request can be created, but not
   * approved until an admin records it).
   */
  readonly identity?: { readonly method: IdentityMethod; readonly note: string };
}

export type FormField =
  'regime' | 'receivedDate' | 'reference' | 'justification' | 'identityMethod' | 'identityNote';

/** A validated form as the inputs it came from (a draft keeps inputs, and validates them again later). */
export function formInputs(form: RequestForm): Record<FormField, string> {
  return {
    regime: form.regime,
    receivedDate: form.receivedDate,
    reference: form.reference,
    justification: form.justification,
    identityMethod: form.identity?.method ?? IDENTITY_NOT_YET,
    identityNote: form.identity?.note ?? '',
  };
}

/** The identity choice meaning "not verified yet". */
export const IDENTITY_NOT_YET = 'notYet';

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
  const read = (value: unknown, multiline = false) =>
    cleanText(value, LIMITS.typed + 1, { multiline, ellipsis: '' });
  const values: Record<FormField, string> = {
    regime: read(input.regime),
    receivedDate: read(input.receivedDate),
    // One line: a line break typed into the reference (a single-line field) becomes a space.
    reference: read(input.reference),
    justification: read(input.justification, true),
    identityMethod: read(input.identityMethod),
    identityNote: read(input.identityNote, true),
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
  }

  const justificationLength = [...values.justification].length;
  if (justificationLength < LIMITS.justificationMin) {
    errors.justification = `Say why this export is needed (at least ${LIMITS.justificationMin} characters).`;
  } else if (justificationLength > LIMITS.justification) {
    const has =
      justificationLength > LIMITS.typed ? `more than ${LIMITS.typed}` : String(justificationLength);
    errors.justification = `Keep the justification to ${LIMITS.justification} characters (it has ${has}).`;
  }

  const method = IDENTITY_METHODS.find((m) => m.toLowerCase() === values.identityMethod.toLowerCase());
  const notYet = values.identityMethod === '' || values.identityMethod === IDENTITY_NOT_YET;
  if (!method && !notYet) errors.identityMethod = 'Choose how the identity was verified, or "not yet".';
  else if (method === 'other' && values.identityNote === '')
    errors.identityNote = 'Say how the identity was verified.';
  else if ([...values.identityNote].length > LIMITS.identityNote)
    errors.identityNote = `Keep the note to ${LIMITS.identityNote} characters.`;

  if (Object.keys(errors).length > 0 || !regime) return { ok: false, errors, values };
  return {
    ok: true,
    form: {
      regime,
      receivedDate: values.receivedDate,
      reference: values.reference,
      justification: values.justification,
      ...(method ? { identity: { method, note: values.identityNote } } : {}),
    },
  };
}

/** Whether someone holding `heldRoleIds` (of the allowed ones) may request or approve exports. */
export function mayActAsAdmin(heldRoleIds: readonly string[]): boolean {
  return heldRoleIds.length > 0;
}

/**
 * Container names: 3–63 lower-case letters, digits and single hyphens; a new one for each attempt. `prefix`
 * (EXPORT_CONTAINER_PREFIX) keeps two deployments sharing one export account apart.
 */
export function containerNameFor(requestId: string, attempt = 1, prefix = 'dsr'): string {
  const slug = requestId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const own = slug.startsWith('dsr-') ? slug : `dsr-${slug}`;
  const base = prefix === 'dsr' ? own : `${prefix}-${own}`;
  return (attempt > 1 ? `${base}-r${attempt}` : base).slice(0, 63);
}

/** How the bot names and paces its work on one export request. Times in milliseconds. */
export interface ExportPolicy {
  /**
   * How long a decision claimed while Graph was slow to confirm the decider's role holds other deciders back,
   * waiting for its verification; an older claim is void.
   */
  readonly claimValidityMs: number;
  /** Starts every export container's name (EXPORT_CONTAINER_PREFIX, default `dsr`). */
  readonly containerPrefix: string;
  /** The longest wait between two polls of a running export (EXPORT_POLL_MAX_MINUTES, default one hour). */
  readonly pollCapMs: number;
  /** Wait between two looks for evidence after a submission whose outcome is unknown. */
  readonly evidenceRecheckMs: number;
  /** Looks for evidence before the channel is asked to confirm a resubmission. */
  readonly evidenceChecks: number;
  /** The card shows progress at most this often (status changes show at once). */
  readonly cardEveryMs: number;
  /** How long an export usually takes, as configured; undefined: Graph's "a few days, up to 30". */
  readonly expectedMs?: number;
  /** Consecutive failed reads of an operation before the channel is told. */
  readonly pollErrorsToReport: number;
  /**
   * How long a submission may still be waiting for Graph's answer (the Graph call's deadline and a margin): a
   * second job for the same attempt within it waits, rather than calling the outcome unknown.
   */
  readonly submitInFlightMs: number;
  /**
   * While the next read of a running export is further off than this, the bot looks into its container this
   * often (a listing in its own storage account, no Graph call): Graph writes the export's files when it
   * finishes, so their arrival brings the confirming read forward.
   */
  readonly watchEveryMs: number;
}

export const DEFAULT_EXPORT_POLICY: ExportPolicy = {
  claimValidityMs: 10 * 60_000,
  containerPrefix: 'dsr',
  pollCapMs: 3600_000,
  evidenceRecheckMs: 10 * 60_000,
  evidenceChecks: 3,
  cardEveryMs: 5 * 60_000,
  pollErrorsToReport: 5,
  submitInFlightMs: 45_000,
  watchEveryMs: 5 * 60_000,
};

const FIRST_HOUR_MS = 3600_000;
/** In the first hour an export is looked at every five minutes at most (or as Retry-After says). */
const FIRST_HOUR_INTERVAL_MS = 5 * 60_000;

/**
 * When to look at an export operation next. Never before Graph's Retry-After; in the first hour every five
 * minutes; after it the interval grows with the operation's age (a quarter of it), up to the cap, because
 * exports take days: a 3-day export costs about 90 reads, and a finished one is noticed within the cap.
 */
export function pollDelayMs(ageMs: number, retryAfterMs: number, capMs: number): number {
  const wanted = ageMs < FIRST_HOUR_MS ? FIRST_HOUR_INTERVAL_MS : ageMs / 4;
  return Math.ceil(Math.max(retryAfterMs, Math.min(capMs, wanted)));
}

/** After `errors` consecutive failed reads: back off exponentially from a minute, up to the cap. */
export function pollErrorDelayMs(errors: number, retryAfterMs: number, capMs: number): number {
  const backoff = 60_000 * 2 ** Math.min(Math.max(errors - 1, 0), 10);
  return Math.ceil(Math.max(retryAfterMs, Math.min(capMs, backoff)));
}

/**
 * Graph's progress as a percentage, or undefined. The documentation gives no scale; the export service's code
 * reports a 0–1 fraction, and values above 1 are read as 0–100. It may arrive as a string.
 */
export function progressPercent(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0) return undefined;
  // The export service reports a 0–1 fraction (its completion success rate; docs/decisions/0008), so 1 is
  // 100 % even while the status still says running. Values above 1 are read as the documented 0–100 scale.
  const percent = n <= 1 ? n * 100 : n;
  return Math.min(100, Math.round(percent));
}
