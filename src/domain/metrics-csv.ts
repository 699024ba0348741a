import { REGIMES } from './export-request';
import { CLOSED_KINDS, DENIAL_REASONS, type Metrics, type RegimeMetrics } from './metrics';
import type { DenialReason } from './request-outcome';
import { csvCell } from './csv';

/**
 * The metrics report as a CSV file (RFC 4180): a header row first (no comment or title line, so a
 * spreadsheet opens it as a table), then one row per regime and one for the total. Every row repeats the
 * range and the time the report was made, so a row copied elsewhere still says what it counts. Lines end with
 * CRLF; cells that a spreadsheet would read as a formula are defused. Pure.
 */

export const METRICS_CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

const DENIAL_COLUMNS: Record<DenialReason, string> = {
  identityNotVerified: 'denied_identity_not_verified',
  manifestlyUnfounded: 'denied_manifestly_unfounded',
  excessive: 'denied_excessive',
  rejectedAtApproval: 'denied_rejected_at_approval',
};

type Cell = string | number | undefined;

/** The columns, each with its header and how a row's figures fill it. */
const COLUMNS: readonly (readonly [header: string, cell: (m: RegimeMetrics) => Cell])[] = [
  ['received', (m) => m.received],
  ['complied_in_whole_or_part', (m) => m.complied],
  ['denied', (m) => m.denied],
  ...DENIAL_REASONS.map((r) => [DENIAL_COLUMNS[r], (m: RegimeMetrics) => m.deniedByReason[r]] as const),
  ['closed_without_export', (m) => m.closedWithoutExport],
  ...CLOSED_KINDS.map((k) => [`closed_${k}`, (m: RegimeMetrics) => m.closedByKind[k]] as const),
  ['still_open', (m) => m.open],
  ['still_open_overdue', (m) => m.openOverdue],
  ['answered_complied_or_denied', (m) => m.answered],
  ['median_days_to_respond_answered', (m) => m.medianDaysToRespond],
  ['mean_days_to_respond_answered', (m) => m.meanDaysToRespond],
  ['answered_late', (m) => m.answeredLate],
  ['extended', (m) => m.extended],
];

const row = (cells: readonly Cell[]) => cells.map(csvCell).join(',');

/** The report's CSV text; `generatedAt` is an ISO instant (UTC). */
export function metricsCsv(metrics: Metrics, generatedAt: string): string {
  const header = ['from', 'to', 'generated_at', 'regime', ...COLUMNS.map(([h]) => h)];
  const line = (regime: string, m: RegimeMetrics) =>
    row([metrics.from, metrics.to, generatedAt, regime, ...COLUMNS.map(([, cell]) => cell(m))]);
  const lines = [
    row(header),
    ...REGIMES.map((regime) => line(regime, metrics.byRegime[regime])),
    line('total', metrics.total),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
