import {
  askSubjectCard,
  confirmRequestCard,
  duplicateCard,
  noticeCard,
  pickSubjectCard,
  requestCreatedCard,
} from '../../cards/intake-cards';
import type { AdaptiveCard } from '../../cards/render';
import { assertNever } from '../../domain/export-request';
import type { IntakeReply } from '../../domain/intake';
import type { SetApprovalsChannelReply } from '../../usecases/set-approvals-channel';

export interface ReplyContext {
  readonly today: string;
  /** Names of the allowed roles, for refusals. */
  readonly allowedRoles: readonly string[];
  /** A 1:1 chat with the bot: only there are other requests for the same person listed. */
  readonly privateChat: boolean;
}

export function refusalText(
  reason: 'otherTenant' | 'unknownCaller' | 'noRole',
  allowedRoles: readonly string[],
): string {
  switch (reason) {
    case 'otherTenant':
      return 'I only take requests from the organisation that installed me, and your account belongs to another tenant.';
    case 'unknownCaller':
      return 'Teams did not tell me who you are in Entra ID, so I cannot check your rights. Guest and anonymous accounts cannot make requests.';
    case 'noRole':
      return `Only admins may request or approve data exports: you need ${allowedRoles.length === 1 ? 'the Entra role' : 'one of the Entra roles'} ${allowedRoles.join(', ')}, active now. If you are eligible for it in Privileged Identity Management, activate it first, then ask again.`;
  }
}

const NO_CHANNEL =
  'No approvals channel is set yet, so no second admin has been asked. An admin can say "use this channel for approvals" (with an @mention of the bot) in the channel the approvers use, or set APPROVALS_CHANNEL_ID. The request is kept and will be posted there.';

/** The card for each intake step. Pure. */
export function intakeReplyCard(reply: IntakeReply, ctx: ReplyContext): AdaptiveCard {
  switch (reply.kind) {
    case 'refused':
      return noticeCard({
        title: 'You cannot request data exports',
        text: refusalText(reply.reason, ctx.allowedRoles),
        tone: 'attention',
      });
    case 'askSubject':
      return askSubjectCard({ draftId: reply.draftId, ...(reply.error ? { error: reply.error } : {}) });
    case 'pick':
      return pickSubjectCard(reply);
    case 'duplicate':
      return duplicateCard({ ...reply, privateChat: ctx.privateChat });
    case 'confirm':
      return confirmRequestCard({ ...reply, today: ctx.today });
    case 'created':
      return requestCreatedCard({
        request: reply.request,
        today: ctx.today,
        next: reply.approvalsChannelSet
          ? `A second admin approves or rejects it in the approvals channel; you cannot approve your own request. The legal deadline counts from ${reply.request.receivedDate}.`
          : NO_CHANNEL,
      });
    case 'submittedElsewhere':
      return noticeCard({
        title: `Already submitted as ${reply.requestId}`,
        text: 'This draft was submitted; nothing more was created.',
      });
    case 'cancelled':
      return noticeCard({
        title: 'Cancelled',
        text: 'Nothing was stored. Say "export data for …" to start again.',
      });
    case 'stale':
      return noticeCard({
        title: reply.why === 'cancelled' ? 'This request was cancelled' : 'This card is no longer valid',
        text:
          reply.why === 'expired'
            ? 'It is more than a day old. Say "export data for …" again so that I read the directory afresh.'
            : 'Say "export data for …" to start a new request.',
        tone: 'attention',
      });
    case 'notYours':
      return noticeCard({
        title: 'Not available here',
        text: 'Only the admin who started this request can continue it, in the chat where they started it. Say "export data for …" to start your own.',
        tone: 'attention',
      });
    default:
      return assertNever(reply);
  }
}

/** A one-line summary for notifications and screen readers. */
export function intakeReplySummary(reply: IntakeReply): string {
  switch (reply.kind) {
    case 'created':
      return `Request ${reply.request.id} is waiting for approval`;
    case 'confirm':
      return 'Confirm the export request';
    case 'pick':
      return 'Several people match';
    case 'duplicate':
      return 'There is already an open request for this person';
    case 'askSubject':
      return 'Whose data should I export?';
    case 'refused':
      return 'You cannot request data exports';
    case 'submittedElsewhere':
    case 'cancelled':
    case 'stale':
    case 'notYours':
      return 'Export request';
    default:
      return assertNever(reply);
  }
}

export function approvalsChannelText(
  reply: SetApprovalsChannelReply,
  allowedRoles: readonly string[],
): string {
  switch (reply.kind) {
    case 'refused':
      return refusalText(reply.reason, allowedRoles).replace(
        'request or approve data exports',
        'choose the approvals channel',
      );
    case 'notAChannel':
      return 'Say this in the channel the approvers use, with an @mention of me: "use this channel for approvals".';
    case 'sharedChannel':
      return 'This is a shared channel: people of other organisations could see every request posted here. Choose a standard or private channel of your own team for approvals.';
    case 'fixedByConfiguration':
      return `The approvals channel is fixed by configuration (APPROVALS_CHANNEL_ID = ${reply.channelId}); change it there.`;
    case 'set':
      return `Done: approval cards for data-export requests will be posted in this channel.${reply.waiting > 0 ? ` ${reply.waiting} waiting request${reply.waiting === 1 ? '' : 's'} will be posted now.` : ''}`;
    default:
      return assertNever(reply);
  }
}
