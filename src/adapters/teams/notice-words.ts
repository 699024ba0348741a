import type { ExportContents } from '../../domain/export-request';
import type {
  ClockNotice,
  ExportPlace,
  RequesterNotice,
  RetentionNotice,
  ThreadNotice,
} from '../../domain/notice';
import { CLOSURE_WORDS } from '../../domain/workflow/lifecycle';
import { capitalise, formatBytes, plural } from '../../cards/card-text';
import { cleanText } from '../../domain/text';

/**
 * The words of every notice: the domain says what happened (a notice kind and its facts), and this module,
 * at the edge, says it to the approval card's thread or to the requester. One typed table per audience,
 * checked exhaustive by the compiler: a new notice kind is a compile error here until it has its words.
 */

type Words<N extends { readonly kind: string }> = {
  readonly [K in N['kind']]: (notice: Extract<N, { readonly kind: K }>) => string;
};

const where = (p: ExportPlace) => `container ${p.container} in storage account ${p.account ?? ''}`;

/** What a completion below 100 % adds (Graph's completion rate: some products' data may be missing). */
const gaps = (completionRate: number | undefined) =>
  completionRate === undefined
    ? ''
    : ` Graph reports only ${completionRate} % of the data exported: some products may be missing; check the container before delivery, and Retry if needed.`;

/** How many folder names a contents summary lists; the rest are counted. */
export const MAX_FOLDERS_NAMED = 5;

/** What an export holds, e.g. " It holds 12 files (3.4 MB) in 5 folders: Exchange, OneDrive, …" ('' when unknown). */
function holds(contents: ExportContents | undefined): string {
  if (!contents) return '';
  if (contents.files === 0) return ' The container holds no files: check it before delivery.';
  const names = contents.folders.map((f) => cleanText(f.name, 60)).filter((name) => name !== '');
  const listed = names.slice(0, MAX_FOLDERS_NAMED).join(', ');
  const more = names.length > MAX_FOLDERS_NAMED ? ` and ${names.length - MAX_FOLDERS_NAMED} more` : '';
  const folders = contents.folders.length > 0 ? ` in ${plural(contents.folders.length, 'folder')}` : '';
  return ` It holds ${plural(contents.files, 'file')} (${formatBytes(contents.bytes)})${folders}${listed ? `: ${listed}${more}` : ''}.`;
}

type Clock<K extends ClockNotice['kind']> = Extract<ClockNotice, { readonly kind: K }>;

/** What a deadline reminder asks for: delivery once the data is exported, else the export (or an extension). */
function deadlineAsk(n: Clock<'deadline'>): string {
  if (n.exported)
    return 'The data is exported: what is left is delivery. Record the delivery on the card once the data reached the person.';
  return n.step === 'overdue'
    ? 'Answer the data subject as soon as possible: export and deliver the data, or close the request on the card with its reason.'
    : 'The data is not exported yet. If it cannot be delivered in time, extend the due date on the card while the first period runs (the data subject must be told why).';
}

/** "7 days left for …", "1 day left for …", "… is overdue since …". */
function deadlineHead(n: Clock<'deadline'>, what: string): string {
  switch (n.step) {
    case 'week':
      return `7 days left for ${what}: the legal due date is ${n.dueDate}.`;
    case 'day':
      return `1 day left for ${what}: the legal due date is ${n.dueDate}.`;
    case 'overdue':
      return `${capitalise(what)} is overdue since ${n.dueDate}, its legal due date.`;
  }
}

const late = (days: number) => (days > 0 ? `, ${plural(days, 'day')} late` : ', on time');

/** What the requester tells the subject of a closure: why, and (unless they withdrew) that they may complain. */
const closedAsk = (n: Clock<'closed'>) =>
  n.reason === CLOSURE_WORDS.withdrawn
    ? ''
    : ' Tell the data subject why, and that they can complain to a supervisory authority.';

/** YYYY-MM-DD HH:MM of an ISO date, in UTC. */
const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** How long exports usually take, in words: as configured, else Graph's own "a few days, up to 30". */
const expected = (ms: number | undefined): string => {
  if (ms === undefined) return 'a few days (up to 30)';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 120) return `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `about ${hours} hours` : `about ${Math.round(hours / 24)} days`;
};

/** Retention's notices: the same words for the thread and for the requester. */
const retentionWords: Words<RetentionNotice> = {
  exportDeletionSoon: (n) =>
    `The exported data of ${n.requestId} will be deleted on ${n.deleteOn}, ${n.days} days after its delivery (storage limitation). To keep it longer, an admin can say "hold ${n.requestId}" and the reason.`,
  exportDeleted: (n) => deletedWords(n),
  exportHeld: (n) =>
    `${n.by} put ${n.requestId} on hold: the bot deletes nothing of it until the hold is released (the export account's own backstop rule still applies). Reason: ${n.reason}`,
  holdReleased: (n) =>
    `${n.by} released the hold on ${n.requestId}: its data is deleted when its retention ends (at once if it has ended).`,
};

const threadWords: Words<ThreadNotice> = {
  approved: (n) => `Approved by ${n.by}. The export will be submitted to Microsoft Graph.`,
  rejected: (n) => `Rejected by ${n.by}: ${n.reason}`,
  expired: () => 'Expired: nobody decided in time. The requester can ask again.',
  cancelled: (n) => `Cancelled by ${n.by}, who asked for it.`,
  reminder: (n) => `Reminder: ${n.requestId} still waits for a second admin. Legal due date ${n.dueDate}.`,
  decisionRefused: (n) => `${n.by}'s decision could not be accepted: ${n.why}`,
  submitted: (n) =>
    `Submitted to Microsoft Graph: the export of ${n.subject} goes into ${where(n)}. Exports usually take ${expected(n.expectedMs)}; I will post here when it is done.`,
  foundBeforeResubmit: (n) =>
    `Before submitting ${n.requestId} again I looked once more: Microsoft Graph did take the export (it is in ${where(n)}). I follow that one instead of starting a second export.`,
  reapprovalNeeded: (n) =>
    `${n.requestId} was tried ${n.attempts} times under one approval. Another export needs a new approval: an admin other than the requester can approve it again on the card.`,
  resubmitted: (n) => `${n.by} asked to export ${n.requestId} again, into a new container (${n.container}).`,
  exportUntraceable: (n) =>
    `Graph did take the export of ${n.requestId}: its RequestInfo.json is in ${where(n)}, but I could not tell which operation it is, so I cannot follow it. Check that container in a few days. An admin can choose Resubmit on the card for a followed export into a new container.`,
  outcomeUnknown: (n) =>
    `I do not know whether Microsoft Graph took the export of ${n.requestId}: ${n.detail}. Nothing is in ${where(n)} yet. To avoid a second export I have not submitted again: an admin can choose Resubmit on the card to export into a new container.`,
  pollFailing: (n) =>
    `I could not read the status of the export for ${n.requestId} ${n.failures} times in a row: ${n.detail} The export itself is not affected; I keep trying.`,
  operationLost: (n) =>
    `Microsoft Graph no longer knows the export operation of ${n.requestId} (${n.detail}). Its data may still arrive in ${where(n)}: check that container in a few days. I stopped following it. An admin other than the requester can choose Resubmit on the card to export again into a new container.`,
  exportCompleted: (n) =>
    `The export for ${n.requestId} (${n.subject}) is complete: the data is in ${where(n)}.${holds(n.contents)}${gaps(n.completionRate)} The link to the container is on the card; the write access given to Graph has been withdrawn.`,
  exportFailed: (n) =>
    `The export for ${n.requestId} failed (${n.code}): ${n.message} An admin can choose Retry on the card: it exports into a new container.`,
  exportStuck: (n) =>
    `I keep failing to ${n.job === 'pollExport' ? 'read the status of' : 'submit'} the export for ${n.requestId}: ${n.why}. I will try again at ${minute(n.retryAt)} UTC.`,
  deadline: (n) => `${deadlineHead(n, `${n.requestId} (${n.subject})`)} ${deadlineAsk(n)}`,
  extended: (n) =>
    `${n.by} extended the due date of ${n.requestId} from ${n.fromDue} to ${n.toDue}. The data subject must be told of the extension and its reason by ${n.tellBy}. Reason: ${n.reason}`,
  delivered: (n) =>
    `${n.by} recorded the delivery of ${n.requestId} to the data subject on ${n.date} (${n.method})${late(n.daysLate)}. The legal clock has stopped.`,
  closureProposed: (n) =>
    `${n.by} proposes to close ${n.requestId} without export: ${n.reason}. Another admin can confirm the closure on the card, or keep the request open.`,
  closureWithdrawn: (n) =>
    `${n.by} kept ${n.requestId} open: the proposed closure is withdrawn and the legal clock runs on.`,
  closed: (n) =>
    `${n.requestId} is closed without export (${n.reason}): proposed by ${n.proposedBy}, confirmed by ${n.by}. The legal clock has stopped.`,
  identityRecorded: (n) =>
    `${n.by} recorded how the identity of the subject of ${n.requestId} was verified: ${n.method}.`,
  ...retentionWords,
  worded: (n) => n.text,
};

const requesterWords: Words<RequesterNotice> = {
  approved: (n) =>
    `${n.by} approved your request ${n.requestId} (${n.subject}). The export will be submitted to Microsoft Graph.`,
  rejected: (n) => `${n.by} rejected your request ${n.requestId} (${n.subject}): ${n.reason}`,
  expired: (n) =>
    `Your request ${n.requestId} (${n.subject}) expired without a decision. Ask again if it is still needed; the legal due date is ${n.dueDate}.`,
  exportCompleted: (n) =>
    `The export for your request ${n.requestId} (${n.subject}) is complete: the data is in ${where(n)}.${holds(n.contents)}${gaps(n.completionRate)} Legal due date: ${n.dueDate}.`,
  exportFailed: (n) =>
    `The export for your request ${n.requestId} (${n.subject}) failed (${n.code}): ${n.message} An admin can retry it from the card in the approvals channel.`,
  notInChannel: (n) =>
    `I could not post ${n.requestId} in the approvals channel (${n.code}): add me to that team, or have an admin say "use this channel for approvals" in a channel where I am installed. Your request is kept.`,
  threadRefused: (n) =>
    `${threadText(n.notice)} (I could not post this in the approvals channel: ${n.code}.)`,
  deadline: (n) => `${deadlineHead(n, `your request ${n.requestId} (${n.subject})`)} ${deadlineAsk(n)}`,
  extended: (n) =>
    `${n.by} extended the due date of your request ${n.requestId} from ${n.fromDue} to ${n.toDue}. Tell the data subject of the extension and its reason by ${n.tellBy}, the end of the first period. Reason: ${n.reason}`,
  delivered: (n) =>
    `Your request ${n.requestId} was delivered to the data subject on ${n.date} (${n.method})${late(n.daysLate)}, recorded by ${n.by}. The legal clock has stopped.`,
  closureProposed: (n) =>
    `${n.by} proposes to close your request ${n.requestId} without export: ${n.reason}. Another admin must confirm it; until then the legal clock runs on.`,
  closureWithdrawn: (n) =>
    `${n.by} kept your request ${n.requestId} open: the proposed closure is withdrawn and the legal clock runs on.`,
  closed: (n) =>
    `Your request ${n.requestId} is closed without export (${n.reason}): proposed by ${n.proposedBy}, confirmed by ${n.by}.${closedAsk(n)}`,
  identityRecorded: (n) =>
    `${n.by} recorded how the identity of the subject of your request ${n.requestId} was verified: ${n.method}.`,
  ...retentionWords,
  worded: (n) => n.text,
};

function deletedWords(n: Extract<ThreadNotice, { kind: 'exportDeleted' }>): string {
  const what = n.containers === 1 ? 'container' : `${n.containers} containers`;
  return n.why === 'delivered'
    ? `The exported data of ${n.requestId} was deleted (its ${what}): its retention after delivery ended. The record and its audit trail are kept.`
    : `The unused export ${what} of ${n.requestId} (failed, superseded or never delivered) ${n.containers === 1 ? 'was' : 'were'} deleted. The record and its audit trail are kept.`;
}

/** A notice for the approval card's thread, in words. */
export function threadText(notice: ThreadNotice): string {
  return (threadWords[notice.kind] as (n: ThreadNotice) => string)(notice);
}

/** A notice for the requester, in words. */
export function requesterText(notice: RequesterNotice): string {
  return (requesterWords[notice.kind] as (n: RequesterNotice) => string)(notice);
}
