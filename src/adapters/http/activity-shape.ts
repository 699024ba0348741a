/**
 * A first check of an inbound body before it reaches botbuilder. botbuilder trusts the activity's shape: a
 * missing `type` or `conversation` answers 500 with its exception text, and fields of the wrong type fail the
 * turn deep inside it (its serializer refuses a reply whose `from`, `recipient` or `conversation` fields are not
 * strings, its @mention helpers read `entities[i].type`, `mentioned.id` and `text` unchecked, a lone surrogate in
 * an id throws in `encodeURIComponent`, JSON nested thousands deep overflows the stack). Each of those becomes a
 * 400 here, with a message that says what is wrong, before any of the bot runs.
 *
 * Only what botbuilder and the bot rely on is checked; everything else (channelData, attachments, card data in
 * `value`) is free-form JSON, as Teams sends it. Bounds are generous: several times what Teams sends.
 */

/** How deeply JSON may nest, the activity itself being level 1 (Teams activities nest about 6 levels). */
export const MAX_JSON_DEPTH = 64;
/** Conversation, activity and account ids (Teams' longest, personal chat ids, are about 150 characters). */
const MAX_ID_LENGTH = 256;
/** Tenant and object ids (GUIDs), channel ids, roles, conversation types, locales. */
const MAX_SHORT_LENGTH = 64;
const MAX_SERVICE_URL_LENGTH = 512;
/** Display names of people and conversations (Teams allows 256 characters). */
const MAX_NAME_LENGTH = 1024;

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Ids travel in URLs and headers: printable ASCII only, which also rules out lone surrogates. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** True when `root` holds objects or arrays nested deeper than `max` levels (iterative: no stack to overflow). */
function nestedDeeperThan(root: object, max: number): boolean {
  const stack: (readonly [object, number])[] = [[root, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [node, depth] = top;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? (node as unknown[]) : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * An id: a string of printable ASCII of at most `max` characters. Absent (or null) is fine unless required;
 * a required id may not be empty either.
 */
function idProblem(value: unknown, field: string, max: number, required = false): string | undefined {
  if (value === undefined || value === null || (required && value === '')) {
    return required ? `The activity has no "${field}".` : undefined;
  }
  if (typeof value !== 'string') return `The activity "${field}" must be a string.`;
  if (value.length > max) return `The activity "${field}" is longer than ${max} characters.`;
  if (!PRINTABLE_ASCII.test(value)) {
    return `The activity "${field}" may hold printable ASCII characters only (Teams ids do).`;
  }
  return undefined;
}

/** A name or other optional text field: a string of at most `max` characters, or absent. */
function textProblem(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return `The activity "${field}" must be a string.`;
  if (value.length > max) return `The activity "${field}" is longer than ${max} characters.`;
  return undefined;
}

/** An account (`from`, `recipient`): its fields end up in every reply, which botbuilder serializes strictly. */
function accountProblem(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) return `The activity "${field}" is not an object.`;
  return (
    idProblem(value.id, `${field}.id`, MAX_ID_LENGTH) ??
    idProblem(value.aadObjectId, `${field}.aadObjectId`, MAX_SHORT_LENGTH) ??
    textProblem(value.name, `${field}.name`, MAX_NAME_LENGTH) ??
    textProblem(value.role, `${field}.role`, MAX_SHORT_LENGTH)
  );
}

function conversationProblem(value: unknown): string | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || value.id === '') {
    return 'The activity has no "conversation.id".';
  }
  if (value.isGroup !== undefined && value.isGroup !== null && typeof value.isGroup !== 'boolean') {
    return 'The activity "conversation.isGroup" must be true or false.';
  }
  return (
    idProblem(value.id, 'conversation.id', MAX_ID_LENGTH, true) ??
    idProblem(value.tenantId, 'conversation.tenantId', MAX_SHORT_LENGTH) ??
    idProblem(value.aadObjectId, 'conversation.aadObjectId', MAX_SHORT_LENGTH) ??
    textProblem(value.conversationType, 'conversation.conversationType', MAX_SHORT_LENGTH) ??
    textProblem(value.name, 'conversation.name', MAX_NAME_LENGTH) ??
    textProblem(value.role, 'conversation.role', MAX_SHORT_LENGTH)
  );
}

/** Where replies go: an http(s) URL as the channel sends it, no credentials, query or fragment. */
function serviceUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value))
    return 'The activity has no valid "serviceUrl".';
  const refused = `The activity "serviceUrl" must be an http(s) URL of at most ${MAX_SERVICE_URL_LENGTH} printable ASCII characters, without credentials, query or fragment.`;
  if (value.length > MAX_SERVICE_URL_LENGTH || !PRINTABLE_ASCII.test(value)) return refused;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refused;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return refused;
  if (value.includes('?') || value.includes('#')) return refused;
  return undefined;
}

/** Entities as botbuilder's mention helpers read them (`TurnContext.getMentions`, `removeMentionText`). */
function entitiesProblem(activity: Json): string | undefined {
  const entities = activity.entities;
  if (entities === undefined) return undefined;
  if (!Array.isArray(entities)) return 'The activity "entities" must be a list.';
  const recipientId = isRecord(activity.recipient) ? activity.recipient.id : undefined;
  let mentionsRecipient = false;
  for (const [i, entity] of (entities as unknown[]).entries()) {
    const field = `entities[${i}]`;
    if (!isRecord(entity)) return `The activity "${field}" is not an object.`;
    if (typeof entity.type !== 'string') return `The activity "${field}.type" must be a string.`;
    if (entity.type.toLowerCase() !== 'mention') continue;
    if (!isRecord(entity.mentioned)) return `The activity "${field}.mentioned" is not an object.`;
    if (typeof entity.text !== 'string') return `The activity "${field}.text" must be a string.`;
    if (recipientId !== undefined && entity.mentioned.id === recipientId) mentionsRecipient = true;
  }
  // botbuilder strips the recipient's @mention from the text, and reads the text to do it.
  if (activity.type === 'message' && mentionsRecipient && typeof activity.text !== 'string') {
    return 'The message mentions its recipient but has no "text".';
  }
  return undefined;
}

/**
 * What is wrong with an inbound body, as a message for the sender, or undefined when botbuilder can take it.
 * Pure and iterative (a hostile body cannot overflow the stack here either).
 */
export function activityShapeProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return 'The request body must be a JSON object (a Bot Framework activity).';
  if (nestedDeeperThan(body, MAX_JSON_DEPTH)) {
    return `The activity is nested deeper than ${MAX_JSON_DEPTH} levels of JSON.`;
  }
  const a = body;
  if (typeof a.type !== 'string' || a.type === '') return 'The activity has no "type".';
  if (a.type.length > MAX_SHORT_LENGTH) {
    return `The activity "type" is longer than ${MAX_SHORT_LENGTH} characters.`;
  }
  const conversation = conversationProblem(a.conversation);
  if (conversation !== undefined) return conversation;
  const serviceUrl = serviceUrlProblem(a.serviceUrl);
  if (serviceUrl !== undefined) return serviceUrl;
  if (a.from !== undefined && !isRecord(a.from)) return 'The activity "from" is not an object.';
  if (a.recipient !== undefined && !isRecord(a.recipient))
    return 'The activity "recipient" is not an object.';
  if (a.type === 'message' && a.recipient === undefined) {
    // botbuilder reads recipient.id on every message, to strip the bot's @mention from the text.
    return 'The message has no "recipient".';
  }
  if (typeof a.channelId !== 'string' || a.channelId === '') return 'The activity has no "channelId".';
  if (a.text !== undefined && a.text !== null && typeof a.text !== 'string') {
    return 'The activity "text" must be a string.';
  }
  return (
    idProblem(a.channelId, 'channelId', MAX_SHORT_LENGTH, true) ??
    idProblem(a.id, 'id', MAX_ID_LENGTH) ??
    idProblem(a.replyToId, 'replyToId', MAX_ID_LENGTH) ??
    accountProblem(a.from, 'from') ??
    accountProblem(a.recipient, 'recipient') ??
    textProblem(a.locale, 'locale', MAX_SHORT_LENGTH) ??
    entitiesProblem(a)
  );
}
