import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/render';
import { sameId } from '../../domain/identity';
import { cleanText } from '../../domain/text';
import type { Caller } from '../../usecases/who-am-i';

/**
 * Identity as Teams asserts it: the sender's object id and the conversation's tenant. Never card data. When
 * the activity names its tenant twice (`conversation.tenantId` and `channelData.tenant.id`) and the two
 * disagree, or the activity does not come from Teams, the tenant is unknown: every check that needs the home
 * tenant then refuses.
 */
export function callerOf(activity: Partial<Activity>): Caller {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromConversation = text(activity.conversation?.tenantId);
  const fromChannelData = text(channelData?.tenant?.id);
  // Only Teams asserts who and where: on other channels of the same Azure Bot (Web Chat, Direct Line) the
  // client writes these fields itself, so nobody there belongs to any tenant.
  const fromTeams = activity.channelId === 'msteams';
  const tenantId =
    !fromTeams || (fromConversation && fromChannelData && !sameId(fromConversation, fromChannelData))
      ? undefined
      : (fromConversation ?? fromChannelData);
  return {
    aadObjectId: text(activity.from?.aadObjectId),
    tenantId,
    // A display name is text a person chose: cleaned and bounded like any other.
    name: cleanText(activity.from?.name, 120) || undefined,
  };
}

/** A non-blank string from the activity, trimmed, or undefined (activities are JSON: any type may arrive). */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A message carrying one Adaptive Card, with a summary for notifications. */
export const cardMessage = (card: AdaptiveCard, summary: string): Partial<Activity> => ({
  ...MessageFactory.attachment(CardFactory.adaptiveCard(card)),
  summary,
});

/**
 * Freezes a JSON-like value and everything it holds, and returns it: for what is built once and sent on many
 * turns, so that a turn that changes it fails loudly instead of changing it for the next one.
 */
export function deepFreeze<T>(value: T): Readonly<T> {
  const pending: unknown[] = [value];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next !== 'object' || next === null || Object.isFrozen(next)) continue;
    Object.freeze(next);
    pending.push(...(Object.values(next) as unknown[]));
  }
  return value;
}
