import template from './approval-card.json';
import { assertNever, type ExportRequest } from '../domain/export-request';
import { truncate } from '../domain/policies';
import { renderCard, type AdaptiveCard } from './render';

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
}

export const MAX_REFRESH_USERS = 60;

function status(r: ExportRequest): { text: string; color: string } {
  const d = r.decision;
  const when = d ? d.at.slice(0, 16).replace('T', ' ') + ' UTC' : '';
  switch (r.status) {
    case 'pendingApproval':
      return { text: 'Waiting for a second admin to approve', color: 'Warning' };
    case 'approved':
      return { text: `Approved by ${d?.by?.name ?? 'an admin'} on ${when}`, color: 'Good' };
    case 'rejected':
      return { text: `Rejected by ${d?.by?.name ?? 'an admin'} on ${when}`, color: 'Attention' };
    case 'cancelled':
      return { text: `Cancelled by the requester on ${when}`, color: 'Default' };
    case 'expired':
      return { text: `Expired without a decision on ${when}`, color: 'Attention' };
    default:
      return assertNever(r.status);
  }
}

/** The approval card for one viewer. Pure; user text goes into TextRuns only, bounded. */
export function approvalCard(model: ApprovalCardModel): AdaptiveCard {
  const r = model.request;
  const pending = r.status === 'pendingApproval';
  const daysLeft = Math.round((Date.parse(r.dueDate) - Date.parse(model.today)) / 86400000);
  const s = status(r);
  const card = renderCard(template, {
    id: r.id,
    title: `Data export request ${r.id}`,
    statusText: s.text,
    statusColor: s.color,
    subject: truncate(`${r.subject.displayName} (${r.subject.userPrincipalName})`, 200),
    requester: truncate(r.requester.name, 120),
    regime: r.regime,
    receivedDate: r.receivedDate,
    dueText: `${r.dueDate} (${daysLeft < 0 ? `${-daysLeft} days overdue` : `${daysLeft} day${daysLeft === 1 ? '' : 's'} left`})`,
    dueColor: daysLeft <= 7 ? 'Attention' : 'Default',
    reference: truncate(r.reference, 80),
    justification: truncate(r.justification, 1000),
    hasReason: r.decision?.reason !== undefined,
    reason: truncate(r.decision?.reason ?? '', 500),
    hasNote: model.note !== undefined || (pending && model.view === 'requester'),
    note:
      model.note ??
      (model.view === 'requester' ? 'Waiting for another admin: you cannot approve your own request.' : ''),
    canDecide: pending && model.view === 'decider',
    canCancel: pending && model.view === 'requester',
    showRefresh:
      pending && model.view === 'viewer' && (model.shared === true || model.refreshUserIds === undefined),
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
