import { daysLeft, urgency } from '../domain/deadline';
import { clockRunning, type ExportRequest } from '../domain/export-request';
import { CLOSURE_WORDS, DELIVERY_WORDS, IDENTITY_WORDS } from '../domain/workflow/lifecycle';
import { capitalise, formatBytes, line, lines, md, nameOf, plainName, plural, utc } from './card-text';
import parts from './request-facts.json';

/**
 * The facts every request card shows (the approval card in the channel, the status card in a chat): who and
 * what, the legal clock (due date, extensions, identity check, delivery, closure) and the export. The
 * template parts are in request-facts.json; the functions here give them their data, under `req` and `exp`.
 */
export const REQUEST_FACT_PARTS = parts;

/** What Graph's operation status means, for a status line or a fact (escaped: Graph may add values). */
export function describeOperation(status: string | undefined): string {
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

const URGENCY_COLOR = { overdue: 'Attention', soon: 'Warning', calm: 'Default' } as const;

/** The due date with what it means today: days left (coloured by urgency), or how the clock stopped. */
function due(r: ExportRequest, today: string): { text: string; color: string } {
  if (r.status === 'delivered' && r.delivery) {
    const late = r.delivery.daysLate;
    return late > 0
      ? { text: `${r.dueDate} (delivered ${plural(late, 'day')} late)`, color: 'Attention' }
      : { text: `${r.dueDate} (delivered on time)`, color: 'Good' };
  }
  if (!clockRunning(r.status)) return { text: r.dueDate, color: 'Default' };
  const left = daysLeft(r.dueDate, today);
  const words =
    left < 0 ? `${plural(-left, 'day')} overdue` : left === 0 ? 'due today' : `${plural(left, 'day')} left`;
  return { text: `${r.dueDate} (${words})`, color: URGENCY_COLOR[urgency(r.dueDate, today)] };
}

/** ", extended from X by Y (reason)" for each extension, oldest first. */
function extensions(r: ExportRequest): string {
  return (r.extensions ?? [])
    .map(
      (e, i) =>
        `${i === 0 ? ', extended' : ', then'} from ${e.fromDue} by ${plainName(e.by)} (${line(e.reason, 200)})`,
    )
    .join('');
}

function identity(r: ExportRequest): { shown: boolean; label: string; text: string; color: string } {
  const id = r.identity;
  if (id) {
    const note = line(id.note, 200);
    return {
      shown: true,
      label: 'Identity verified: ',
      text: `${IDENTITY_WORDS[id.method]}${note ? ` (${note})` : ''} by ${plainName(id.by)} on ${utc(id.at)}`,
      color: 'Default',
    };
  }
  if (r.status === 'pendingApproval')
    return {
      shown: true,
      label: 'Identity not verified: ',
      text: "this request cannot be approved until an admin records how the subject's identity was verified.",
      color: 'Attention',
    };
  if (clockRunning(r.status))
    return {
      shown: true,
      label: 'Identity check not recorded: ',
      text: "record how the subject's identity was verified before the data is delivered.",
      color: 'Warning',
    };
  return { shown: false, label: '', text: '', color: 'Default' };
}

function delivery(r: ExportRequest): string {
  const d = r.delivery;
  if (!d) return '';
  const note = lines(d.note, 500);
  const late = d.daysLate > 0 ? `${plural(d.daysLate, 'day')} late` : 'on time';
  return `${d.date} (${DELIVERY_WORDS[d.method]}), ${late}; recorded by ${plainName(d.by)} on ${utc(d.at)}.${note ? ` Note: ${note}` : ''}`;
}

function closure(r: ExportRequest): string {
  const c = r.closure;
  if (!c) return '';
  const note = lines(c.note, 500);
  const confirmed = c.confirmedBy
    ? `, confirmed by ${plainName(c.confirmedBy)} on ${utc(c.confirmedAt)}`
    : '';
  return `${capitalise(CLOSURE_WORDS[c.reason])}; proposed by ${plainName(c.proposedBy)} on ${utc(c.proposedAt)}${confirmed}.${note ? ` Note: ${note}` : ''}`;
}

/** What retention did or holds back: a hold, or the containers deleted. */
function retention(r: ExportRequest): { text: string; color: string } {
  const hold = r.retention?.hold;
  if (hold)
    return {
      text: `On hold since ${utc(hold.at)}, by ${plainName(hold.by)}: ${line(hold.reason, 300)}. The bot deletes nothing of this request until the hold is released.`,
      color: 'Warning',
    };
  const deleted = r.retention?.deleted ?? [];
  const last = deleted.at(-1);
  if (!last) return { text: '', color: 'Default' };
  const current = r.export?.containerName;
  return {
    text:
      current !== undefined && deleted.some((d) => d.container === current)
        ? `The exported data was deleted on ${utc(last.at)} (retention). The record and its audit trail are kept.`
        : `${plural(deleted.length, 'unused export container')} deleted (retention), the last on ${utc(last.at)}.`,
    color: 'Default',
  };
}

/** The data of the `requestFacts` and `requestClock` parts. */
export function requestFacts(r: ExportRequest, today: string) {
  const d = due(r, today);
  const id = identity(r);
  const ext = extensions(r);
  const kept = retention(r);
  return {
    subject: line(`${r.subject.displayName} (${r.subject.userPrincipalName})`, 200),
    requester: line(r.requester.name, 120),
    regime: r.regime,
    receivedDate: r.receivedDate,
    reference: line(r.reference, 80),
    dueText: d.text,
    dueColor: d.color,
    hasExtension: ext !== '',
    extensionText: ext,
    showIdentity: id.shown,
    identityLabel: id.label,
    identityText: id.text,
    identityColor: id.color,
    hasDelivery: r.delivery !== undefined,
    deliveryText: delivery(r),
    isClosed: r.status === 'closed' && r.closure !== undefined,
    closureProposed: clockRunning(r.status) && r.closure !== undefined && r.closure.confirmedBy === undefined,
    closureText: closure(r),
    hasRetention: kept.text !== '',
    retentionText: kept.text,
    retentionColor: kept.color,
  };
}

/** How many folders the contents list shows; the rest are counted. */
export const MAX_FOLDERS_SHOWN = 15;

/** The Azure portal of the bot's cloud, and the export account's resource id when configured. */
export interface PortalLinks {
  readonly host: string;
  readonly tenantId: string;
  /** /subscriptions/…/resourceGroups/…/providers/Microsoft.Storage/storageAccounts/… */
  readonly storageAccountResourceId?: string;
  /** The sandbox console of `npm start` (LOCAL_CONSOLE_URL): local mode links a container to its view there. */
  readonly localConsoleUrl?: string;
}

/**
 * A link to the export: in the Azure portal, the account's containers when its resource id is configured
 * (EXPORT_STORAGE_ACCOUNT_ID); else, locally, the sandbox console's view of the container; else the portal's
 * list of storage accounts. Holds no credential.
 */
export function portalLink(portal: PortalLinks, containerName?: string): string {
  const base = `${portal.host.replace(/\/+$/, '')}/#@${encodeURIComponent(portal.tenantId)}`;
  if (portal.storageAccountResourceId)
    return `${base}/resource${portal.storageAccountResourceId}/containersList`;
  if (portal.localConsoleUrl && containerName)
    return `${portal.localConsoleUrl.replace(/\/+$/, '')}/containers/${encodeURIComponent(containerName)}`;
  return `${base}/browse/Microsoft.Storage%2FStorageAccounts`;
}

/** The words on the container link's button: where it leads. */
export function portalLinkTitle(portal: PortalLinks | undefined, containerName?: string): string {
  return portal && !portal.storageAccountResourceId && portal.localConsoleUrl && containerName
    ? 'Open the container in the sandbox console'
    : 'Open the container in the Azure portal';
}

/** The data of the `exportFacts` part: the attempt, where its data is, how far it got, what it holds and the
 * link to its container (once the data is there).
 */
export function exportFacts(r: ExportRequest, portal: PortalLinks | undefined) {
  const x = r.export;
  const contents = x?.contents;
  const folders = contents?.folders ?? [];
  const hidden = folders.length - MAX_FOLDERS_SHOWN;
  return {
    hasExport: x !== undefined && r.status !== 'approved',
    approvedBy: r.decision?.verdict === 'approved' ? `${nameOf(r.decision.by)} on ${utc(r.decision.at)}` : '',
    attempt: String(x?.attempt ?? ''),
    account: md(x?.accountName, 64),
    container: md(x?.containerName, 64),
    progress:
      r.status === 'completed' || r.status === 'delivered' || (x?.completedAt && !x.failure)
        ? `${x?.progress ?? 100} %`
        : x?.progress !== undefined
          ? `${x.progress} % (${describeOperation(x.operationStatus)})`
          : describeOperation(x?.operationStatus),
    checked: utc(x?.lastCheckedAt) || 'not yet',
    completed: utc(x?.completedAt) || 'not yet',
    hasFailure: x?.failure !== undefined,
    failure: lines(x?.failure?.message, 500),
    hasContents: contents !== undefined,
    hasFolders: folders.length > 0,
    folders: folders.slice(0, MAX_FOLDERS_SHOWN).map((f) => ({
      name: md(f.name, 60) || '(unnamed)',
      size: `${plural(f.files, 'file')}, ${formatBytes(f.bytes)}`,
    })),
    hasLink:
      portal !== undefined &&
      (r.status === 'completed' || r.status === 'delivered') &&
      !(r.retention?.deleted ?? []).some((d) => d.container === x?.containerName),
    link: portal ? portalLink(portal, x?.containerName) : '',
    linkTitle: portalLinkTitle(portal, x?.containerName),
    contentsTotal: contents
      ? `In all: ${plural(contents.files, 'file')}, ${formatBytes(contents.bytes)} in ${plural(folders.length, 'folder')}` +
        (hidden > 0 ? ` (${plural(hidden, 'more folder')} not listed)` : '') +
        (contents.files === 0 ? '. The container holds no files: check it before delivery.' : '')
      : '',
  };
}
