import template from './request-list-card.json';
import { daysLeft, urgency } from '../domain/deadline';
import { clockRunning, type ExportRequest, type RequestStatus } from '../domain/export-request';
import { cleanText, escapeMarkdown } from '../domain/text';
import { renderCard, type AdaptiveCard } from './render';

/** Which list a card shows: the requests whose legal clock runs, or the ones the viewer asked for. */
export type RequestList = 'open' | 'mine';

export interface RequestListCardModel {
  /** The bot's own words ("Open requests"); cleaned and escaped all the same. */
  readonly title: string;
  readonly list: RequestList;
  /** One page of the list, in the order the store gave it (open: by due date, overdue first). */
  readonly items: readonly ExportRequest[];
  /** How many requests the whole list holds. */
  readonly total: number;
  /** 0-based, as the store's pages are (`RequestStore.openRequests`, `requestedBy`). */
  readonly page: number;
  readonly pageSize: number;
  /** YYYY-MM-DD: days left count from it. */
  readonly today: string;
}

/**
 * Every status in words, lower-case, to follow a comma or start a line once capitalised. One table for the
 * cards that describe a request in a line (this list, the duplicate card); exhaustive by its type.
 */
export const STATUS_WORDS: Record<RequestStatus, string> = {
  pendingApproval: 'waiting for approval',
  approved: 'approved, being submitted',
  exporting: 'export running',
  outcomeUnknown: 'export submitted, outcome being checked',
  completed: 'exported, not delivered yet',
  failed: 'export failed',
  delivered: 'delivered to the subject',
  closed: 'closed without export',
  rejected: 'rejected',
  cancelled: 'cancelled by the requester',
  expired: 'expired without a decision',
};

const URGENCY_COLOR = { overdue: 'Attention', soon: 'Warning', calm: 'Default' } as const;

/** One line of text from a person or the directory, for a TextRun (which renders no Markdown). */
const line = (text: string | null | undefined, max: number) => cleanText(text ?? '', max);
/** A value shown in a TextBlock, which renders Markdown: cleaned and escaped. */
const md = (text: string | null | undefined, max: number) => escapeMarkdown(line(text, max));

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The due date and, while the clock runs, how far off it is: "2026-12-20 · 3 days overdue". */
function due(r: ExportRequest, today: string): { dueText: string; dueColor: string } {
  const date = md(r.dueDate, 16);
  if (!clockRunning(r.status)) return { dueText: `Due ${date}`, dueColor: 'Default' };
  const left = daysLeft(r.dueDate, today);
  if (Number.isNaN(left)) return { dueText: `Due ${date}`, dueColor: 'Default' };
  const when =
    left < 0
      ? `${count(-left, 'day', 'days')} overdue`
      : left === 0
        ? 'due today'
        : `${count(left, 'day', 'days')} left`;
  return {
    dueText: `${date} · ${when}`,
    dueColor: URGENCY_COLOR[urgency(r.dueDate, today)],
  };
}

function summary(list: RequestList, total: number): string {
  if (list === 'open')
    return total === 0
      ? 'No open requests.'
      : `${count(total, 'open request', 'open requests')}, overdue first`;
  return total === 0
    ? 'You have not asked for any requests yet.'
    : `You asked for ${count(total, 'request', 'requests')}`;
}

/**
 * One page of a list of requests: how many there are, one row per request (id, subject, state, due date
 * coloured by urgency) that opens the request's status card (`request.show`), the range shown, and
 * Previous/Next (`requests.page`) only where such a page exists. Pure. Subject names are cleaned and go into
 * TextRuns; everything a TextBlock shows is the bot's words or escaped.
 */
export function requestListCard(model: RequestListCardModel): AdaptiveCard {
  const pageSize = Math.max(1, Math.floor(model.pageSize));
  const page = Math.max(0, Math.floor(model.page));
  const items = model.items.slice(0, pageSize);
  const first = page * pageSize + 1;
  // The count and the page are two reads: a total below what the page shows is raised to it.
  const total = Math.max(Math.floor(model.total), items.length > 0 ? first - 1 + items.length : 0);
  const lastPage = Math.max(0, Math.ceil(total / pageSize) - 1);
  const rows = items.map((r) => {
    const id = line(r.id, 64);
    return {
      id,
      openTitle: `Open ${id}`,
      subject: line(r.subject.displayName, 120) || line(r.subject.userPrincipalName, 120),
      state: capitalised(STATUS_WORDS[r.status]),
      ...due(r, model.today),
    };
  });
  const range =
    items.length > 0
      ? `Showing ${first}–${first + items.length - 1} of ${total}`
      : `Nothing on this page: the list holds ${count(total, 'request', 'requests')}.`;
  return renderCard(template, {
    title: md(model.title, 120),
    summary: summary(model.list, total),
    hasRows: rows.length > 0,
    rows,
    showRange: total > 0 && (total > items.length || page > 0),
    range,
    list: model.list,
    hasPrevious: page > 0 && total > 0,
    previousPage: Math.min(page - 1, lastPage),
    hasNext: page < lastPage,
    nextPage: page + 1,
  });
}
