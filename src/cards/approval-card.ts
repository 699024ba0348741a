import rawTemplate from './approval-card.json';
import { assertNever, type ExportRequest } from '../domain/export-request';
import { CLOSURE_WORDS, DELIVERY_WORDS } from '../domain/workflow/lifecycle';
import { lines, md, nameOf, plural, utc } from './card-text';
import { renderCard, type AdaptiveCard } from './render';
import { lifecycleModel, REQUEST_ACTION_PARTS } from './request-actions';
import {
  describeOperation,
  exportFacts,
  REQUEST_FACT_PARTS,
  requestFacts,
  type PortalLinks,
} from './request-facts';
import { withParts } from './template-parts';

const template = withParts(rawTemplate, { ...REQUEST_FACT_PARTS, ...REQUEST_ACTION_PARTS });

/**
 * Who is looking: an admin who may decide, the requester, or anyone else. Teams asks for each person's view
 * with `refresh` (Universal Actions); the card posted for everyone is the `viewer` view.
 */
export type ApprovalView = 'decider' | 'requester' | 'viewer';

export interface ApprovalCardModel {
  readonly request: ExportRequest;
  readonly view: ApprovalView;
  readonly today: string;
  /** Who Teams should refresh the card for automatically (at most 60); none: a manual refresh button. */
  readonly refreshUserIds: readonly string[] | undefined;
  readonly note?: string;
  /**
   * The card posted for everyone (as opposed to one person's refreshed view). While pending it carries a
   * "Show my options" button: for channels above 60 members and clients that do not refresh cards.
   */
  readonly shared?: boolean;
  /** Where the Azure portal is, to link to the export container (never a SAS). */
  readonly portal?: PortalLinks;
}

// The portal links moved beside the export facts they belong to; named here too, where callers know them.
export { portalLink, type PortalLinks } from './request-facts';

export const MAX_REFRESH_USERS = 60;

/**
 * Where a request stands, in one line and a colour, for a TextBlock (names escaped): the approval card's and
 * the status card's headline.
 */
export function statusLine(r: ExportRequest): { text: string; color: string } {
  const d = r.decision;
  const when = d ? utc(d.at) : '';
  const x = r.export;
  const approvedBy = `Approved by ${nameOf(d?.by)} on ${when}`;
  switch (r.status) {
    case 'pendingApproval':
      return { text: 'Waiting for a second admin to approve', color: 'Warning' };
    case 'approved':
      return {
        text:
          x && x.throttled > 0
            ? `${approvedBy}. Microsoft Graph asked to wait; submitting again at ${utc(x.nextAt)}`
            : `${approvedBy}. Submitting the export to Microsoft Graph`,
        color: 'Good',
      };
    case 'exporting':
      return {
        text: `Exporting: ${describeOperation(x?.operationStatus)}${x?.progress !== undefined ? `, ${x.progress} %` : ''}`,
        color: 'Accent',
      };
    case 'outcomeUnknown':
      return x?.unknown?.askedAt
        ? x.unknown.evidence
          ? { text: 'Export accepted by Graph, but it cannot be followed', color: 'Warning' }
          : { text: 'Submission outcome unknown: an admin must confirm a resubmission', color: 'Attention' }
        : { text: 'Submission outcome unknown: looking for evidence in the container', color: 'Warning' };
    case 'completed':
      return { text: `Export completed on ${utc(x?.completedAt)}`, color: 'Good' };
    case 'failed':
      return {
        text: `Export failed (${x?.failure?.code ? md(x.failure.code, 80) : 'error'}) on ${utc(x?.completedAt)}`,
        color: 'Attention',
      };
    case 'delivered': {
      const v = r.delivery;
      if (!v) return { text: 'Delivered to the data subject', color: 'Good' };
      const late = v.daysLate > 0 ? `, ${plural(v.daysLate, 'day')} late` : '';
      return {
        text: `Delivered to the data subject on ${v.date} (${DELIVERY_WORDS[v.method]})${late}`,
        color: v.daysLate > 0 ? 'Warning' : 'Good',
      };
    }
    case 'closed': {
      const c = r.closure;
      return c
        ? {
            text: `Closed without export: ${CLOSURE_WORDS[c.reason]}, confirmed by ${nameOf(c.confirmedBy)}`,
            color: 'Default',
          }
        : { text: 'Closed without export', color: 'Default' };
    }
    case 'rejected':
      return { text: `Rejected by ${nameOf(d?.by)} on ${when}`, color: 'Attention' };
    case 'cancelled':
      return { text: `Cancelled by the requester on ${when}`, color: 'Default' };
    case 'expired':
      return { text: `Expired without a decision on ${when}`, color: 'Attention' };
    default:
      return assertNever(r.status);
  }
}

/**
 * The approval card for one viewer. Pure. Text from people, the directory and Graph is cleaned and bounded;
 * it goes into TextRuns (no Markdown) where it can, and is escaped where a TextBlock or a fact shows it.
 */
export function approvalCard(model: ApprovalCardModel): AdaptiveCard {
  const r = model.request;
  const pending = r.status === 'pendingApproval';
  const decider = pending && model.view === 'decider';
  const s = statusLine(r);
  const card = renderCard(template, {
    id: r.id,
    title: `Data export request ${md(r.id, 64)}`,
    statusText: s.text,
    statusColor: s.color,
    req: requestFacts(r, model.today),
    exp: exportFacts(r, model.portal),
    lifecycle: lifecycleModel(r, model.today),
    justification: lines(r.justification, 1000),
    hasReason: r.decision?.reason !== undefined,
    reason: lines(r.decision?.reason, 500),
    hasNote: model.note !== undefined || (pending && model.view === 'requester'),
    note:
      model.note ??
      (model.view === 'requester' ? 'Waiting for another admin: you cannot approve your own request.' : ''),
    // No approval before the subject's identity is recorded (the card says why); a rejection needs none.
    canApprove: decider && r.identity !== undefined,
    canDecide: decider,
    canCancel: pending && model.view === 'requester',
    showRefresh:
      pending && model.view === 'viewer' && (model.shared === true || model.refreshUserIds === undefined),
    ...resubmission(r),
  });
  if (!pending) return card;
  const userIds = model.refreshUserIds?.slice(0, MAX_REFRESH_USERS);
  return {
    ...card,
    refresh: {
      action: { type: 'Action.Execute', verb: 'approval.refresh', data: { requestId: r.id } },
      ...(userIds && userIds.length > 0 ? { userIds } : {}),
    },
  };
}

/** Retry (a failed export) or Resubmit (an unknown outcome the channel was asked about), into a new container. */
function resubmission(r: ExportRequest) {
  const x = r.export;
  return {
    canResubmit:
      x !== undefined &&
      (r.status === 'failed' || (r.status === 'outcomeUnknown' && x.unknown?.askedAt !== undefined)),
    resubmitTitle: r.status === 'failed' ? 'Retry into a new container' : 'Resubmit into a new container',
  };
}
