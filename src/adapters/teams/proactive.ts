import type { Activity, TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { PostedCard } from '../../domain/export-request';
import { ConversationGoneError } from '../../domain/notifier';

/* Proactive messages in Teams: deadlines, thread ids, connector errors, sending into a conversation. */

/** How long one proactive turn (a send, an update, a new thread) may take before the job counts it failed. */
export const TEAMS_CALL_TIMEOUT_MS = 30_000;

/** Waits this long in the job at most; longer, and the job is rescheduled instead of holding a worker slot. */
export const MAX_PACING_WAIT_MS = 1000;

export const DEFAULT_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

/** The conversation id of the thread an approval card started in its channel. */
export function threadOf(posted: PostedCard): string {
  return `${posted.conversationId};messageid=${posted.activityId}`;
}

/** A Bot Framework error code (BotNotInConversationRoster, ConversationNotFound …) from a connector error. */
export function connectorCode(err: unknown): { status: number | undefined; code: string | undefined } {
  const e = err as { statusCode?: number; code?: string; body?: { error?: { code?: string } } };
  return { status: e.statusCode, code: e.body?.error?.code ?? e.code };
}

/** 403/404 from Teams: the bot is not (or no longer) there. Final: never retried. */
export function gone(err: unknown): ConversationGoneError | undefined {
  const { status, code } = connectorCode(err);
  return status === 403 || status === 404 ? new ConversationGoneError(code) : undefined;
}

/**
 * Sends a message into the turn's conversation as a proactive message (POST …/activities), not as a reply to
 * the continuation's own made-up activity id.
 */
export async function sendToConversation(context: TurnContext, activity: Partial<Activity>): Promise<void> {
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
