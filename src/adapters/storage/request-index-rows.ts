import type { TableEntityResult } from '@azure/data-tables';
import type { ExportRequest } from '../../domain/export-request';
import { encodeKey } from './table-store';

/**
 * The rows of the request index (see {@link RequestIndex}): their keys, their columns, and what a row read
 * back says.
 */

/** The partition of the requests whose clock runs. */
export const OPEN = 'open';
/** The columns the open rows hold for the search by subject (lower-cased). */
export const SUBJECT_COLUMNS = ['subjectName', 'subjectUpn', 'subjectMail'] as const;

/** An index row as read back. */
export interface IndexRow {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly etag: string;
  /** When the row was last written, by the service's clock (ms). */
  readonly writtenAt: number;
  readonly id: string;
  /** Open rows: the due date the row files the request under. */
  readonly due: string;
  readonly columns: Readonly<Record<string, unknown>>;
}

/** `${dueDate}|${id}`: by due date, then id (each part encoded, so the bar separates them). */
export const openRowKey = (due: string, id: string): string => `${encodeKey(due)}|${encodeKey(id)}`;

/** Entra object ids are GUIDs, spelled in either case: one partition per person. */
export const requesterPartition = (requesterId: string): string =>
  `by-${encodeKey(requesterId.toLowerCase())}`;

export function openEntity(r: ExportRequest) {
  return {
    partitionKey: OPEN,
    rowKey: openRowKey(r.dueDate, r.id),
    subjectName: r.subject.displayName.toLowerCase(),
    subjectUpn: r.subject.userPrincipalName.toLowerCase(),
    subjectMail: (r.subject.mail ?? '').toLowerCase(),
    /** Entra object id, lower-cased: the open requests of one person without reading every request. */
    subjectId: r.subject.id.toLowerCase(),
    requesterId: r.requester.aadObjectId,
  };
}

export const requesterEntity = (r: ExportRequest) => ({
  partitionKey: requesterPartition(r.requester.aadObjectId),
  rowKey: encodeKey(r.id),
});

/** A row of `partitionKey` as listed (with `select`, the service leaves the partition key out). */
export function indexRowOf(partitionKey: string, e: TableEntityResult<Record<string, unknown>>): IndexRow {
  const rowKey = e.rowKey ?? '';
  const bar = rowKey.indexOf('|');
  const open = partitionKey === OPEN;
  return {
    partitionKey,
    rowKey,
    etag: e.etag,
    writtenAt: e.timestamp ? Date.parse(e.timestamp) : 0,
    id: decodeURIComponent(open ? rowKey.slice(bar + 1) : rowKey),
    due: open ? decodeURIComponent(rowKey.slice(0, bar)) : '',
    columns: e,
  };
}

/** Newest first: DSR-2026-0042 before DSR-2026-0041 and DSR-2025-0999 (numbers compared as numbers). */
export function newestIdFirst(a: string, b: string): number {
  const [ya, na] = (/^DSR-(\d+)-(\d+)$/.exec(a) ?? []).slice(1).map(Number);
  const [yb, nb] = (/^DSR-(\d+)-(\d+)$/.exec(b) ?? []).slice(1).map(Number);
  if (ya === undefined || na === undefined || yb === undefined || nb === undefined) return b.localeCompare(a);
  return yb - ya || nb - na;
}
