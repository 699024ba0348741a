import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { DEMO_BOT_ID, DEMO_TENANT_ID, DEMO_USERS, type SandboxUser } from '../../sandbox/demo-tenant';

export const BOT = { id: `28:${DEMO_BOT_ID}`, name: 'DSR Export Bot' };

export function person(displayName: string): SandboxUser {
  const u = DEMO_USERS.find((x) => x.displayName === displayName);
  if (!u) throw new Error(`No demo user ${displayName}`);
  return u;
}

export interface ActivityOptions {
  readonly from?: SandboxUser;
  readonly tenantId?: string;
  readonly conversationId?: string;
  readonly serviceUrl: string;
}

function base(type: string, o: ActivityOptions, conversation: Record<string, unknown>): Partial<Activity> {
  const from = o.from ?? person('Alex Wilber');
  const tenantId = o.tenantId ?? DEMO_TENANT_ID;
  return {
    type,
    id: randomUUID(),
    timestamp: new Date(),
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    from: { id: `29:${from.teamsId ?? from.id}`, name: from.displayName, aadObjectId: from.id },
    recipient: BOT,
    conversation: { tenantId, ...conversation } as Activity['conversation'],
    channelData: { tenant: { id: tenantId } },
    locale: 'en-US',
  };
}

/** A message in the person's 1:1 chat with the bot, as Teams sends it. */
export function personalMessage(text: string, o: ActivityOptions): Partial<Activity> {
  return {
    ...base('message', o, {
      id: o.conversationId ?? `a:personal-${randomUUID()}`,
      conversationType: 'personal',
    }),
    text,
    textFormat: 'plain',
  };
}

/** A channel message that @mentions the bot, as Teams sends it (the mention is in the text and entities). */
export function channelMention(text: string, o: ActivityOptions & { teamId?: string }): Partial<Activity> {
  const channelId = o.conversationId ?? `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`;
  const activity = base('message', o, { id: channelId, conversationType: 'channel', isGroup: true });
  return {
    ...activity,
    text: `<at>${BOT.name}</at> ${text}`,
    entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }],
    channelData: {
      ...(activity.channelData as object),
      team: { id: o.teamId ?? channelId, name: 'Privacy' },
      channel: { id: channelId, name: 'Approvals' },
    },
  };
}

/** The bot was installed in (action add) or removed from (action remove) a personal scope. */
export function installationUpdate(action: 'add' | 'remove', o: ActivityOptions): Partial<Activity> {
  return {
    ...base('installationUpdate', o, {
      id: o.conversationId ?? `a:personal-${randomUUID()}`,
      conversationType: 'personal',
    }),
    action,
  };
}

/** A person @mentioned in a message, as Teams sends it: display text in the message, Teams user id in the entity. */
export function personMention(u: SandboxUser, shownAs = u.displayName) {
  return {
    type: 'mention',
    text: `<at>${shownAs}</at>`,
    mentioned: { id: `29:${u.teamsId ?? u.id}`, name: shownAs },
  };
}

/** A group-chat message that @mentions the bot (bots only see group messages that mention them). */
export function groupMention(
  text: string,
  o: ActivityOptions,
  extraEntities: { type: string }[] = [],
): Partial<Activity> {
  const activity = base('message', o, {
    id: o.conversationId ?? `19:${randomUUID().replace(/-/g, '')}@thread.v2`,
    conversationType: 'groupChat',
    isGroup: true,
  });
  return {
    ...activity,
    text: `<at>${BOT.name}</at> ${text}`,
    entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }, ...extraEntities],
  };
}

/** An Action.Execute click: the adaptiveCard/action invoke Teams sends, in the conversation of `conversationId`. */
export function cardInvoke(
  verb: string,
  data: Record<string, unknown>,
  o: ActivityOptions & { conversationType?: string },
): Partial<Activity> {
  return {
    ...base('invoke', o, {
      id: o.conversationId ?? `a:personal-${randomUUID()}`,
      conversationType: o.conversationType ?? 'personal',
    }),
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** An Action.Submit click (the fallback for clients without Universal Actions): a message carrying `value`. */
export function cardSubmit(data: Record<string, unknown>, o: ActivityOptions): Partial<Activity> {
  return {
    ...base('message', o, {
      id: o.conversationId ?? `a:personal-${randomUUID()}`,
      conversationType: 'personal',
    }),
    value: data,
  };
}
