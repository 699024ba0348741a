import {
  CardFactory,
  MessageFactory,
  TeamsInfo,
  type Activity,
  type CloudAdapter,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { ConversationReferenceStore } from '@microsoft/teamsfx';
import { approvalCard, MAX_REFRESH_USERS, type PortalLinks } from '../../cards/approval-card';
import type { ExportRequest } from '../../domain/export-request';
import { ConversationGoneError, SendLater, type Notifier } from '../../domain/notifier';
import { isoDate } from '../../domain/policies';
import type { ApprovalsChannel, Clock, SettingsStore } from '../../domain/ports';
import { describeError, type Logger } from '../../logger';
import { channelText } from './channel-words';
import { requesterText, threadText } from './notice-words';
import type { SendPacer } from './pacer';
import {
  DEFAULT_SERVICE_URL,
  MAX_PACING_WAIT_MS,
  TEAMS_CALL_TIMEOUT_MS,
  gone,
  sendToConversation,
  threadOf,
} from './proactive';

export interface TeamsNotifierDeps {
  readonly adapter: CloudAdapter;
  readonly botAppId: string;
  readonly tenantId: string;
  readonly settings: SettingsStore;
  /** APPROVALS_CHANNEL_ID, when configured (its serviceUrl is taken from a stored installation). */
  readonly approvalsChannelId: string | undefined;
  readonly references: ConversationReferenceStore & {
    get(key: string): Promise<Partial<ConversationReference> | undefined>;
  };
  /** The Azure portal, for the container link on finished cards. */
  readonly portal: PortalLinks;
  /** Keeps sends inside Teams' rate limits. */
  readonly pacer: SendPacer;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * The {@link Notifier} over Teams: proactive turns through the CloudAdapter, with Teams' rate limits (a busy
 * conversation throws {@link SendLater}), a deadline on every turn, and 403/404 turned into
 * {@link ConversationGoneError}. It knows where to post (the approvals channel) and how to reach a requester.
 */
export function createTeamsNotifier(deps: TeamsNotifierDeps): Notifier {
  const today = () => isoDate(deps.clock.now());

  async function channel(): Promise<ApprovalsChannel | undefined> {
    const stored = await deps.settings.getApprovalsChannel();
    if (deps.approvalsChannelId === undefined) return stored;
    if (stored?.conversationId === deps.approvalsChannelId) return stored;
    const any = (await deps.references.list(1)).data[0];
    return {
      conversationId: deps.approvalsChannelId,
      teamId: undefined,
      serviceUrl: any?.serviceUrl ?? DEFAULT_SERVICE_URL,
      setBy: { aadObjectId: '', name: 'APPROVALS_CHANNEL_ID' },
      setAt: '',
    };
  }

  const reference = (
    serviceUrl: string,
    conversationId: string,
    type: string,
  ): Partial<ConversationReference> => ({
    channelId: 'msteams',
    serviceUrl,
    conversation: {
      id: conversationId,
      isGroup: type !== 'personal',
      conversationType: type,
      tenantId: deps.tenantId,
      name: '',
    },
    bot: { id: deps.botAppId, name: 'DSR export bot' },
  });

  /**
   * Runs `logic` in a proactive turn. An error inside it would go to the adapter's turn-error handler and be
   * swallowed; a job must fail instead (so it is retried or reported), so the error is carried out: 403/404
   * as {@link ConversationGoneError}, anything else as the connector threw it.
   */
  async function inConversation(
    ref: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ) {
    let failure: { error: unknown } | undefined;
    const turn = deps.adapter.continueConversationAsync(deps.botAppId, ref, async (context) => {
      try {
        await logic(context);
      } catch (error) {
        failure = { error };
      }
    });
    // Every Teams call has a deadline: the job fails (and comes back) rather than holding a slot forever.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Teams did not answer within ${TEAMS_CALL_TIMEOUT_MS / 1000} s`)),
        TEAMS_CALL_TIMEOUT_MS,
      );
      timer.unref();
    });
    try {
      await Promise.race([turn, deadline]);
    } finally {
      clearTimeout(timer);
    }
    if (failure) throw gone(failure.error) ?? failure.error;
  }

  /** Members Teams should refresh the card for, or undefined (a manual refresh button) above 60. */
  async function refreshUserIds(context: TurnContext): Promise<string[] | undefined> {
    try {
      const page = await TeamsInfo.getPagedMembers(context, MAX_REFRESH_USERS);
      if (page.continuationToken || page.members.length > MAX_REFRESH_USERS) return undefined;
      return page.members.map((m) => m.id);
    } catch (err) {
      deps.log.warn('Could not list channel members for card refresh', { error: describeError(err) });
      return undefined;
    }
  }

  /** The card everyone in the channel sees (each viewer's own view comes by refresh while pending). */
  async function sharedCard(request: ExportRequest, context: TurnContext) {
    const userIds = request.status === 'pendingApproval' ? await refreshUserIds(context) : [];
    return approvalCard({
      request,
      view: 'viewer',
      today: today(),
      refreshUserIds: userIds,
      shared: true,
      portal: deps.portal,
    });
  }

  /**
   * Waits for Teams' rate limits. A conversation that is busy for a while defers the whole job (see
   * {@link SendLater}), so that other conversations go on; the app-wide limit is waited out in the job (every
   * send needs it, and putting jobs back on the queue would only churn it).
   */
  async function paced(conversationId: string): Promise<void> {
    const ms = deps.pacer.conversationDelay(conversationId);
    if (ms > MAX_PACING_WAIT_MS) throw new SendLater(deps.pacer.nextTurn(conversationId));
    await deps.pacer.wait(conversationId);
  }

  /** Opens (or finds: Teams returns the existing one) the 1:1 chat between the bot and a user. */
  async function personalChat(serviceUrl: string, aadObjectId: string): Promise<string> {
    let id: string | undefined;
    await inConversation(reference(serviceUrl, 'bot', 'personal'), async (context) => {
      const connector = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
      const created = await connector.conversations.createConversation({
        isGroup: false,
        bot: context.activity.recipient,
        members: [{ id: aadObjectId, name: '' }],
        tenantId: deps.tenantId,
        channelData: { tenant: { id: deps.tenantId } },
      });
      id = created.id;
    });
    if (!id) throw new Error('Teams returned no conversation id for the 1:1 chat');
    return id;
  }

  async function sendTo(serviceUrl: string, conversationId: string, type: string, text: string) {
    await paced(conversationId);
    await inConversation(reference(serviceUrl, conversationId, type), (context) =>
      sendToConversation(context, { type: 'message', text, textFormat: 'plain' }),
    );
  }

  return {
    async hasApprovalsChannel() {
      return (await channel()) !== undefined;
    },

    async postApprovalCard(request) {
      const target = await channel();
      if (!target) return undefined;
      let activityId: string | undefined;
      await inConversation(
        reference(target.serviceUrl, target.conversationId, 'channel'),
        async (context) => {
          const card = await sharedCard(request, context);
          // A new thread in the channel: createConversation, as Teams documents for proactive channel posts.
          const connector = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
          const created = await connector.conversations.createConversation({
            isGroup: true,
            channelData: { channel: { id: target.conversationId } },
            activity: {
              ...MessageFactory.attachment(CardFactory.adaptiveCard(card)),
              type: 'message',
              summary: `Data export request ${request.id} waits for approval`,
            } as Activity,
            bot: context.activity.recipient,
            tenantId: deps.tenantId,
            members: [],
          });
          activityId = created.activityId;
        },
      );
      if (!activityId) throw new Error(`Teams returned no activity id for ${request.id}'s approval card`);
      return {
        conversationId: target.conversationId,
        activityId,
        serviceUrl: target.serviceUrl,
        postedAt: deps.clock.now().toISOString(),
      };
    },

    async tellApprovalsChannel(notice) {
      const target = await channel();
      if (!target) return false;
      await paced(target.conversationId);
      await inConversation(
        reference(target.serviceUrl, target.conversationId, 'channel'),
        async (context) => {
          // A new post in the channel (its own thread), as the approval cards are.
          const connector = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
          await connector.conversations.createConversation({
            isGroup: true,
            channelData: { channel: { id: target.conversationId } },
            activity: { type: 'message', text: channelText(notice), textFormat: 'plain' } as Activity,
            bot: context.activity.recipient,
            tenantId: deps.tenantId,
            members: [],
          });
        },
      );
      return true;
    },

    async updateApprovalCard(request, posted) {
      await paced(threadOf(posted));
      await inConversation(
        reference(posted.serviceUrl, posted.conversationId, 'channel'),
        async (context) => {
          const card = await sharedCard(request, context);
          await context.updateActivity({
            ...MessageFactory.attachment(CardFactory.adaptiveCard(card)),
            id: posted.activityId,
          });
        },
      );
    },

    async replyInThread(_request, posted, notice) {
      const thread = threadOf(posted);
      const text = threadText(notice);
      await paced(thread);
      await inConversation(reference(posted.serviceUrl, thread, 'channel'), (context) =>
        sendToConversation(context, { type: 'message', text, textFormat: 'plain' }),
      );
    },

    /**
     * The personal chat they asked in, or one the bot opens. When Teams refuses the 1:1 (the app is not
     * installed for them), the conversation they asked in; when that is gone too, the stale reference is
     * dropped and {@link ConversationGoneError} says so.
     */
    async tellRequester(request, notice) {
      const text = requesterText(notice);
      const where = request.requestedIn;
      const storeKey = `_${deps.tenantId}_${where.id}`;
      const stored = await deps.references.get(storeKey);
      const serviceUrl =
        stored?.serviceUrl ?? request.approvalCard?.serviceUrl ?? (await channel())?.serviceUrl;
      if (!serviceUrl) throw new ConversationGoneError('NoConversationKnown');
      try {
        if (where.type === 'personal') return await sendTo(serviceUrl, where.id, 'personal', text);
        let chat: string | undefined;
        try {
          chat = await personalChat(serviceUrl, request.requester.aadObjectId);
        } catch (err) {
          if (!(err instanceof ConversationGoneError)) throw err;
          deps.log.warn('Could not open a 1:1 chat with the requester; answering where they asked', {
            requestId: request.id,
          });
        }
        if (chat) return await sendTo(serviceUrl, chat, 'personal', text);
        return await sendTo(serviceUrl, where.id, where.type, text);
      } catch (err) {
        if (err instanceof ConversationGoneError && stored) await deps.references.remove(storeKey, stored);
        throw err;
      }
    },
  };
}
