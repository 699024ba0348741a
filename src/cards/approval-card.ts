import template from './approval-card.json';
import { assertNever, type ExportRequest } from '../domain/export-request';
import { cleanText, escapeMarkdown } from '../domain/text';
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
  /** Where the Azure portal is, to link to the export container (never a SAS). */
  readonly portal?: PortalLinks;
}

/** The Azure portal of the bot's cloud, and the export account's resource id when configured. */
export interface PortalLinks {
  readonly host: string;
  readonly tenantId: string;
  /** /subscriptions/…/resourceGroups/…/providers/Microsoft.Storage/storageAccounts/… */
  readonly storageAccountResourceId?: string;
}

/**
 * A link to the export in the Azure portal: the account's containers when its resource id is configured
 * (EXPORT_STORAGE_ACCOUNT_ID), the list of storage accounts otherwise. Holds no credential.
 */
export function portalLink(portal: PortalLinks): string {
  const base = `${portal.host.replace(/\/+$/, '')}/#@${encodeURIComponent(portal.tenantId)}`;
  return portal.storageAccountResourceId
    ? `${base}/resource${portal.storageAccountResourceId}/containersList`
    : `${base}/browse/Microsoft.Storage%2FStorageAccounts`;
}

const utc = (iso: string | undefined) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '');

export const MAX_REFRESH_USERS = 60;

/** One line of text from a person, the directory or Graph, for a TextRun (which renders no Markdown). */
const line = (text: string | null | undefined, max: number) => cleanText(text ?? '', max);
/** Several lines (justification, reason, failure), for a TextRun. */
const lines = (text: string | null | undefined, max: number) =>
  cleanText(text ?? '', max, { multiline: true });
/** A value from outside inside a TextBlock or a FactSet, which render Markdown: cleaned and escaped. */
const md = (text: string | null | undefined, max = 120) => escapeMarkdown(line(text, max));
/** Who decided, for a TextBlock or a FactSet. */
const nameOf = (actor: { readonly name: string } | undefined) => (actor ? md(actor.name) : 'an admin');

function status(r: ExportRequest): { text: string; color: string } {
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

function describeOperation(status: string | undefined): string {
  switch (status) {
    case undefined:
      return 'submitted, waiting for Graph to start';
    case 'notStarted':
      return 'queued at Microsoft Graph';
    case 'running':
      return 'running';
    default:
      return `not finished (${md(status, 40)})`;
  }
}

/**
 * The approval card for one viewer. Pure. Text from people, the directory and Graph is cleaned and bounded;
 * it goes into TextRuns (no Markdown) where it can, and is escaped where a TextBlock or a fact shows it.
 */
export function approvalCard(model: ApprovalCardModel): AdaptiveCard {
  const r = model.request;
  const pending = r.status === 'pendingApproval';
  const daysLeft = Math.round((Date.parse(r.dueDate) - Date.parse(model.today)) / 86400000);
  const s = status(r);
  const card = renderCard(template, {
    id: r.id,
    title: `Data export request ${md(r.id, 64)}`,
    statusText: s.text,
    statusColor: s.color,
    subject: line(`${r.subject.displayName} (${r.subject.userPrincipalName})`, 200),
    requester: line(r.requester.name, 120),
    regime: r.regime,
    receivedDate: r.receivedDate,
    dueText: `${r.dueDate} (${daysLeft < 0 ? `${-daysLeft} days overdue` : `${daysLeft} day${daysLeft === 1 ? '' : 's'} left`})`,
    dueColor: daysLeft <= 7 ? 'Attention' : 'Default',
    reference: line(r.reference, 80),
    justification: lines(r.justification, 1000),
    hasReason: r.decision?.reason !== undefined,
    reason: lines(r.decision?.reason, 500),
    hasNote: model.note !== undefined || (pending && model.view === 'requester'),
    note:
      model.note ??
      (model.view === 'requester' ? 'Waiting for another admin: you cannot approve your own request.' : ''),
    canDecide: pending && model.view === 'decider',
    canCancel: pending && model.view === 'requester',
    showRefresh:
      pending && model.view === 'viewer' && (model.shared === true || model.refreshUserIds === undefined),
    ...exportFacts(r, model.portal),
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

/** The export section and its actions (Retry, Resubmit, the portal link). */
function exportFacts(r: ExportRequest, portal: PortalLinks | undefined) {
  const x = r.export;
  const submitted = x !== undefined && r.status !== 'approved';
  const canResubmit =
    x !== undefined &&
    (r.status === 'failed' || (r.status === 'outcomeUnknown' && x.unknown?.askedAt !== undefined));
  return {
    hasExport: submitted,
    approvedBy: r.decision?.verdict === 'approved' ? `${nameOf(r.decision.by)} on ${utc(r.decision.at)}` : '',
    exportAttempt: String(x?.attempt ?? ''),
    exportAccount: md(x?.accountName, 64),
    exportContainer: md(x?.containerName, 64),
    exportProgress:
      r.status === 'completed'
        ? `${x?.progress ?? 100} %`
        : x?.progress !== undefined
          ? `${x.progress} % (${describeOperation(x.operationStatus)})`
          : describeOperation(x?.operationStatus),
    exportChecked: utc(x?.lastCheckedAt) || 'not yet',
    exportCompleted: utc(x?.completedAt) || 'not yet',
    hasFailure: x?.failure !== undefined,
    failure: lines(x?.failure?.message, 500),
    canResubmit,
    resubmitTitle: r.status === 'failed' ? 'Retry into a new container' : 'Resubmit into a new container',
    hasLink: r.status === 'completed' && portal !== undefined,
    link: portal ? portalLink(portal) : '',
  };
}
