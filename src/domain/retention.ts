import { assertNever, type ExportRequest } from './export-request';
import { isoDate } from './policies';
import { outcomeOf } from './request-outcome';

/** How long each class of data is kept (README, "Retention", gives the legal reason of each). */
export interface RetentionPolicy {
  /** Days an export is kept after the day it was delivered to the subject. */
  readonly exportDays: number;
  /** Days a failed, superseded or unused attempt's container is kept after the attempt ended. */
  readonly unusedExportDays: number;
  /** Hours an unfinished intake draft is kept. */
  readonly draftHours: number;
  /** Months a finished request's record and trail are kept after it was answered. */
  readonly recordMonths: number;
  /** Days before an export's deletion that its thread is told (never deleted sooner after the notice). */
  readonly noticeDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  exportDays: 30,
  unusedExportDays: 7,
  draftHours: 24,
  recordMonths: 24,
  noticeDays: 3,
};

/** What is due for one request now. Several can be due at once; they are done in this order. */
export type RetentionStep =
  /** Tell the thread that the delivered export will be deleted on `deleteOn` (YYYY-MM-DD). */
  | { readonly kind: 'notice'; readonly deleteOn: string }
  /** Delete these containers: the delivered export past its time, or attempts nobody will use. */
  | {
      readonly kind: 'deleteContainers';
      readonly containers: readonly string[];
      readonly why: 'delivered' | 'unused';
    }
  /** Delete the record and its trail, leaving a tombstone: only once no container is left. */
  | { readonly kind: 'tombstone' };

const DAY_MS = 24 * 3600 * 1000;

/** The day `months` calendar months after `day` (the last day of the month when it is shorter). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * Every container the request's attempts used, oldest first: the earlier attempts' names follow from the
 * current one (`…-r2`, `…-r3` after the first), never from today's configuration, so that a changed prefix
 * cannot point retention at another deployment's containers.
 */
export function containersOf(request: ExportRequest): string[] {
  const current = request.export;
  if (!current) return [];
  const suffix = `-r${current.attempt}`;
  const base =
    current.attempt > 1 && current.containerName.endsWith(suffix)
      ? current.containerName.slice(0, -suffix.length)
      : current.containerName;
  const earlier = Array.from({ length: current.attempt - 1 }, (_, i) =>
    (i === 0 ? base : `${base}-r${i + 1}`).slice(0, 63),
  );
  return [...earlier, current.containerName];
}

/** Containers not deleted yet. */
export function remainingContainers(request: ExportRequest): string[] {
  const gone = new Set((request.retention?.deleted ?? []).map((d) => d.container));
  return containersOf(request).filter((c) => !gone.has(c));
}

/** When the current attempt's export stopped being of use (ended unused), or undefined while it may be used. */
function unusedSince(request: ExportRequest): string | undefined {
  switch (request.status) {
    case 'failed':
      return request.export?.completedAt ?? request.export?.lastCheckedAt ?? request.createdAt;
    case 'closed':
      return request.closure?.confirmedAt ?? request.createdAt;
    case 'rejected':
    case 'cancelled':
    case 'expired':
      return request.decision?.at ?? request.createdAt;
    case 'pendingApproval':
    case 'approved':
    case 'exporting':
    case 'outcomeUnknown':
    case 'completed':
    case 'delivered':
      return undefined;
    default:
      return assertNever(request.status);
  }
}

/** The day the delivered export is deleted: `exportDays` after the day it reached the subject. */
export function exportDeletionDay(request: ExportRequest, policy: RetentionPolicy): string | undefined {
  if (request.status !== 'delivered' || !request.delivery) return undefined;
  return isoDate(new Date(Date.parse(`${request.delivery.date}T00:00:00Z`) + policy.exportDays * DAY_MS));
}

/** The day the record (and its trail) give way to a tombstone: `recordMonths` after the request was answered. */
export function recordDeletionDay(request: ExportRequest, policy: RetentionPolicy): string | undefined {
  const answered = outcomeOf(request).respondedDate;
  return answered === undefined ? undefined : addMonths(answered, policy.recordMonths);
}

/**
 * What retention should do for `request` at `now`. Pure. Nothing is due while the request is held. The delivered
 * export's thread is told `noticeDays` before its deletion; superseded attempts go `unusedExportDays` after the
 * current one started, and the current one that ended unused (failed, closed, ended without export) as long
 * after it ended; the record goes `recordMonths` after the answer, once no container is left.
 */
export function retentionSteps(request: ExportRequest, now: Date, policy: RetentionPolicy): RetentionStep[] {
  if (request.retention?.hold) return [];
  const today = isoDate(now);
  const steps: RetentionStep[] = [];
  const remaining = remainingContainers(request);
  const current = request.export?.containerName;
  const unusedAfter = (since: string) =>
    now.getTime() >= Date.parse(since) + policy.unusedExportDays * DAY_MS;
  const startedAt = request.export?.submittedAt ?? request.decision?.at ?? request.createdAt;
  const superseded = remaining.filter((c) => c !== current && unusedAfter(startedAt));
  const deleteOn = exportDeletionDay(request, policy);
  const since = unusedSince(request);
  const kept = current !== undefined && remaining.includes(current);
  // A delivered export goes only on the day its thread was told, and never sooner than `noticeDays` after the
  // notice: a late notice (a delivery recorded late, a hold released) moves the day on.
  const told = request.retention?.noticedFor;
  const deliveredDue = kept && deleteOn !== undefined && told !== undefined && today >= told;
  const currentDue =
    deliveredDue || (kept && deleteOn === undefined && since !== undefined && unusedAfter(since));
  if (kept && deleteOn !== undefined && told === undefined) {
    const dayAt = (day: string, days: number) =>
      isoDate(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
    if (today >= dayAt(deleteOn, -policy.noticeDays)) {
      const earliest = dayAt(today, policy.noticeDays);
      steps.push({ kind: 'notice', deleteOn: earliest > deleteOn ? earliest : deleteOn });
    }
  }
  const containers = [...superseded, ...(currentDue && current ? [current] : [])];
  if (containers.length > 0)
    steps.push({
      kind: 'deleteContainers',
      containers,
      why: deliveredDue ? 'delivered' : 'unused',
    });
  const recordDay = recordDeletionDay(request, policy);
  const left = remaining.filter((c) => !containers.includes(c));
  if (recordDay !== undefined && today >= recordDay && left.length === 0) steps.push({ kind: 'tombstone' });
  return steps;
}

/** The cut-off before which intake drafts are purged. */
export function draftCutoff(now: Date, policy: RetentionPolicy): string {
  return new Date(now.getTime() - policy.draftHours * 3600 * 1000).toISOString();
}
