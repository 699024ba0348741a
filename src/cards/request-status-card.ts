import rawTemplate from './request-status-card.json';
import type { ExportRequest } from '../domain/export-request';
import { statusLine, type PortalLinks } from './approval-card';
import { lines, md } from './card-text';
import { renderCard, type AdaptiveCard } from './render';
import { lifecycleModel, REQUEST_ACTION_PARTS } from './request-actions';
import { exportFacts, REQUEST_FACT_PARTS, requestFacts } from './request-facts';
import { withParts } from './template-parts';
import type { TimelineEntry } from './timeline';

const template = withParts(rawTemplate, { ...REQUEST_FACT_PARTS, ...REQUEST_ACTION_PARTS });

/** How many timeline entries the card shows: the latest; the earlier ones are counted. */
export const MAX_TIMELINE_SHOWN = 20;

export interface RequestStatusCardModel {
  readonly request: ExportRequest;
  /** YYYY-MM-DD (UTC): days left are counted from it. */
  readonly today: string;
  /** What happened, oldest first (see `timelineOf`). */
  readonly timeline: readonly TimelineEntry[];
  /** A line under the card (e.g. what an action just did). */
  readonly note?: string;
  /** Where the Azure portal is, to link to the export container (never a SAS). */
  readonly portal?: PortalLinks;
}

/** "2026-11-21 10:00" of an ISO instant (the timeline's heading says UTC). */
const minute = (iso: string) => md(iso.slice(0, 16).replace('T', ' '), 20);

/**
 * The request card an admin gets from `status DSR-2026-0042`: where the request stands, its legal clock, the
 * export, the latest of its timeline and the lifecycle actions (shown while the clock runs; the server checks
 * rights when clicked). Pure; text from people is cleaned, and escaped where it renders as Markdown.
 */
export function requestStatusCard(model: RequestStatusCardModel): AdaptiveCard {
  const r = model.request;
  const s = statusLine(r);
  const shown = model.timeline.slice(-MAX_TIMELINE_SHOWN);
  const hidden = model.timeline.length - shown.length;
  return renderCard(template, {
    title: `Data export request ${md(r.id, 64)}`,
    statusText: s.text,
    statusColor: s.color,
    req: requestFacts(r, model.today),
    exp: exportFacts(r, model.portal),
    lifecycle: lifecycleModel(r, model.today),
    hasReason: r.decision?.reason !== undefined,
    reason: lines(r.decision?.reason, 500),
    hasTimeline: shown.length > 0,
    hasHidden: hidden > 0,
    hiddenText: `${hidden} earlier ${hidden === 1 ? 'entry' : 'entries'} not shown`,
    timeline: shown.map((e) => {
      const who = e.who === undefined ? '' : md(e.who, 80);
      return { at: minute(e.at), text: who ? `${md(e.what, 120)} by ${who}` : md(e.what, 120) };
    }),
    hasNote: model.note !== undefined,
    note: md(model.note, 500),
  });
}
