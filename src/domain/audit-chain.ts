import type { AuditEvent } from './audit';

/** A hash function over text, e.g. SHA-256 as lowercase hex (injected: the domain does no I/O or crypto). */
export type HashText = (text: string) => string;

/** The chain fields of an audit entry written since the chain exists. */
export interface ChainLink {
  /** 1, 2, 3 … within one request's trail (or within the events tied to no request). */
  readonly seq: number;
  /** The hash of the entry before (for entry 1: the seal of the unchained entries, see {@link sealOf}). */
  readonly prevHash: string;
  /** The hash of this entry's canonical content: {@link entryHash}. */
  readonly hash: string;
}

/** One stored row of a trail as read back: the event, its chain fields when it has them, and its row key. */
export interface StoredAuditRow {
  readonly rowKey: string;
  readonly event: AuditEvent;
  /** Absent on entries written before the chain existed. */
  readonly link?: ChainLink;
}

/** The head of a trail: the last entry's sequence number and hash, written with every append. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/**
 * What is wrong with a trail, as facts (the words belong at the edge):
 * - `altered`: the entry's content no longer matches its own hash;
 * - `removed`: entries `from`…`to` are missing (a gap in the sequence, or the end cut off below the head);
 * - `unlinked`: the entry does not follow from the one before it (its `prevHash` differs), so an entry before it
 *   was removed or replaced and the chain renumbered;
 * - `inserted`: a row with no valid place in the chain (a second entry for a sequence number, or one past the
 *   head), named by its row key;
 * - `unchainedChanged`: the entries written before the chain no longer match the seal entry 1 carries (one of
 *   them was altered, removed or inserted);
 * - `headMismatch`: the head names a different last entry than the one stored (the last entry was replaced);
 * - `headMissing`: chained entries exist but the head row does not.
 */
export type ChainProblem =
  | { readonly kind: 'altered'; readonly seq: number }
  | { readonly kind: 'removed'; readonly from: number; readonly to: number }
  | { readonly kind: 'unlinked'; readonly seq: number }
  | { readonly kind: 'inserted'; readonly seq: number | undefined; readonly rowKey: string }
  | { readonly kind: 'unchainedChanged' }
  | { readonly kind: 'headMismatch'; readonly seq: number }
  | { readonly kind: 'headMissing' };

/** The verdict on one trail. */
export interface ChainVerification {
  /** True when no problem was found. */
  readonly valid: boolean;
  /** Entries written since the chain exists (rows with chain fields). */
  readonly chained: number;
  /** Entries written before the chain existed: kept and shown, but only sealed as a whole by entry 1. */
  readonly unchained: number;
  /** Every problem found, in sequence order. */
  readonly problems: readonly ChainProblem[];
}

/** JSON with object keys sorted at every level and undefined fields left out: equal content, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash of one entry: its sequence number, the previous entry's hash and the event, canonically. */
export function entryHash(hash: HashText, seq: number, prevHash: string, event: AuditEvent): string {
  return hash(canonicalJson({ seq, prevHash, event }));
}

/** The seal of the entries written before the chain existed (order-independent), entry 1's `prevHash`. */
export function sealOf(hash: HashText, unchained: readonly AuditEvent[]): string {
  return hash(canonicalJson({ unchained: unchained.map((e) => canonicalJson(e)).sort() }));
}

/** The chain fields for the entry after `head` (or the first one, after the unchained entries' seal). */
export function nextLink(
  hash: HashText,
  head: ChainHead | undefined,
  seal: () => string,
  event: AuditEvent,
): ChainLink {
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? seal();
  return { seq, prevHash, hash: entryHash(hash, seq, prevHash, event) };
}

type Chained = StoredAuditRow & { readonly link: ChainLink };

/**
 * Verifies a trail from its stored rows (any order) and its head. Pure: the same rows give the same verdict.
 * Entry n is chosen among the rows that claim sequence number n, preferring one that follows from entry n-1,
 * is named by entry n+1 (or by the head), and matches its own hash; the other rows claiming n are `inserted`.
 */
export function verifyChain(
  hash: HashText,
  rows: readonly StoredAuditRow[],
  head: ChainHead | undefined,
): ChainVerification {
  const chained = rows.filter((r): r is Chained => r.link !== undefined);
  const unchained = rows.filter((r) => r.link === undefined).map((r) => r.event);
  const problems: ChainProblem[] = [];
  const bySeq = new Map<number, Chained[]>();
  for (const r of chained) bySeq.set(r.link.seq, [...(bySeq.get(r.link.seq) ?? []), r]);
  const highest = Math.max(0, ...chained.map((r) => r.link.seq));
  if (!head && chained.length > 0) problems.push({ kind: 'headMissing' });
  const top = head?.seq ?? highest;
  const selfValid = (r: Chained) => entryHash(hash, r.link.seq, r.link.prevHash, r.event) === r.link.hash;

  let prev: string | undefined = sealOf(hash, unchained);
  let gapFrom: number | undefined;
  let last: Chained | undefined;
  for (let n = 1; n <= top; n++) {
    const candidates = bySeq.get(n) ?? [];
    if (candidates.length === 0) {
      gapFrom ??= n;
      prev = undefined;
      last = undefined;
      continue;
    }
    if (gapFrom !== undefined) problems.push({ kind: 'removed', from: gapFrom, to: n - 1 });
    gapFrom = undefined;
    const named = new Set((bySeq.get(n + 1) ?? []).map((r) => r.link.prevHash));
    if (n === top && head) named.add(head.hash);
    const score = (r: Chained) =>
      (prev === undefined || r.link.prevHash === prev ? 4 : 0) +
      (named.has(r.link.hash) ? 2 : 0) +
      (selfValid(r) ? 1 : 0);
    const chosen = candidates.reduce((best, r) => (score(r) > score(best) ? r : best));
    if (prev !== undefined && chosen.link.prevHash !== prev)
      problems.push(n === 1 ? { kind: 'unchainedChanged' } : { kind: 'unlinked', seq: n });
    if (!selfValid(chosen)) problems.push({ kind: 'altered', seq: n });
    for (const r of candidates)
      if (r !== chosen) problems.push({ kind: 'inserted', seq: n, rowKey: r.rowKey });
    prev = chosen.link.hash;
    last = chosen;
  }
  if (gapFrom !== undefined) problems.push({ kind: 'removed', from: gapFrom, to: top });
  else if (head && last && last.link.hash !== head.hash) problems.push({ kind: 'headMismatch', seq: top });
  for (const r of chained)
    if (r.link.seq > top || r.link.seq < 1)
      problems.push({ kind: 'inserted', seq: r.link.seq, rowKey: r.rowKey });
  return { valid: problems.length === 0, chained: chained.length, unchained: unchained.length, problems };
}

/** A trail's entries in order (unchained first, then by sequence number) with their sequence numbers. */
export function orderTrail(
  rows: readonly StoredAuditRow[],
): { seq: number | undefined; event: AuditEvent }[] {
  const unchained = rows
    .filter((r) => r.link === undefined)
    .map((r) => ({ seq: undefined, event: r.event }))
    .sort((a, b) => a.event.at.localeCompare(b.event.at));
  const chained = rows
    .flatMap((r) => (r.link === undefined ? [] : [{ seq: r.link.seq, event: r.event, rowKey: r.rowKey }]))
    .sort((a, b) => a.seq - b.seq || a.rowKey.localeCompare(b.rowKey))
    .map(({ seq, event }) => ({ seq, event }));
  return [...unchained, ...chained];
}
