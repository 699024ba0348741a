import { randomBytes } from 'node:crypto';
import { metricsCsv, METRICS_CSV_CONTENT_TYPE } from '../domain/metrics-csv';
import { outcomesToCount, yearMetrics, type Metrics } from '../domain/metrics';
import { isoDate } from '../domain/policies';
import {
  FileExistsError,
  type AuditFiles,
  type RequestScan,
  type StoredFile,
  type Tombstones,
} from '../domain/records-ports';
import { parseReportRange, type RangeRefusal, type ReportRange } from '../domain/report-range';
import { outcomeOf, type RequestOutcome } from '../domain/request-outcome';
import { authorizeAdmin, type AuthorizeDeps } from './authorize-admin';
import type { Caller } from './who-am-i';

export interface YearReportDeps extends AuthorizeDeps {
  /** Every stored request, read page by page (never one by one). */
  readonly requests: RequestScan;
  readonly tombstones: Tombstones;
  /** The audit container the CSV is written to. */
  readonly files: AuditFiles;
  /** The random part of the file name (8 hex characters by default). */
  readonly randomSuffix?: () => string;
}

export type YearReportAnswer =
  /** Not the home tenant, no object id, or no allowed admin role now: nothing was read. */
  | { readonly kind: 'refused'; readonly reason: 'otherTenant' | 'unknownCaller' | 'noRole' }
  /** The range could not be read or is not allowed; nothing was read. */
  | { readonly kind: 'badRange'; readonly reason: RangeRefusal }
  | {
      readonly kind: 'report';
      readonly range: ReportRange;
      readonly metrics: Metrics;
      /** The CSV in the audit container. */
      readonly file: StoredFile;
      /** When the report was made (ISO, UTC). */
      readonly generatedAt: string;
    };

/** Files written with the same name at once (an improbable collision of the random part) before giving up. */
const NAME_ATTEMPTS = 3;

/** `2026-11-30T10:15:00.123Z` → `20261130T101500Z`. */
const stamp = (iso: string) => `${iso.slice(0, 19).replace(/[-:]/g, '')}Z`;

const randomHex = () => randomBytes(4).toString('hex');

/** The figures' input: every live record's outcome in the range, then the tombstones of deleted ones. */
async function outcomesIn(deps: YearReportDeps, range: ReportRange): Promise<RequestOutcome[]> {
  const live: RequestOutcome[] = [];
  const liveIds = new Set<string>();
  for await (const request of deps.requests.scan()) {
    liveIds.add(request.id);
    if (request.receivedDate >= range.from && request.receivedDate <= range.to) live.push(outcomeOf(request));
  }
  const tombstones = await deps.tombstones.receivedBetween(range.from, range.to);
  return outcomesToCount(live, liveIds, tombstones);
}

async function writeCsv(
  deps: YearReportDeps,
  range: ReportRange,
  csv: string,
  at: string,
): Promise<StoredFile> {
  const suffix = deps.randomSuffix ?? randomHex;
  for (let attempt = 1; ; attempt++) {
    const name = `reports/${range.from}_${range.to}/${stamp(at)}-${suffix()}.csv`;
    try {
      return await deps.files.write(name, csv, METRICS_CSV_CONTENT_TYPE);
    } catch (err) {
      if (!(err instanceof FileExistsError) || attempt >= NAME_ATTEMPTS) throw err;
    }
  }
}

/**
 * The metrics report for an admin (CCPA regulations §7102, plus GDPR lateness): the requests received in the
 * range typed (`2026`, `2026-01-01 to 2026-06-30`, `last year` … see {@link parseReportRange}), complied with,
 * denied (per reason), closed without export, still open, days to respond and lateness, per regime and in
 * total. Only members of the home tenant holding an allowed admin role now (checked live) get it; a refusal
 * is audited as `report.viewed` refused. Reads every stored request once, page by page, and the tombstones of
 * the range: a request counts once, by its record while it exists, by its tombstone once deleted. The figures
 * are also written as a CSV file to the audit container (`reports/<from>_<to>/<UTC time>-<random>.csv`, never
 * overwritten); the view and the export are audited. Storage failures propagate.
 */
export async function yearReport(
  deps: YearReportDeps,
  caller: Caller,
  rangeText: string,
): Promise<YearReportAnswer> {
  const auth = await authorizeAdmin(deps, caller, 'report.viewed', 'metrics report');
  if (!auth.ok) return { kind: 'refused', reason: auth.reason };
  const now = deps.clock.now();
  const parsed = parseReportRange(rangeText, isoDate(now));
  if (!parsed.ok) return { kind: 'badRange', reason: parsed.reason };
  const { range } = parsed;

  const metrics = yearMetrics(await outcomesIn(deps, range), range, isoDate(now));
  const generatedAt = now.toISOString();
  const file = await writeCsv(deps, range, metricsCsv(metrics, generatedAt), generatedAt);

  const actor = { ...auth.actor, tenantId: auth.tenantId };
  const record = (action: 'report.viewed' | 'report.exported', detail: string) =>
    deps.audit.append({ at: deps.clock.now().toISOString(), action, actor, outcome: 'ok', detail });
  await record(
    'report.viewed',
    `metrics report ${range.from} to ${range.to}: ${metrics.total.received} requests received`,
  );
  await record(
    'report.exported',
    `metrics report ${range.from} to ${range.to} written to ${file.containerName}/${file.name} (${file.bytes} bytes)`,
  );
  return { kind: 'report', range, metrics, file, generatedAt };
}
