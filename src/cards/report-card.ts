import template from './report-card.json';
import { REGIMES } from '../domain/export-request';
import { CLOSED_KINDS, DENIAL_REASONS, type Metrics, type RegimeMetrics } from '../domain/metrics';
import type { StoredFile } from '../domain/records-ports';
import { rangeLabel, type RangeRefusal } from '../domain/report-range';
import type { DenialReason } from '../domain/request-outcome';
import { formatBytes, md, plural, utc } from './card-text';
import { renderCard, type AdaptiveCard } from './render';

export interface ReportCardModel {
  readonly metrics: Metrics;
  /** The CSV written to the audit container. */
  readonly file: StoredFile;
  /** When the report was made (ISO, UTC). */
  readonly generatedAt: string;
  /** A one-time link to the CSV, when one was issued (the URL shows only as the button's target). */
  readonly download?: { readonly url: string; readonly expiresAt: string };
}

/** Why a typed range was refused, in words, with what to type instead (for the bot's answer to `report`). */
export const RANGE_REFUSAL_WORDS: Record<RangeRefusal, string> = {
  unreadable:
    'I could not read that range. Try `report 2026`, `report 2026-01-01 to 2026-06-30`, `report this year` or `report last year`.',
  notADate: 'One of those days does not exist: write days as YYYY-MM-DD, e.g. 2026-06-30.',
  yearOutOfBounds: 'Reports cover the years 2000 to 2100.',
  reversed: 'The range starts after it ends: put the earlier day first.',
  tooLong: 'A report covers at most 5 years: ask for a shorter range.',
};

const DENIAL_WORDS: Record<DenialReason, string> = {
  identityNotVerified: 'identity not verified',
  manifestlyUnfounded: 'manifestly unfounded',
  excessive: 'excessive',
  rejectedAtApproval: 'rejected at approval',
};

const CLOSED_WORDS: Record<(typeof CLOSED_KINDS)[number], string> = {
  withdrawn: 'withdrawn',
  cancelled: 'cancelled by the requester',
  expired: 'expired without a decision',
};

/** What the figures mean, one short line each. */
const MEANINGS = [
  '**Received**: requests whose subject asked within the range, by the date the request was received.',
  '**Complied with**: the data reached the subject, in whole or in part.',
  '**Denied**: rejected at approval, or closed as identity not verified, manifestly unfounded or excessive.',
  '**Closed without export**: withdrawn, cancelled by the requester, or expired without a decision.',
  '**Still open**: not answered yet; past the due date counts those overdue today.',
  '**Days to respond**: from the day received to delivery or denial, over the answered requests (complied with + denied).',
  '**Answered late**: complied with or denied after the due date, extensions included.',
  '**Extended**: the due date was extended at least once.',
];

const HEADERS = [...REGIMES.map((r) => (r === 'other' ? 'Other' : r)), 'Total'];

type Figure = (m: RegimeMetrics) => number | undefined;

interface RowSpec {
  readonly label: string;
  readonly figure: Figure;
  /** A breakdown of the row above: smaller, subtle. */
  readonly sub?: boolean;
  /** Shown in the attention colour when above 0. */
  readonly alarm?: boolean;
  readonly separator?: boolean;
}

const shown = (n: number | undefined) => (n === undefined ? '–' : String(n));

/** The table's rows, breakdowns only where the total has something to break down. */
function rowSpecs(total: RegimeMetrics): RowSpec[] {
  return [
    { label: 'Received', figure: (m) => m.received },
    { label: 'Complied with, in whole or in part', figure: (m) => m.complied, separator: true },
    { label: 'Denied', figure: (m) => m.denied },
    ...DENIAL_REASONS.filter((r) => total.deniedByReason[r] > 0).map((r) => ({
      label: `· ${DENIAL_WORDS[r]}`,
      figure: (m: RegimeMetrics) => m.deniedByReason[r],
      sub: true,
    })),
    { label: 'Closed without export', figure: (m) => m.closedWithoutExport },
    ...CLOSED_KINDS.filter((k) => total.closedByKind[k] > 0).map((k) => ({
      label: `· ${CLOSED_WORDS[k]}`,
      figure: (m: RegimeMetrics) => m.closedByKind[k],
      sub: true,
    })),
    { label: 'Still open', figure: (m) => m.open },
    ...(total.open > 0
      ? [
          {
            label: '· past the due date',
            figure: (m: RegimeMetrics) => m.openOverdue,
            sub: true,
            alarm: true,
          },
        ]
      : []),
    { label: 'Answered (complied with + denied)', figure: (m) => m.answered, separator: true },
    { label: 'Median days to respond', figure: (m) => m.medianDaysToRespond },
    { label: 'Mean days to respond', figure: (m) => m.meanDaysToRespond },
    { label: 'Answered late', figure: (m) => m.answeredLate, alarm: true },
    { label: 'Extended', figure: (m) => m.extended, separator: true },
  ];
}

function rowsOf(metrics: Metrics) {
  const columns = [...REGIMES.map((r) => metrics.byRegime[r]), metrics.total];
  return rowSpecs(metrics.total).map((spec) => ({
    label: spec.label,
    sub: spec.sub === true,
    size: spec.sub === true ? 'Small' : 'Default',
    separator: spec.separator === true,
    cells: columns.map((m, i) => {
      const value = spec.figure(m);
      return {
        text: shown(value),
        color: spec.alarm === true && (value ?? 0) > 0 ? 'Attention' : 'Default',
        weight: i === columns.length - 1 ? 'Bolder' : 'Default',
      };
    }),
  }));
}

function summaryOf(metrics: Metrics): string {
  const t = metrics.total;
  if (t.received === 0) return 'No requests were received in this range.';
  const late = t.answeredLate > 0 ? `, ${t.answeredLate} of them late` : '';
  return `${plural(t.received, 'request')} received: ${t.answered} answered${late}, ${t.open} still open.`;
}

/**
 * The metrics report (`report 2026`): requests received in the range, complied with, denied (per reason),
 * closed without export, still open, days to respond, lateness and extensions, per regime (GDPR, CCPA, other)
 * and in total, with a late count in the attention colour; a line on what each figure means; where the CSV is
 * in the audit container and, when given, a button to download it once. Pure.
 */
export function reportCard(model: ReportCardModel): AdaptiveCard {
  const { metrics, file, download } = model;
  return renderCard(template, {
    title: `Requests received ${rangeLabel(metrics.from, metrics.to)}`,
    summary: summaryOf(metrics),
    headers: HEADERS,
    rows: rowsOf(metrics),
    meanings: MEANINGS,
    accountName: md(file.accountName, 64),
    containerName: md(file.containerName, 64),
    fileName: md(file.name, 200),
    fileSize: formatBytes(file.bytes),
    hasDownload: download !== undefined,
    downloadUrl: download?.url ?? '',
    downloadText: `The download link works once, until ${utc(download?.expiresAt)}.`,
    generatedText: `Made ${utc(model.generatedAt)}; still open and past due are as of ${metrics.today}.`,
  });
}
