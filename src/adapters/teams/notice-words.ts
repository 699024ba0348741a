import type { ExportPlace, RequesterNotice, ThreadNotice } from '../../domain/notice';

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

/** YYYY-MM-DD HH:MM of an ISO date, in UTC. */
const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

const threadWords: Words<ThreadNotice> = {
  approved: (n) => `Approved by ${n.by}. The export will be submitted to Microsoft Graph.`,
  rejected: (n) => `Rejected by ${n.by}: ${n.reason}`,
  expired: () => 'Expired: nobody decided in time. The requester can ask again.',
  cancelled: (n) => `Cancelled by ${n.by}, who asked for it.`,
  reminder: (n) => `Reminder: ${n.requestId} still waits for a second admin. Legal due date ${n.dueDate}.`,
  decisionRefused: (n) => `${n.by}'s decision could not be accepted: ${n.why}`,
  submitted: (n) =>
    `Submitted to Microsoft Graph: the export of ${n.subject} goes into ${where(n)}. Exports usually take a few days; I will post here when it is done.`,
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
    `The export for ${n.requestId} (${n.subject}) is complete: the data is in ${where(n)}.${gaps(n.completionRate)} The link to the container is on the card; the write access given to Graph has been withdrawn.`,
  exportFailed: (n) =>
    `The export for ${n.requestId} failed (${n.code}): ${n.message} An admin can choose Retry on the card: it exports into a new container.`,
  exportStuck: (n) =>
    `I keep failing to ${n.job === 'pollExport' ? 'read the status of' : 'submit'} the export for ${n.requestId}: ${n.why}. I will try again at ${minute(n.retryAt)} UTC.`,
  worded: (n) => n.text,
};

const requesterWords: Words<RequesterNotice> = {
  approved: (n) =>
    `${n.by} approved your request ${n.requestId} (${n.subject}). The export will be submitted to Microsoft Graph.`,
  rejected: (n) => `${n.by} rejected your request ${n.requestId} (${n.subject}): ${n.reason}`,
  expired: (n) =>
    `Your request ${n.requestId} (${n.subject}) expired without a decision. Ask again if it is still needed; the legal due date is ${n.dueDate}.`,
  exportCompleted: (n) =>
    `The export for your request ${n.requestId} (${n.subject}) is complete: the data is in ${where(n)}.${gaps(n.completionRate)} Legal due date: ${n.dueDate}.`,
  exportFailed: (n) =>
    `The export for your request ${n.requestId} (${n.subject}) failed (${n.code}): ${n.message} An admin can retry it from the card in the approvals channel.`,
  notInChannel: (n) =>
    `I could not post ${n.requestId} in the approvals channel (${n.code}): add me to that team, or have an admin say "use this channel for approvals" in a channel where I am installed. Your request is kept.`,
  threadRefused: (n) =>
    `${threadText(n.notice)} (I could not post this in the approvals channel: ${n.code}.)`,
  worded: (n) => n.text,
};

/** A notice for the approval card's thread, in words. */
export function threadText(notice: ThreadNotice): string {
  return (threadWords[notice.kind] as (n: ThreadNotice) => string)(notice);
}

/** A notice for the requester, in words. */
export function requesterText(notice: RequesterNotice): string {
  return (requesterWords[notice.kind] as (n: RequesterNotice) => string)(notice);
}
