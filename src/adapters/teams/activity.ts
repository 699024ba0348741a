import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/render';
import type { Caller } from '../../usecases/who-am-i';

/** Identity as Teams asserts it: the sender's object id and the conversation's tenant. Never card data. */
export function callerOf(activity: Partial<Activity>): Caller {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const tenantId =
    activity.conversation?.tenantId ??
    (typeof channelData?.tenant?.id === 'string' ? channelData.tenant.id : undefined);
  return { aadObjectId: activity.from?.aadObjectId, tenantId, name: activity.from?.name };
}

/** A message carrying one Adaptive Card, with a summary for notifications. */
export const cardMessage = (card: AdaptiveCard, summary: string): Partial<Activity> => ({
  ...MessageFactory.attachment(CardFactory.adaptiveCard(card)),
  summary,
});
