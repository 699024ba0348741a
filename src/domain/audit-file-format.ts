import type { ChainVerification } from './audit-chain';
import type { AuditTrail, TrailEntry } from './ports';
import { csvCell } from './csv';

/**
 * A request's audit trail as a file: JSON Lines or CSV, every entry with every field, and the verification
 * verdict (as facts, and in the words the edge gives it). Pure: text in, text out.
 */

export type TrailFileFormat = 'jsonl' | 'csv';

/** What a trail file says about itself beside its entries. */
export interface TrailFileFacts {
  readonly requestId: string;
  /** When the file was made (ISO). */
  readonly exportedAt: string;
  /** The verdict in words, as the card says it (worded at the edge). */
  readonly verdict: string;
}

/** The columns of an entry, in file order (the CSV header, the JSON Lines keys). */
export const TRAIL_COLUMNS = [
  'seq',
  'at',
  'action',
  'outcome',
  'actorId',
  'actorName',
  'actorTenantId',
  'requestId',
  'subjectId',
  'detail',
] as const;

export type TrailColumn = (typeof TRAIL_COLUMNS)[number];

/** One entry as a flat record: absent values are null (the entries before the chain have no `seq`). */
export function trailRecord(entry: TrailEntry): Record<TrailColumn, string | number | null> {
  const e = entry.event;
  return {
    seq: entry.seq ?? null,
    at: e.at,
    action: e.action,
    outcome: e.outcome,
    actorId: e.actor.aadObjectId ?? null,
    actorName: e.actor.name ?? null,
    actorTenantId: e.actor.tenantId ?? null,
    requestId: e.requestId ?? null,
    subjectId: e.subjectId ?? null,
    detail: e.detail ?? null,
  };
}

function verificationRecord(verification: ChainVerification, facts: TrailFileFacts, entries: number) {
  return {
    record: 'verification',
    requestId: facts.requestId,
    exportedAt: facts.exportedAt,
    entries,
    valid: verification.valid,
    chained: verification.chained,
    unchained: verification.unchained,
    problems: verification.problems,
    verdict: facts.verdict,
  };
}

/**
 * JSON Lines: a first line with the verification (`"record":"verification"`: the facts and the verdict), then
 * one line per entry in trail order (`"record":"entry"` and the {@link TRAIL_COLUMNS}). Every line ends with
 * a line feed; line feeds inside values are escaped by JSON.
 */
export function trailJsonLines(trail: AuditTrail, facts: TrailFileFacts): string {
  const lines = [
    JSON.stringify(verificationRecord(trail.verification, facts, trail.entries.length)),
    ...trail.entries.map((e) => JSON.stringify({ record: 'entry', ...trailRecord(e) })),
  ];
  return lines.map((l) => `${l}\n`).join('');
}

export { csvCell };

const csvRow = (cells: readonly (string | number | null)[]) => `${cells.map(csvCell).join(',')}\r\n`;

/**
 * CSV (RFC 4180, CRLF line ends, a header row): one row per entry in trail order, then a last row holding the
 * verification: `action` is `verification`, `outcome` is `intact` or `broken`, `at` is when the file was made
 * and `detail` is the verdict in words.
 */
export function trailCsv(trail: AuditTrail, facts: TrailFileFacts): string {
  const rows = trail.entries.map((e) => {
    const r = trailRecord(e);
    return csvRow(TRAIL_COLUMNS.map((c) => r[c]));
  });
  const verdict: Record<TrailColumn, string | null> = {
    seq: null,
    at: facts.exportedAt,
    action: 'verification',
    outcome: trail.verification.valid ? 'intact' : 'broken',
    actorId: null,
    actorName: null,
    actorTenantId: null,
    requestId: facts.requestId,
    subjectId: null,
    detail: facts.verdict,
  };
  return [csvRow(TRAIL_COLUMNS), ...rows, csvRow(TRAIL_COLUMNS.map((c) => verdict[c]))].join('');
}

/** The file's text and content type in `format`. */
export function trailFile(
  format: TrailFileFormat,
  trail: AuditTrail,
  facts: TrailFileFacts,
): { readonly content: string; readonly contentType: string } {
  return format === 'csv'
    ? { content: trailCsv(trail, facts), contentType: 'text/csv; charset=utf-8' }
    : { content: trailJsonLines(trail, facts), contentType: 'application/x-ndjson; charset=utf-8' };
}

/**
 * Reads CSV text (RFC 4180, as {@link trailCsv} writes it) back into rows of cells, the formula guard undone
 * (one leading single quote removed): for checking an export, and for tools that read one.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell.startsWith("'") ? cell.slice(1) : cell);
    cell = '';
  };
  const endRow = () => {
    endCell();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\n') endRow();
    else if (c === '\r' && text[i + 1] === '\n') {
      endRow();
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) endRow();
  return rows;
}
