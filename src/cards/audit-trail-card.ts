import template from './audit-trail-card.json';
import type { ChainProblem, ChainVerification } from '../domain/audit-chain';
import type { TrailEntry } from '../domain/ports';
import { line, lines, md, plural } from './card-text';
import { renderCard, type AdaptiveCard } from './render';

/** Most problems the card lists one by one; the rest are counted (the exported file names them all). */
export const MAX_PROBLEMS_SHOWN = 10;
/** How much of an entry's detail the card shows (the exported file holds all of it). */
const DETAIL_SHOWN = 300;

export interface AuditTrailCardModel {
  /** The request id (already checked: DSR-2026-0042). */
  readonly requestId: string;
  /** The entries of this page, in trail order. */
  readonly entries: readonly TrailEntry[];
  readonly verification: ChainVerification;
  /** 0-based. */
  readonly page: number;
  readonly pageSize: number;
  /** Entries in the whole trail. */
  readonly total: number;
  /** A line under the entries (e.g. that this view could not be recorded). */
  readonly note?: string;
}

/** One problem of a trail's chain, said plainly (the domain gives the facts, the words are here). */
export function problemWords(p: ChainProblem): string {
  switch (p.kind) {
    case 'altered':
      return `Warning: entry ${p.seq} was altered after it was written.`;
    case 'removed':
      return p.from === p.to
        ? `Warning: entry ${p.from} was removed.`
        : `Warning: entries ${p.from}–${p.to} were removed.`;
    case 'unlinked':
      return `Warning: entry ${p.seq} does not follow from the entry before it: an earlier entry was removed or replaced and the rest renumbered.`;
    case 'inserted':
      return `Warning: an entry was inserted (row ${line(p.rowKey, 80)}${p.seq === undefined ? '' : `, numbered ${p.seq}`}).`;
    case 'unchainedChanged':
      return 'Warning: the entries written before the chain existed were changed (one was altered, removed or added).';
    case 'headMismatch':
      return `Warning: the last entry (${p.seq}) was replaced.`;
    case 'headMissing':
      return "Warning: the record of the trail's last entry is missing, so entries at its end may have been removed; no entry can be added until it is restored.";
  }
}

const entriesWord = (n: number) => (n === 1 ? '1 entry' : `${n} entries`);

/** The verdict's headline: intact, with how many entries, or not. */
export function verdictHeadline(v: ChainVerification): string {
  if (!v.valid)
    return `The trail does not verify: it was changed outside the bot (${plural(v.problems.length, 'problem')}).`;
  if (v.chained === 0)
    return v.unchained === 0
      ? 'The trail is empty.'
      : `The trail holds ${entriesWord(v.unchained)} from before the chain existed: nothing links them yet.`;
  return v.chained === 1
    ? 'The trail is intact: 1 entry.'
    : `The trail is intact: ${v.chained} entries, each linked to the one before.`;
}

/** The whole verdict in words, headline then every problem: for files and log-free records. */
export function describeVerdict(v: ChainVerification): string {
  return [verdictHeadline(v), ...v.problems.map(problemWords)].join(' ');
}

/** The sequence numbers the verdict names as altered or out of line, to flag their entries. */
function flaggedSeqs(v: ChainVerification): Map<number, string> {
  const flags = new Map<number, string>();
  for (const p of v.problems) {
    if (p.kind === 'altered') flags.set(p.seq, 'Altered after it was written');
    if (p.kind === 'unlinked') flags.set(p.seq, 'Does not follow from the entry before');
    if (p.kind === 'headMismatch') flags.set(p.seq, 'Replaced (not the last entry recorded)');
  }
  return flags;
}

/**
 * A page of a request's audit trail, oldest first: the chain's verdict said plainly (with every problem, or
 * the first ten), then each entry's number, time (UTC), event, who and detail, entries the verdict names
 * flagged; Previous/Next (`audit.page`, request id and page only) where such a page exists, and the exports
 * (`audit.export`). Pure; text from people and storage goes into TextRuns, cleaned and bounded.
 */
export function auditTrailCard(model: AuditTrailCardModel): AdaptiveCard {
  const v = model.verification;
  const pageSize = Math.max(1, Math.floor(model.pageSize));
  const page = Math.max(0, Math.floor(model.page));
  const lastPage = Math.max(0, Math.ceil(model.total / pageSize) - 1);
  const first = page * pageSize + 1;
  const flags = flaggedSeqs(v);
  const shownProblems = v.problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => ({ text: problemWords(p) }));
  const hidden = v.problems.length - shownProblems.length;
  if (hidden > 0)
    shownProblems.push({ text: `…and ${plural(hidden, 'more problem')}: export the trail to see them all.` });
  const entries = model.entries.map((e) => {
    const who = line(e.event.actor.name, 120) || line(e.event.actor.aadObjectId, 64);
    const detail = lines(e.event.detail, DETAIL_SHOWN);
    const flag = e.seq === undefined ? undefined : flags.get(e.seq);
    return {
      number: e.seq === undefined ? '(before the chain)' : `#${e.seq}`,
      at: `${line(e.event.at, 30).slice(0, 19).replace('T', ' ')} UTC`,
      action: line(e.event.action, 60),
      refused: e.event.outcome === 'refused',
      who: who ? `by ${who}` : 'by nobody identified (the bot, Graph, or a link holder)',
      hasDetail: detail !== '',
      detail,
      flagged: flag !== undefined,
      flag: flag ?? '',
    };
  });
  return renderCard(template, {
    title: `Audit trail of ${md(model.requestId, 64)}`,
    verdict: verdictHeadline(v),
    verdictColor: v.valid ? 'Good' : 'Attention',
    verdictStyle: v.valid ? 'good' : 'attention',
    problems: shownProblems,
    hasUnchained: v.unchained > 0 && v.chained > 0,
    unchainedText:
      v.unchained === 1
        ? 'The first entry was written before the chain existed: it has no number and is sealed by entry 1.'
        : `The first ${v.unchained} entries were written before the chain existed: they have no number and are sealed as a whole by entry 1.`,
    range:
      entries.length > 0
        ? `Entries ${first}–${first + entries.length - 1} of ${model.total}, oldest first (page ${page + 1} of ${lastPage + 1}). Times in UTC.`
        : 'No entries on this page.',
    entries,
    hasNote: model.note !== undefined,
    note: md(model.note, 500),
    requestId: model.requestId,
    hasPrevious: page > 0,
    previousPage: Math.min(page - 1, lastPage),
    hasNext: page < lastPage,
    nextPage: page + 1,
  });
}
