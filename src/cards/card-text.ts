import { cleanText, escapeMarkdown } from '../domain/text';

/**
 * How the request cards show text. Text from people, the directory and Graph is cleaned and bounded; it goes
 * into TextRuns (which render no Markdown) where it can, and is escaped where a TextBlock or a FactSet shows
 * it. Pure.
 */

/** YYYY-MM-DD HH:MM UTC of an ISO instant ('' when absent). */
export const utc = (iso: string | undefined) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '');

/** One line of text from a person, the directory or Graph, for a TextRun (which renders no Markdown). */
export const line = (text: string | null | undefined, max: number) => cleanText(text ?? '', max);

/** Several lines (justification, reason, failure), for a TextRun. */
export const lines = (text: string | null | undefined, max: number) =>
  cleanText(text ?? '', max, { multiline: true });

/** A value from outside inside a TextBlock or a FactSet, which render Markdown: cleaned and escaped. */
export const md = (text: string | null | undefined, max = 120) => escapeMarkdown(line(text, max));

/** Who did something, for a TextBlock or a FactSet. */
export const nameOf = (actor: { readonly name: string } | undefined) => (actor ? md(actor.name) : 'an admin');

/** Who did something, for a TextRun. */
export const plainName = (actor: { readonly name: string } | undefined) =>
  actor ? line(actor.name, 120) : 'an admin';

/** `1 day`, `3 days`. */
export const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The sentence case of a phrase: its first letter upper case. */
export const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const UNITS = ['KB', 'MB', 'GB', 'TB', 'PB'] as const;

/** A size as people read it: `512 bytes`, `3.4 MB`, `120 GB` (binary multiples, one decimal below 10). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return plural(Math.max(0, Math.round(bytes || 0)), 'byte');
  let value = bytes / 1024;
  let unit = 0;
  while (unit < UNITS.length - 1 && Number(value.toFixed(value < 10 ? 1 : 0)) >= 1024) {
    value /= 1024;
    unit += 1;
  }
  const shown = value < 10 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${shown} ${UNITS[unit]}`;
}
