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
import { assertNever, type ExportRequest, type PostedCard } from '../../domain/export-request';
import type { Job } from '../../domain/jobs';
import { isoDate } from '../../domain/policies';
import { AlreadyExistsError, type ApprovalsChannel, type SettingsStore } from '../../domain/ports';
import { describeError, type Logger } from '../../logger';
import { applyEvent } from '../../usecases/apply-event';
import { verifyDecision, type DecideDeps } from '../../usecases/decide-approval';
import {
  checkSubmission,
  pollExport,
  revokeSas,
  submitExport,
  type ExportDeps,
} from '../../usecases/run-export';
import { TableStore } from '../storage/table-store';
import type { SendPacer } from './pacer';

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
  /** How long a job's claim to post an approval card holds others back (at least the worker's lease). */
  readonly postClaimMs: number;
  /** The export jobs (submit, evidence, poll, revoke). */
  readonly exports: ExportDeps;
  /** The Azure portal, for the container link on finished cards. */
  readonly portal: PortalLinks;
  /** Keeps sends inside Teams' rate limits. */
  readonly pacer: SendPacer;
  readonly log: Logger;
}

/** A send that would wait long for Teams' rate limits: the job is put back on the queue for later. */
class SendLater extends Error {
  constructor(readonly ms: number) {
    super(`Teams' rate limit for this conversation: sending in ${ms} ms`);
  }
}

/** How long one proactive turn (a send, an update, a new thread) may take before the job counts it failed. */
const TEAMS_CALL_TIMEOUT_MS = 30_000;

/** Waits this long in the job at most; longer, and the job is rescheduled instead of holding a worker slot. */
const MAX_PACING_WAIT_MS = 1000;

/** The conversation id of the thread an approval card started in its channel. */
function threadOf(posted: PostedCard): string {
  return `${posted.conversationId};messageid=${posted.activityId}`;
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

  const audit = (
    request: ExportRequest,
    action: 'notification.sent' | 'notification.failed',
    detail: string,
  ) =>
    deps.decide.audit.append({
      at: deps.decide.clock.now().toISOString(),
      action,
      actor: { name: 'DSR export bot' },
      outcome: action === 'notification.sent' ? 'ok' : 'refused',
      requestId: request.id,
      detail,
    });

  /**
   * Sends a notice once per request and key: a job that runs again after the notice went out does not send
   * it again. (Teams has no idempotency key: a crash in the instant between Teams' answer and this record
   * is the one case that can repeat a notice.)
   */
  async function once(
    request: ExportRequest,
    key: string,
    where: string,
    send: () => Promise<void>,
  ): Promise<void> {
    if (await deps.notices.get(request.id, key)) return;
    deps.exports.failpoint?.('notify.before');
    await send();
    try {
      await deps.notices.create(request.id, key, { at: deps.decide.clock.now().toISOString() });
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
      return;
    }
    await audit(request, 'notification.sent', `sent "${key}" to ${where}`);
  }

  /** 403/404 from Teams: the bot is not (or no longer) there. Final: never retried. */
  const isGone = (err: unknown) => {
    const { status } = connectorCode(err);
    return status === 403 || status === 404;
  };

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
    const found = await deps.decide.requests.get(requestId);
    if (!found || found.approvalCard || found.status !== 'pendingApproval') return;
    const target = await channel();
    if (!target) return; // no channel yet: posted when one is set
    // Claim the post first: a second job (a repeat, a sweep, another instance) finds the claim and waits for
    // the card instead of posting another one.
    const claim = await applyEvent(deps.decide, requestId, {
      type: 'cardPostClaimed',
      claimId: deps.decide.newId(),
      until: new Date(deps.decide.clock.now().getTime() + deps.postClaimMs).toISOString(),
    });
    if (!claim.ok) {
      const fresh = 'request' in claim ? claim.request : undefined;
      // Another job is posting: look again when its claim runs out (by then the card is there, or it died).
      if (fresh && !fresh.approvalCard && fresh.cardPosting) {
        await deps.decide.jobs.enqueue(
          { type: 'postApprovalCard', requestId },
          new Date(Date.parse(fresh.cardPosting.until) + 1000),
        );
      }
      return;
    }
    const request = claim.request;
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
    try {
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
    } catch (err) {
      if (!isGone(err)) throw err;
      // Final: the thread replies and the requester's notices still go out (with their own fallbacks).
      const { code } = connectorCode(err);
      await audit(request, 'notification.failed', `Teams refused the card update (${code ?? 'error'})`);
    }
  }

  async function replyInThread(requestId: string, key: string, text: string): Promise<void> {
    const request = await deps.decide.requests.get(requestId);
    const posted = request?.approvalCard;
    if (!request || !posted) return;
    const thread = threadOf(posted);
    try {
      await once(request, `thread-${key}`, 'the approval thread', async () => {
        await paced(thread);
        await inConversation(reference(posted.serviceUrl, thread, 'channel'), (context) =>
          sendToConversation(context, { type: 'message', text, textFormat: 'plain' }),
        );
      });
    } catch (err) {
      if (!isGone(err)) throw err;
      // The bot was removed from the team or the channel is gone: tell the requester instead, record it.
      const { code } = connectorCode(err);
      await once(request, `thread-${key}`, 'nowhere (the channel refused)', async () => {
        await audit(
          request,
          'notification.failed',
          `the approvals channel refused "${key}" (${code ?? 'error'}); the requester is told instead`,
        );
        await deps.decide.jobs.enqueue({
          type: 'notifyRequester',
          requestId,
          key: `fallback-${key}`,
          text: `${text} (I could not post this in the approvals channel: ${code ?? 'error'}.)`,
        });
      });
    }
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

  /**
   * Tells the requester in a 1:1 chat: the personal chat they asked in, or one the bot opens. When Teams
   * refuses the 1:1 (the app is not installed for them), the conversation they asked in; when that is gone
   * too, the record says so and the stale reference is dropped.
   */
  async function notifyRequester(requestId: string, key: string, text: string): Promise<void> {
    const request = await deps.decide.requests.get(requestId);
    if (!request) return;
    const where = request.requestedIn;
    const storeKey = `_${deps.tenantId}_${where.id}`;
    const stored = await deps.references.get(storeKey);
    const serviceUrl =
      stored?.serviceUrl ?? request.approvalCard?.serviceUrl ?? (await channel())?.serviceUrl;
    if (!serviceUrl) {
      await audit(request, 'notification.failed', `no conversation known to tell the requester "${key}"`);
      return;
    }
    try {
      await once(request, `requester-${key}`, "the requester's chat", async () => {
        if (where.type === 'personal') return sendTo(serviceUrl, where.id, 'personal', text);
        let chat: string | undefined;
        try {
          chat = await personalChat(serviceUrl, request.requester.aadObjectId);
        } catch (err) {
          if (!isGone(err)) throw err;
          deps.log.warn('Could not open a 1:1 chat with the requester; answering where they asked', {
            requestId,
          });
        }
        if (chat) return sendTo(serviceUrl, chat, 'personal', text);
        return sendTo(serviceUrl, where.id, where.type, text);
      });
    } catch (err) {
      if (!isGone(err)) throw err;
      const { code } = connectorCode(err);
      if (stored) await deps.references.remove(storeKey, stored);
      await once(request, `requester-${key}`, 'nowhere (Teams refused)', () =>
        audit(
          request,
          'notification.failed',
          `Teams refused "${key}" for the requester (${code ?? 'error'}); the conversation reference was dropped`,
        ),
      );
    }
  }

  return async (job: Job): Promise<void> => {
    try {
      await run(job);
    } catch (err) {
      if (!(err instanceof SendLater)) throw err;
      // Teams' limits for that conversation are used up: come back then, leaving the worker free meanwhile.
      await deps.decide.jobs.enqueue(job, new Date(deps.decide.clock.now().getTime() + err.ms));
    }
  };

  async function run(job: Job): Promise<void> {
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
      case 'remind':
      case 'expire':
        // The workflow arms the next reminder; a timer the request no longer waits for is stale.
        await applyEvent(deps.decide, job.requestId, {
          type: job.type,
          ...(job.at !== undefined ? { at: job.at } : {}),
        });
        return;
      case 'submitExport':
        return submitExport(deps.exports, job.requestId, job.attempt, job.at);
      case 'checkSubmission':
        return checkSubmission(deps.exports, job.requestId, job.attempt, job.at);
      case 'pollExport':
        return pollExport(deps.exports, job.requestId, job.attempt, job.at);
      case 'revokeSas':
        return revokeSas(deps.exports, job.requestId, job.attempt);
      default:
        return assertNever(job);
    }
  }
}
