import type { ConversationReference } from 'botbuilder';
import type {
  ConversationReferenceStore,
  ConversationReferenceStoreAddOptions,
  PagedData,
} from '@microsoft/teamsfx';
import { AlreadyExistsError, TableStore } from './table-store';

const PARTITION = 'installations';

/**
 * TeamsFx's conversation reference store on an Azure Table (instead of its default local JSON file, which
 * loses everything on redeploy and cannot be shared by several instances). Keys are TeamsFx's own
 * (`_{tenantId}_{conversationId}`); the full reference is kept, including the serviceUrl Teams sent.
 */
export class TableConversationReferenceStore implements ConversationReferenceStore {
  /** Keys this instance knows are stored: saves a storage round trip on every message. */
  private readonly known = new Set<string>();

  constructor(private readonly table: TableStore<Partial<ConversationReference>>) {}

  async add(
    key: string,
    reference: Partial<ConversationReference>,
    options: ConversationReferenceStoreAddOptions,
  ): Promise<boolean> {
    if (options.overwrite) {
      await this.table.upsert(PARTITION, key, reference);
      this.known.add(key);
      return true;
    }
    if (this.known.has(key)) return false;
    try {
      await this.table.create(PARTITION, key, reference);
      this.known.add(key);
      return true;
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
      this.known.add(key);
      return false;
    }
  }

  async remove(key: string, _reference: Partial<ConversationReference>): Promise<boolean> {
    this.known.delete(key);
    return this.table.delete(PARTITION, key);
  }

  async get(key: string): Promise<Partial<ConversationReference> | undefined> {
    return (await this.table.get(PARTITION, key))?.value;
  }

  async list(pageSize = 100, continuationToken?: string): Promise<PagedData<Partial<ConversationReference>>> {
    const page = await this.table.page(PARTITION, pageSize, continuationToken);
    return { data: page.values, continuationToken: page.continuationToken ?? '' };
  }
}
