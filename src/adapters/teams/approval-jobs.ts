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
import { approvalCard, MAX_REFRESH_USERS } from '../../cards/approval-card';
import { assertNever, type ExportRequest } from '../../domain/export-request';
import type { Job } from '../../domain/jobs';
import { isoDate } from '../../domain/policies';
import { AlreadyExistsError, type ApprovalsChannel, type SettingsStore } from '../../domain/ports';
import { describeError, type Logger } from '../../logger';
import { applyEvent } from '../../usecases/apply-event';
import { verifyDecision, type DecideDeps } from '../../usecases/decide-approval';
import { TableStore } from '../storage/table-store';

export interface ApprovalJobDeps {
  readonly adapter: CloudAdapter;
  readonly botAppId: string;
  readonly tenantId: string;
  readonly decide: DecideDeps;
  readonly settings: SettingsStore;
  /** APPROVALS_CHANNEL_ID, when configured (its serviceUrl is taken from a stored installation). */
  readonly approvalsChannelId: string | undefined;
  readonly references: ConversationReferenceStore & {
    get(key: string): Promise<Partial<ConversationReference> | undefined>;
  };
  /** Notices already sent (request id + key), so a retried job does not send twice. */
  readonly notices: TableStore<{ at: string }>;
  readonly approvalTimers: { readonly remindAfterMs: number; readonly expireAfterMs: number };
  readonly log: Logger;
}

const DEFAULT_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

/** A Bot Framework error code (BotNotInConversationRoster, ConversationNotFound …) from a connector error. */
function connectorCode(err: unknown): { status: number | undefined; code: string | undefined } {
  const e = err as { statusCode?: number; code?: string; body?: { error?: { code?: string } } };
  return { status: e.statusCode, code: e.body?.error?.code ?? e.code };
}

/**
 * Sends a message into the turn's conversation as a proactive message (POST …/activities), not as a reply to
 * the continuation's own made-up activity id.
 */
async function sendToConversation(context: TurnContext, activity: Partial<Activity>): Promise<void> {
  const connector = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
  await connector.conversations.sendToConversation(context.activity.conversation.id, {
    ...activity,
    from: context.activity.recipient,
    recipient: context.activity.from,
    conversation: context.activity.conversation,
    channelId: context.activity.channelId,
    serviceUrl: context.activity.serviceUrl,
  });
}

/** Runs the approval jobs: post, update and reply to approval cards, notify requesters, verify claims. */
export function createApprovalJobHandler(deps: ApprovalJobDeps): (job: Job) => Promise<void> {
  const today = () => isoDate(deps.decide.clock.now());

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
   * swallowed; a job must fail instead (so it is retried or reported), so the error is carried out.
   */
  async function inConversation(
    ref: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ) {
    let failure: { error: unknown } | undefined;
    await deps.adapter.continueConversationAsync(deps.botAppId, ref, async (context) => {
      try {
        await logic(context);
      } catch (error) {
        failure = { error };
      }
    });
    // Rethrow what the connector threw, as it was (its status code tells the job what to do).

    if (failure) throw failure.error;
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
    return approvalCard({ request, view: 'viewer', today: today(), refreshUserIds: userIds, shared: true });
  }

  async function once(request: ExportRequest, key: string, send: () => Promise<void>): Promise<void> {
    if (await deps.notices.get(request.id, key)) return;
    await send();
    try {
      await deps.notices.create(request.id, key, { at: deps.decide.clock.now().toISOString() });
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
    }
  }

  async function reportNotInChannel(request: ExportRequest, err: unknown): Promise<void> {
    const { code } = connectorCode(err);
    await deps.decide.audit.append({
      at: deps.decide.clock.now().toISOString(),
      action: 'notification.failed',
      actor: { name: 'DSR export bot' },
      outcome: 'refused',
      requestId: request.id,
      detail: `could not post the approval card (${code ?? 'error'}); the request is kept`,
    });
    await deps.decide.jobs.enqueue({
      type: 'notifyRequester',
      requestId: request.id,
      key: `not-in-channel-${code ?? 'error'}`,
      text: `I could not post ${request.id} in the approvals channel (${code ?? 'error'}): add me to that team, or have an admin say "use this channel for approvals" in a channel where I am installed. Your request is kept.`,
    });
  }

  async function post(requestId: string): Promise<void> {
    const request = await deps.decide.requests.get(requestId);
    if (!request || request.approvalCard || request.status !== 'pendingApproval') return;
    const target = await channel();
    if (!target) return; // no channel yet: posted when one is set
    let activityId: string | undefined;
    try {
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
    } catch (err) {
      const { status } = connectorCode(err);
      if (status === 403 || status === 404) return reportNotInChannel(request, err);
      throw err;
    }
    if (!activityId) throw new Error(`Teams returned no activity id for ${request.id}'s approval card`);
    await applyEvent(deps.decide, request.id, {
      type: 'cardPosted',
      conversationId: target.conversationId,
      activityId,
      serviceUrl: target.serviceUrl,
    });
  }

  async function update(requestId: string): Promise<void> {
    const request = await deps.decide.requests.get(requestId);
    const posted = request?.approvalCard;
    if (!request || !posted) return;
    await inConversation(reference(posted.serviceUrl, posted.conversationId, 'channel'), async (context) => {
      const card = await sharedCard(request, context);
      await context.updateActivity({
        ...MessageFactory.attachment(CardFactory.adaptiveCard(card)),
        id: posted.activityId,
      });
    });
  }

  async function replyInThread(requestId: string, key: string, text: string): Promise<void> {
    const request = await deps.decide.requests.get(requestId);
    const posted = request?.approvalCard;
    if (!request || !posted) return;
    await once(request, `thread-${key}`, () =>
      inConversation(
        reference(posted.serviceUrl, `${posted.conversationId};messageid=${posted.activityId}`, 'channel'),
        (context) => sendToConversation(context, { type: 'message', text, textFormat: 'plain' }),
      ),
    );
  }

  async function notifyRequester(requestId: string, key: string, text: string): Promise<void> {
    const request = await deps.decide.requests.get(requestId);
    if (!request) return;
    const where = request.requestedIn;
    const stored = await deps.references.get(`_${deps.tenantId}_${where.id}`);
    if (!stored?.serviceUrl) {
      deps.log.warn('No conversation reference to notify the requester', {
        requestId,
        conversationType: where.type,
      });
      return;
    }
    await once(request, `requester-${key}`, () =>
      inConversation(reference(stored.serviceUrl!, where.id, where.type), (context) =>
        sendToConversation(context, { type: 'message', text, textFormat: 'plain' }),
      ),
    );
  }

  return async (job: Job): Promise<void> => {
    switch (job.type) {
      case 'postApprovalCard':
        return post(job.requestId);
      case 'updateApprovalCard':
        return update(job.requestId);
      case 'replyInThread':
        return replyInThread(job.requestId, job.key, job.text);
      case 'notifyRequester':
        return notifyRequester(job.requestId, job.key, job.text);
      case 'verifyDecision':
        return verifyDecision(deps.decide, job.requestId, job.claimId);
      case 'remind': {
        const reminded = await applyEvent(deps.decide, job.requestId, { type: 'remind' });
        if (!reminded.ok) return; // decided meanwhile: no more reminders
        const next = deps.decide.clock.now().getTime() + deps.approvalTimers.remindAfterMs;
        const expires = Date.parse(reminded.request.createdAt) + deps.approvalTimers.expireAfterMs;
        if (next < expires)
          await deps.decide.jobs.enqueue({ type: 'remind', requestId: job.requestId }, new Date(next));
        return;
      }
      case 'expire':
        await applyEvent(deps.decide, job.requestId, { type: 'expire' });
        return;
      default:
        return assertNever(job);
    }
  };
}
