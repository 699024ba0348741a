import { canonicalJson, entryHash, sealOf, type HashText } from './audit-chain';
import type { TrailEntry, TrailHead } from './ports';

/*
 * The daily seal of the audit trails. Each trail is a hash chain with a head (audit-chain.ts), but whoever holds
 * the storage key could rewrite a whole chain and its head consistently. Once a day the head of every trail is
 * written into a seal file in the audit container, which is write-once (and WORM in production); each seal
 * names the hash of the one before, so the seals form a chain of their own. A trail rewritten after a seal no
 * longer holds, at the sealed sequence number, the entry whose hash the seal recorded.
 */

/** One day's seal: the head of every trail as it was when the seal was taken. */
export interface AuditSeal {
  readonly version: 1;
  /** The UTC day sealed (YYYY-MM-DD): the seal is taken after it ends, so it covers every entry of that day. */
  readonly day: string;
  /** When the heads were read (ISO 8601): entries written later belong to the next seal. */
  readonly sealedAt: string;
  /** Every trail's head, sorted by trail. */
  readonly heads: readonly TrailHead[];
  /** The hash of the seal file before this one (the text as stored), or null for the first seal. */
  readonly previous: string | null;
  /** How many trails are sealed (the length of `heads`). */
  readonly count: number;
}

/** Where the seals are, in the audit container. */
export const SEALS_PREFIX = 'seals/';

/** The seal file of a day: `seals/2026-11-30.json`. */
export const sealFileName = (day: string): string => `${SEALS_PREFIX}${day}.json`;

/** The day a seal file is named after, or undefined when the name is not a seal file's. */
export function dayOfSealFile(name: string): string | undefined {
  return /^seals\/(\d{4}-\d{2}-\d{2})\.json$/.exec(name)?.[1];
}

const byTrail = (a: TrailHead, b: TrailHead) => (a.trail < b.trail ? -1 : a.trail > b.trail ? 1 : 0);

/** The seal of `day` over `heads` (sorted here), after the seal whose file hashes to `previous`. */
export function makeSeal(
  day: string,
  sealedAt: string,
  heads: readonly TrailHead[],
  previous: string | null,
): AuditSeal {
  const sorted = heads.map(({ trail, seq, hash }) => ({ trail, seq, hash })).sort(byTrail);
  return { version: 1, day, sealedAt, heads: sorted, previous, count: sorted.length };
}

/** The seal's file content: its canonical JSON, so that the file's SHA-256 is the seal's hash. */
export const sealText = (seal: AuditSeal): string => canonicalJson(seal);

/** The seal's hash: of its canonical JSON, which is also its file's exact text. */
export const sealHash = (hash: HashText, seal: AuditSeal): string => hash(sealText(seal));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function isHead(v: unknown): v is TrailHead {
  return (
    isRecord(v) &&
    typeof v.trail === 'string' &&
    typeof v.hash === 'string' &&
    typeof v.seq === 'number' &&
    Number.isInteger(v.seq) &&
    v.seq >= 1
  );
}

/** A seal file's text read back as a seal; undefined when it is not one (malformed, or its count is wrong). */
export function parseSeal(text: string): AuditSeal | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (
    !isRecord(v) ||
    v.version !== 1 ||
    typeof v.day !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(v.day) ||
    typeof v.sealedAt !== 'string' ||
    !(v.previous === null || typeof v.previous === 'string') ||
    !Array.isArray(v.heads) ||
    !v.heads.every(isHead) ||
    v.count !== v.heads.length
  )
    return undefined;
  return makeSeal(v.day, v.sealedAt, v.heads, v.previous);
}

/**
 * The hash of every chained entry of a trail as its content says it should be: entry n's hash from its
 * sequence number, the hash before it and its event, starting from the seal of the unchained entries; what
 * the log stores when the trail is whole (`trail().verification.valid`). Sequence number → hash.
 */
export function chainHashes(hash: HashText, entries: readonly TrailEntry[]): Map<number, string> {
  const hashes = new Map<number, string>();
  let prev = sealOf(
    hash,
    entries.filter((e) => e.seq === undefined).map((e) => e.event),
  );
  for (const e of entries) {
    if (e.seq === undefined || hashes.has(e.seq)) continue;
    prev = entryHash(hash, e.seq, prev, e.event);
    hashes.set(e.seq, prev);
  }
  return hashes;
}

/**
 * What no longer holds of a seal, as facts (the words belong at the edge):
 * - `vanished`: the trail is gone (no head, no entry at the sealed number) and no tombstone explains it;
 * - `shortened`: the trail's head is now below the sealed sequence number (entries were cut off);
 * - `missing`: the trail has no entry at the sealed sequence number;
 * - `rewritten`: the entry at the sealed sequence number is not the one sealed (its chain hash differs): the
 *   trail was rewritten after the seal, even if its chain and head are consistent again.
 */
export type SealProblem =
  | { readonly kind: 'vanished'; readonly trail: string }
  | { readonly kind: 'shortened'; readonly trail: string; readonly sealedSeq: number; readonly seq: number }
  | { readonly kind: 'missing'; readonly trail: string; readonly seq: number }
  | { readonly kind: 'rewritten'; readonly trail: string; readonly seq: number };

/** The current trails against one seal. */
export interface SealCheck {
  /** True when every sealed trail still holds what was sealed (retired trails aside). */
  readonly valid: boolean;
  readonly day: string;
  /** Sealed trails compared with what is stored now. */
  readonly checked: number;
  /** Sealed trails deleted since, with a tombstone (retention): gone on purpose, not a problem. */
  readonly retired: readonly string[];
  readonly problems: readonly SealProblem[];
}

/**
 * Compares the trails as they are now with a seal: for every sealed head, the trail must still have an entry
 * at that sequence number whose hash is the sealed hash. `entryHashAt` gives the hash of a trail's entry at a
 * sequence number now (see {@link chainHashes}), undefined when there is none; `deleted` names the trails
 * deleted by retention (tombstoned), reported as retired whatever is left of them (a deletion may be half-way).
 * Trails started after the seal are not its concern.
 */
export function checkAgainstSeal(
  seal: AuditSeal,
  currentHeads: readonly TrailHead[],
  entryHashAt: (trail: string, seq: number) => string | undefined,
  deleted: ReadonlySet<string> = new Set(),
): SealCheck {
  const now = new Map(currentHeads.map((h) => [h.trail, h]));
  const retired: string[] = [];
  const problems: SealProblem[] = [];
  for (const sealed of seal.heads) {
    const { trail, seq } = sealed;
    const head = now.get(trail);
    const found = entryHashAt(trail, seq);
    if (deleted.has(trail)) retired.push(trail);
    else if (!head && found === undefined) problems.push({ kind: 'vanished', trail });
    else if (head && head.seq < seq)
      problems.push({ kind: 'shortened', trail, sealedSeq: seq, seq: head.seq });
    else if (found === undefined) problems.push({ kind: 'missing', trail, seq });
    else if (found !== sealed.hash) problems.push({ kind: 'rewritten', trail, seq });
  }
  return {
    valid: problems.length === 0,
    day: seal.day,
    checked: seal.heads.length - retired.length,
    retired,
    problems,
  };
}

/** A seal file as listed and read from the audit container (`text` undefined when it could not be read). */
export interface StoredSeal {
  readonly name: string;
  readonly text: string | undefined;
}

/**
 * One seal in the chain of seals:
 * - `start`: the first seal, naming no seal before it;
 * - `linked`: it names the hash of the seal file listed before it;
 * - `broken`: it names another hash (the file before was altered or replaced, or a seal between them was
 *   removed), names a seal where none is listed, names none where one is listed, or cannot be read.
 */
export interface SealLink {
  readonly day: string;
  readonly name: string;
  /** The hash of the file's text; undefined when it could not be read. */
  readonly hash: string | undefined;
  /** The seal when its text is one (and names the day in its file name). */
  readonly seal: AuditSeal | undefined;
  readonly link: 'start' | 'linked' | 'broken';
  /** Days between this seal's day and the one before it, minus one: days nobody sealed (0 when none). */
  readonly daysUnsealedBefore: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** The chain of seals, from the seal files in name (= day) order. Pure: the same files give the same facts. */
export function checkSealChain(hash: HashText, files: readonly StoredSeal[]): SealLink[] {
  const seals = files.flatMap((f) => {
    const day = dayOfSealFile(f.name);
    return day === undefined ? [] : [{ ...f, day }];
  });
  return seals.map((f, i) => {
    const before = seals[i - 1];
    const parsed = f.text === undefined ? undefined : parseSeal(f.text);
    const seal = parsed?.day === f.day ? parsed : undefined;
    const beforeHash = before?.text === undefined ? undefined : hash(before.text);
    const link = !seal
      ? 'broken'
      : !before
        ? seal.previous === null
          ? 'start'
          : 'broken'
        : seal.previous !== null && seal.previous === beforeHash
          ? 'linked'
          : 'broken';
    const gap = before ? Math.round((Date.parse(f.day) - Date.parse(before.day)) / DAY_MS) - 1 : 0;
    return {
      day: f.day,
      name: f.name,
      hash: f.text === undefined ? undefined : hash(f.text),
      seal,
      link,
      daysUnsealedBefore: Math.max(0, gap),
    };
  });
}
