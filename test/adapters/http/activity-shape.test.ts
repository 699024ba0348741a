import { activityShapeProblem, MAX_JSON_DEPTH } from '../../../src/adapters/http/activity-shape';
import {
  BOT,
  cardInvoke,
  cardSubmit,
  channelMention,
  groupMention,
  installationUpdate,
  person,
  personalMessage,
  personMention,
} from '../../support/activities';

const good = {
  type: 'message',
  conversation: { id: 'a:1' },
  recipient: { id: '28:bot' },
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  channelId: 'msteams',
};

const TENANT = 'c0a70500-0000-4000-8000-000000000001';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

/** A channel message that @mentions the bot, as Teams sends it (shape from a Teams channel, ids replaced). */
const teamsChannelMessage = {
  text: '<at>DSR Export Bot</at> help',
  textFormat: 'plain',
  attachments: [
    { contentType: 'text/html', content: '<div><div><at id="0">DSR Export Bot</at> help</div></div>' },
  ],
  type: 'message',
  timestamp: '2026-01-09T10:00:00.1234567Z',
  localTimestamp: '2026-01-09T11:00:00.1234567+01:00',
  id: '1767952800123',
  channelId: 'msteams',
  serviceUrl: SERVICE_URL,
  from: {
    id: '29:1HkVvQqJ0aLk0bJm3s-F9d0ERWxkq4nq4lE8d3cHN2pRkN2v7a7mYHqTQ1g1o8VFr0QYx8m7Gx0Jx4F-2pH7hQw',
    name: 'Megan Bowen',
    aadObjectId: 'a1b2c3d4-0000-4000-8000-000000000002',
  },
  conversation: {
    isGroup: true,
    conversationType: 'channel',
    tenantId: TENANT,
    id: '19:5b7f0d1e4c9a4f1b8e2a3c4d5e6f7a8b@thread.tacv2;messageid=1767952800123',
  },
  recipient: { id: BOT.id, name: BOT.name },
  entities: [
    { mentioned: { id: BOT.id, name: BOT.name }, text: '<at>DSR Export Bot</at>', type: 'mention' },
    { locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Berlin', type: 'clientInfo' },
  ],
  channelData: {
    teamsChannelId: '19:5b7f0d1e4c9a4f1b8e2a3c4d5e6f7a8b@thread.tacv2',
    teamsTeamId: '19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2',
    channel: { id: '19:5b7f0d1e4c9a4f1b8e2a3c4d5e6f7a8b@thread.tacv2' },
    team: { id: '19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2' },
    tenant: { id: TENANT },
  },
  locale: 'en-US',
  localTimezone: 'Europe/Berlin',
};

/** An Action.Execute click from a Teams client, with the extras Teams adds (clientInfo, source, legacy). */
const teamsCardInvoke = {
  name: 'adaptiveCard/action',
  type: 'invoke',
  timestamp: '2026-01-09T10:01:00.000Z',
  localTimestamp: '2026-01-09T11:01:00.000+01:00',
  id: 'f:6f3c1a52-7d2e-4c1b-9a0e-1b2c3d4e5f60',
  channelId: 'msteams',
  serviceUrl: SERVICE_URL,
  from: teamsChannelMessage.from,
  conversation: teamsChannelMessage.conversation,
  recipient: teamsChannelMessage.recipient,
  entities: [
    { locale: 'en-US', country: 'US', platform: 'Windows', timezone: 'Europe/Berlin', type: 'clientInfo' },
  ],
  channelData: { tenant: { id: TENANT }, source: { name: 'message' }, legacy: { replyToId: '1:1abcDEF' } },
  replyToId: '1767952800123',
  value: {
    action: {
      type: 'Action.Execute',
      id: 'approve',
      title: 'Approve',
      verb: 'approval.approve',
      // Card data is whatever the card put there: nested, of any type.
      data: { requestId: 'DSR-2026-0001', nested: { list: [1, 'two', null, { three: [true] }] } },
    },
    trigger: 'manual',
  },
  locale: 'en-US',
  localTimezone: 'Europe/Berlin',
};

/** A channel's conversationUpdate when the team adds the bot. */
const teamsConversationUpdate = {
  membersAdded: [{ id: BOT.id }],
  type: 'conversationUpdate',
  timestamp: '2026-01-09T09:00:00.000Z',
  id: 'f:0123456789abcdef',
  channelId: 'msteams',
  serviceUrl: SERVICE_URL,
  from: { id: '29:1abc', aadObjectId: 'a1b2c3d4-0000-4000-8000-000000000002' },
  conversation: {
    isGroup: true,
    conversationType: 'channel',
    tenantId: TENANT,
    id: '19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2',
  },
  recipient: { id: BOT.id, name: BOT.name },
  channelData: {
    team: {
      aadGroupId: 'b7d3c5a1-0000-4000-8000-00000000000a',
      name: 'Privacy',
      id: '19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2',
    },
    eventType: 'teamMemberAdded',
    tenant: { id: TENANT },
  },
};

/** `levels` nested objects around a value, built without recursion. */
function nested(levels: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < levels; i++) v = i % 2 === 0 ? { a: v } : [v];
  return v;
}

describe('activityShapeProblem', () => {
  it('accepts a minimal Teams activity', () => {
    expect(activityShapeProblem(good)).toBeUndefined();
  });

  it.each([
    [null, /JSON object/],
    ['text', /JSON object/],
    [[good], /JSON object/],
    [{ ...good, type: '' }, /no "type"/],
    [{ ...good, conversation: undefined }, /no "conversation.id"/],
    [{ ...good, conversation: { id: 7 } }, /no "conversation.id"/],
    [{ ...good, serviceUrl: 'javascript:alert(1)' }, /serviceUrl/],
    [{ ...good, from: 'Alex' }, /"from" is not an object/],
    [{ ...good, channelId: undefined }, /channelId/],
    // botbuilder reads recipient.id on every message (to strip the bot's @mention): a TypeError without one.
    [{ ...good, recipient: undefined }, /no "recipient"/],
  ])('refuses %o', (body, problem) => {
    expect(activityShapeProblem(body)).toMatch(problem);
  });

  describe('keeps real Teams activities passing', () => {
    const o = { serviceUrl: SERVICE_URL, from: person('Alex Wilber') };
    it.each([
      ['a channel message with mention and clientInfo entities', teamsChannelMessage],
      ['an Action.Execute invoke with nested card data', teamsCardInvoke],
      ['a conversationUpdate when a team adds the bot', teamsConversationUpdate],
      ['a personal message', personalMessage('export data for adele', o)],
      ['a channel mention', channelMention('whoami', o)],
      [
        'a group mention naming a person',
        groupMention('export data for Adele', o, [personMention(person('Adele Vance'))]),
      ],
      ['an installationUpdate', installationUpdate('add', o)],
      ['an Action.Execute click', cardInvoke('intake.submit', { draftId: 'x', regime: 'GDPR' }, o)],
      ['an Action.Submit click', cardSubmit({ verb: 'intake.cancel', draftId: 'x' }, o)],
      [
        'card data nested 40 deep',
        { ...teamsCardInvoke, value: { action: { type: 'Action.Execute', verb: 'x', data: nested(40) } } },
      ],
      [
        'a display name with emoji and accents',
        { ...teamsChannelMessage, from: { ...teamsChannelMessage.from, name: 'Zoë 🙂 Ünal' } },
      ],
      [
        'a text with emoji and a lone surrogate (text is data, not an id)',
        { ...teamsChannelMessage, text: '<at>DSR Export Bot</at> hi 🙂 \ud800' },
      ],
      [
        'a text of 50,000 characters',
        { ...teamsChannelMessage, text: `<at>DSR Export Bot</at> ${'x'.repeat(50_000)}` },
      ],
      ['null optional names', { ...teamsChannelMessage, from: { ...teamsChannelMessage.from, name: null } }],
      [
        'a serviceUrl of a sovereign cloud',
        { ...teamsChannelMessage, serviceUrl: 'https://smba.infra.gcc.teams.microsoft.com/teams/' },
      ],
    ])('accepts %s', (_what, activity) => {
      expect(activityShapeProblem(JSON.parse(JSON.stringify(activity)) as unknown)).toBeUndefined();
    });
  });

  // Issue 11 fuzz: JSON nested thousands deep overflowed botbuilder's stack (RangeError) and failed the turn.
  describe('refuses JSON nested deeper than a sane bound (regression: RangeError in the turn)', () => {
    it(`refuses channelData nested ${MAX_JSON_DEPTH + 1} levels deep, naming the bound`, () => {
      const problem = activityShapeProblem({
        ...teamsChannelMessage,
        channelData: nested(MAX_JSON_DEPTH + 1),
      });
      expect(problem).toMatch(new RegExp(`nested deeper than ${MAX_JSON_DEPTH}`));
    });

    it('refuses 5,000 levels in card data without overflowing its own stack', () => {
      const value = { action: { type: 'Action.Execute', verb: 'approval.refresh', data: nested(5000) } };
      expect(activityShapeProblem({ ...teamsCardInvoke, value })).toMatch(/nested deeper/);
    });

    it(`accepts exactly ${MAX_JSON_DEPTH} levels`, () => {
      // The activity itself is the first level.
      expect(activityShapeProblem({ ...good, value: nested(MAX_JSON_DEPTH - 1) })).toBeUndefined();
    });
  });

  // Issue 11 fuzz: a lone UTF-16 surrogate in an id made botbuilder's encodeURIComponent throw (URIError), a
  // control character or a 450,000-character id broke the connector request; the turn failed.
  describe('refuses ids that are not well-formed strings of bounded length (regression: URIError, broken requests)', () => {
    it.each([
      [
        'conversation.id with a lone surrogate',
        { conversation: { ...teamsChannelMessage.conversation, id: 'a:1\ud800' } },
        /"conversation.id"/,
      ],
      [
        'conversation.id with a control character',
        { conversation: { ...teamsChannelMessage.conversation, id: 'a:1\u0000' } },
        /"conversation.id"/,
      ],
      [
        'conversation.id of 450,000 emoji',
        { conversation: { ...teamsChannelMessage.conversation, id: '🙂'.repeat(450_000) } },
        /"conversation.id"/,
      ],
      [
        'conversation.id of 257 characters',
        { conversation: { ...teamsChannelMessage.conversation, id: `a:${'x'.repeat(255)}` } },
        /"conversation.id".*256/,
      ],
      ['an activity id with a lone surrogate', { id: 'x\udcc1y' }, /"id"/],
      ['an activity id that is an object', { id: { toString: 'x', valueOf: 1 } }, /"id"/],
      ['a replyToId that is a number', { replyToId: 7 }, /"replyToId"/],
      ['from.id that is an object', { from: { ...teamsChannelMessage.from, id: {} } }, /"from.id"/],
      [
        'from.id with a lone surrogate',
        { from: { ...teamsChannelMessage.from, id: '29:\udbff' } },
        /"from.id"/,
      ],
      [
        'from.aadObjectId that is an array',
        { from: { ...teamsChannelMessage.from, aadObjectId: [] } },
        /"from.aadObjectId"/,
      ],
      [
        'recipient that is an array',
        { recipient: ['19:approvals', 'DSR-2026-0001'] },
        /"recipient" is not an object/,
      ],
      ['recipient.id that is true', { recipient: { id: true, name: BOT.name } }, /"recipient.id"/],
      [
        'conversation.tenantId that is an object',
        { conversation: { ...teamsChannelMessage.conversation, tenantId: {} } },
        /"conversation.tenantId"/,
      ],
      [
        'conversation.tenantId of 65 characters',
        { conversation: { ...teamsChannelMessage.conversation, tenantId: 'x'.repeat(65) } },
        /"conversation.tenantId"/,
      ],
      ['a channelId of 65 characters', { channelId: 'm'.repeat(65) }, /"channelId"/],
      ['a serviceUrl with a lone surrogate', { serviceUrl: `${SERVICE_URL}\ud800` }, /serviceUrl/],
      ['a serviceUrl with a query', { serviceUrl: `${SERVICE_URL}?x=1` }, /serviceUrl/],
      [
        'a serviceUrl with credentials',
        { serviceUrl: 'https://user:pw@smba.trafficmanager.net/emea/' },
        /serviceUrl/,
      ],
      ['a serviceUrl of 600 characters', { serviceUrl: `${SERVICE_URL}${'a'.repeat(600)}/` }, /serviceUrl/],
    ])('refuses %s', (_what, change, problem) => {
      expect(activityShapeProblem({ ...teamsChannelMessage, ...change })).toMatch(problem);
    });
  });

  // Issue 11 fuzz: botbuilder's serializer refuses a reply whose reference fields have the wrong type ("must be
  // of type string"), and its mention helpers read entities[i].type, mentioned.id and text without checks.
  describe('refuses fields whose wrong types crash botbuilder (regression: failed turns)', () => {
    it.each([
      [
        'from.name that is an object without valueOf',
        { from: { ...teamsChannelMessage.from, name: { toString: 'x', valueOf: 1 } } },
        /"from.name"/,
      ],
      ['from.role that is a number', { from: { ...teamsChannelMessage.from, role: -1 } }, /"from.role"/],
      ['recipient.name that is an array', { recipient: { id: BOT.id, name: [] } }, /"recipient.name"/],
      [
        'conversation.isGroup that is a string',
        { conversation: { ...teamsChannelMessage.conversation, isGroup: 'true' } },
        /"conversation.isGroup"/,
      ],
      [
        'conversation.conversationType that is false',
        { conversation: { ...teamsChannelMessage.conversation, conversationType: false } },
        /"conversation.conversationType"/,
      ],
      [
        'conversation.name that is an object',
        { conversation: { ...teamsChannelMessage.conversation, name: {} } },
        /"conversation.name"/,
      ],
      ['a locale that is a number', { locale: 1.5 }, /"locale"/],
      ['a text that is an array', { text: [] }, /"text"/],
      ['a text that is an object', { text: { __proto__: { isAdmin: true } } }, /"text"/],
      ['entities that are null', { entities: null }, /"entities"/],
      ['entities that are a string', { entities: 'mention' }, /"entities"/],
      ['an entity that is null', { entities: [null] }, /"entities\[0\]"/],
      [
        'an entity without a type',
        { entities: [{ text: '<at>DSR Export Bot</at>', mentioned: BOT }] },
        /"entities\[0\].type"/,
      ],
      [
        'an entity whose type is an array',
        { entities: [{ type: [5, 'x'], text: 'x', mentioned: BOT }] },
        /"entities\[0\].type"/,
      ],
      [
        'a mention without "mentioned"',
        { entities: [{ type: 'mention', text: '<at>x</at>' }] },
        /"entities\[0\].mentioned"/,
      ],
      [
        'a mention whose "mentioned" is null',
        { entities: [{ type: 'mention', text: '<at>x</at>', mentioned: null }] },
        /"entities\[0\].mentioned"/,
      ],
      [
        'a mention whose text is null',
        { entities: [{ type: 'Mention', text: null, mentioned: BOT }] },
        /"entities\[0\].text"/,
      ],
      ['a message mentioning the bot without text', { text: undefined }, /mentions .* no "text"/],
    ])('refuses %s', (_what, change, problem) => {
      expect(activityShapeProblem({ ...teamsChannelMessage, ...change })).toMatch(problem);
    });
  });
});
