import { randomUUID } from 'node:crypto';
import { TeamsInfo, TurnContext, type Activity, type Mention } from 'botbuilder';
import type { TeamsFxBotCommandHandler } from '@microsoft/teamsfx';
import type { AdaptiveCard } from '../../cards/render';
import { noticeCard } from '../../cards/intake-cards';
import { VERB, type IntakeVerb } from '../../cards/verbs';
import type { ConversationRef } from '../../domain/export-request';
import { parseIntent, type SubjectRef } from '../../domain/intent';
import { isoDate } from '../../domain/policies';
import { DirectoryError } from '../../domain/ports';
import { describeError, type Logger } from '../../logger';
import type { IntakeAction, SubjectQuery } from '../../domain/intake';
import { continueIntake, startIntake, type IntakeDeps } from '../../usecases/intake';
import { setApprovalsChannel } from '../../usecases/set-approvals-channel';
import {
  approvalsChannelText,
  intakeReplyCard,
  intakeReplySummary,
  type ReplyContext,
} from './intake-replies';
import { callerOf, cardMessage } from './activity';
import { COMMANDS } from './commands';

/** Card verbs → the intake action they stand for. Card data is untrusted: only the fields named here are read. */
const ACTIONS = {
  [VERB.find]: (data) => ({
    verb: 'find',
    query: typeof data.subjectQuery === 'string' ? data.subjectQuery : '',
  }),
  [VERB.pick]: (data) => ({ verb: 'pick', choice: Number(data.choice) }),
  [VERB.acknowledgeDuplicate]: () => ({ verb: 'acknowledgeDuplicate' }),
  [VERB.submit]: (data) => ({ verb: 'submit', inputs: data }),
  [VERB.cancel]: () => ({ verb: 'cancel' }),
} satisfies Record<IntakeVerb, (data: Record<string, unknown>) => IntakeAction>;

/** The message text without the bot's own @mention. */
function textWithoutBotMention(activity: Partial<Activity>): string {
  const removed = TurnContext.removeRecipientMention(activity);
  return (removed ?? activity.text ?? '').trim();
}

function conversationOf(activity: Partial<Activity>): ConversationRef {
  const t = activity.conversation?.conversationType;
  return {
    id: activity.conversation?.id ?? '',
    type: t === 'channel' ? 'channel' : t === 'groupChat' ? 'groupChat' : 'personal',
  };
}

export interface IntakeHandlers {
  readonly exportCommand: TeamsFxBotCommandHandler;
  /** Runs the export (or approvals channel) command for `text`, as if it had been typed so. */
  exportText(context: TurnContext, text: string): Promise<string | Partial<Activity>>;
  /** Handles an intake card verb (Action.Execute invoke or Action.Submit fallback); returns the card to show. */
  cardAction(context: TurnContext, verb: IntakeVerb, data: Record<string, unknown>): Promise<AdaptiveCard>;
}

export function createIntakeHandlers(
  deps: IntakeDeps,
  allowedRoles: readonly string[],
  log: Logger,
): IntakeHandlers {
  const ctx = (context: TurnContext): ReplyContext => ({
    today: isoDate(deps.clock.now()),
    allowedRoles,
    privateChat: conversationOf(context.activity).type === 'personal',
  });

  /** A Teams @mention of a person: its user id, turned into an Entra object id (never its display text). */
  async function subjectFrom(context: TurnContext, ref: SubjectRef): Promise<SubjectQuery | string> {
    if (ref.kind !== 'mention')
      return ref.kind === 'text' ? { kind: 'text', text: ref.text } : { kind: 'none' };
    const mention = (context.activity.entities ?? []).find(
      (e): e is Mention & { type: 'mention' } =>
        e.type === 'mention' &&
        typeof (e as Mention).text === 'string' &&
        (e as Mention).text.toLowerCase() === ref.mentionText.toLowerCase() &&
        (e as Mention).mentioned?.id !== context.activity.recipient?.id,
    );
    if (!mention) return { kind: 'text', text: ref.mentionText.replace(/<\/?at>/gi, '') };
    const direct = (mention.mentioned as { aadObjectId?: unknown }).aadObjectId;
    if (typeof direct === 'string' && direct !== '') return { kind: 'objectId', aadObjectId: direct };
    try {
      const member = await TeamsInfo.getMember(context, mention.mentioned.id);
      if (member.aadObjectId) return { kind: 'objectId', aadObjectId: member.aadObjectId };
    } catch (err) {
      log.warn('Could not resolve a mention', { error: describeError(err) });
    }
    return 'I could not look up the person you mentioned in this conversation. Type their sign-in name or email address instead, for example "export data for adelev@contoso.com".';
  }

  const failure = (err: unknown, where: string): AdaptiveCard => {
    if (err instanceof DirectoryError) {
      log.warn(`${where}: Graph call failed`, { error: describeError(err) });
      return noticeCard({ title: 'I could not look that up', text: err.message, tone: 'attention' });
    }
    const reference = randomUUID().slice(0, 8);
    log.error(`${where} failed`, { reference, error: describeError(err) });
    return noticeCard({
      title: 'Something went wrong on my side',
      text: `Nothing was lost; please try again. If it keeps happening, give the reference ${reference} to whoever runs the bot.`,
      tone: 'attention',
    });
  };

  const exportCommand: TeamsFxBotCommandHandler = {
    triggerPatterns: [COMMANDS.exportData.pattern, COMMANDS.approvalsChannel.pattern],
    handleCommandReceived: (context: TurnContext) =>
      exportText(context, textWithoutBotMention(context.activity)),
  };

  /** The export command (or "use this channel for approvals") for `text`, the bot's mention removed. */
  async function exportText(context: TurnContext, text: string): Promise<string | Partial<Activity>> {
    const intent = parseIntent(text);
    const caller = callerOf(context.activity);
    if (!intent) {
      return 'I did not understand that request. Try "export data for adelev@contoso.com", "export data for Adele Vance", or "export data" and I will ask whom you mean.';
    }
    if (intent.kind === 'setApprovalsChannel') {
      const channelData = context.activity.channelData as
        { channel?: { id?: string; membershipType?: unknown }; team?: { id?: string } } | undefined;
      try {
        const reply = await setApprovalsChannel(deps, caller, {
          isChannel: context.activity.conversation?.conversationType === 'channel',
          channelId: channelData?.channel?.id ?? context.activity.conversation?.id,
          teamId: channelData?.team?.id,
          serviceUrl: context.activity.serviceUrl ?? '',
          ...(typeof channelData?.channel?.membershipType === 'string'
            ? { membershipType: channelData.channel.membershipType }
            : {}),
        });
        return { type: 'message', text: approvalsChannelText(reply, allowedRoles), textFormat: 'plain' };
      } catch (err) {
        return cardMessage(failure(err, 'set approvals channel'), 'Approvals channel');
      }
    }
    try {
      const subject = await subjectFrom(context, intent.subject);
      if (typeof subject === 'string') return { type: 'message', text: subject, textFormat: 'plain' };
      const reply = await startIntake(deps, {
        caller,
        conversation: conversationOf(context.activity),
        subject,
        regime: intent.regime,
      });
      return cardMessage(intakeReplyCard(reply, ctx(context)), intakeReplySummary(reply));
    } catch (err) {
      return cardMessage(failure(err, 'export request'), 'Export request');
    }
  }

  return {
    exportCommand,
    exportText,
    async cardAction(context, verb, fields) {
      try {
        const reply = await continueIntake(
          deps,
          callerOf(context.activity),
          typeof context.activity.conversation?.id === 'string' ? context.activity.conversation.id : '',
          typeof fields.draftId === 'string' ? fields.draftId : '',
          ACTIONS[verb](fields),
        );
        return intakeReplyCard(reply, ctx(context));
      } catch (err) {
        return failure(err, `card action ${verb}`);
      }
    },
  };
}
