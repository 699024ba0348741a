import type { ChannelAccount, ConversationAccount, ConversationReference } from 'botbuilder';
import type {
  ConversationReferenceStore,
  ConversationReferenceStoreAddOptions,
  PagedData,
} from '@microsoft/teamsfx';
import { AlreadyExistsError, TableStore } from './table-store';

const PARTITION = 'installations';
/** Longer than any id Teams sends, short enough that a stored reference stays far below a table cell's 64 KB. */
const MAX_ID_LENGTH = 1024;
const MAX_SERVICE_URL_LENGTH = 2048;

/** A string of at most `max` characters, or undefined (the field is then not stored). */
function bounded(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length <= max ? value : undefined;
}

/** An object of the fields that have a value (JSON would drop the others anyway; this keeps `toEqual` honest). */
function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The part of a conversation reference a proactive message needs: where to send (serviceUrl, channelId,
 * conversation id, type, tenant, isGroup) and between whom (the bot's and the user's ids). TeamsFx hands over
 * the whole `from` and `conversation` of the activity, names and any extra field included: a conversation name of
 * 70,000 characters made the write fail (PropertyValueTooLarge) and with it the turn. Each field is bounded;
 * one that is not a string of bounded length is left out.
 */
export function proactiveReference(
  reference: Partial<ConversationReference>,
): Partial<ConversationReference> {
  const c: Partial<Record<keyof ConversationAccount, unknown>> = reference.conversation ?? {};
  const bot: Partial<Record<keyof ChannelAccount, unknown>> | undefined = reference.bot;
  const user: Partial<Record<keyof ChannelAccount, unknown>> | undefined = reference.user;
  const conversation = defined({
    id: bounded(c.id, MAX_ID_LENGTH),
    isGroup: typeof c.isGroup === 'boolean' ? c.isGroup : undefined,
    conversationType: bounded(c.conversationType, MAX_ID_LENGTH),
    tenantId: bounded(c.tenantId, MAX_ID_LENGTH),
  });
  return defined({
    channelId: bounded(reference.channelId, MAX_ID_LENGTH),
    serviceUrl: bounded(reference.serviceUrl, MAX_SERVICE_URL_LENGTH),
    // botbuilder's type requires a conversation name (and a type and isGroup); a proactive send needs no name.
    conversation: reference.conversation ? (conversation as ConversationAccount) : undefined,
    bot: bot ? (defined({ id: bounded(bot.id, MAX_ID_LENGTH) }) as ChannelAccount) : undefined,
    user: user
      ? (defined({
          id: bounded(user.id, MAX_ID_LENGTH),
          aadObjectId: bounded(user.aadObjectId, MAX_ID_LENGTH),
        }) as ChannelAccount)
      : undefined,
  });
}

/**
 * TeamsFx's key `_{tenantId}_{conversationId}` with the tenant id in lower case: TeamsFx builds it from the
 * activity as sent, the bot from its configuration, and the two may spell the GUID differently. (Conversation
 * ids keep their case: Teams' personal chat ids are case-sensitive.)
 */
function normalKey(key: string): string {
  const m = /^_([0-9A-Fa-f-]{36})_(.*)$/s.exec(key);
  return m ? `_${m[1]!.toLowerCase()}_${m[2]!}` : key;
}

/**
 * TeamsFx's conversation reference store on an Azure Table (instead of its default local JSON file, which
 * loses everything on redeploy and cannot be shared by several instances). Keys are TeamsFx's own
 * (`_{tenantId}_{conversationId}`); what is kept is {@link proactiveReference}: the serviceUrl Teams sent, the
 * conversation and the two ids, nothing a sender could make large.
 */
export class TableConversationReferenceStore implements ConversationReferenceStore {
  /** Keys this instance knows are stored: saves a storage round trip on every message (bounded). */
  private readonly known = new Set<string>();

  constructor(
    private readonly table: TableStore<Partial<ConversationReference>>,
    /** Only conversations of this tenant are kept: the bot serves its home tenant and nobody else. */
    private readonly homeTenantId?: string,
  ) {}

  async add(
    rawKey: string,
    reference: Partial<ConversationReference>,
    options: ConversationReferenceStoreAddOptions,
  ): Promise<boolean> {
    const tenant = reference.conversation?.tenantId;
    if (this.homeTenantId !== undefined && tenant?.toLowerCase() !== this.homeTenantId.toLowerCase())
      return false;
    const key = normalKey(rawKey);
    if (this.known.size > 10_000) this.known.clear();
    const stored = proactiveReference(reference);
    if (options.overwrite) {
      await this.table.upsert(PARTITION, key, stored);
      this.known.add(key);
      return true;
    }
    if (this.known.has(key)) return false;
    try {
      await this.table.create(PARTITION, key, stored);
      this.known.add(key);
      return true;
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
      this.known.add(key);
      return false;
    }
  }

  async remove(rawKey: string, _reference: Partial<ConversationReference>): Promise<boolean> {
    const key = normalKey(rawKey);
    this.known.delete(key);
    return this.table.delete(PARTITION, key);
  }

  async get(rawKey: string): Promise<Partial<ConversationReference> | undefined> {
    return (await this.table.get(PARTITION, normalKey(rawKey)))?.value;
  }

  async list(pageSize = 100, continuationToken?: string): Promise<PagedData<Partial<ConversationReference>>> {
    const page = await this.table.page(PARTITION, pageSize, continuationToken);
    return { data: page.values, continuationToken: page.continuationToken ?? '' };
  }
}
