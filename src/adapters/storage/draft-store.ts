import type { IntakeDraft } from '../../domain/intake-draft';
import type { DraftStore, Versioned } from '../../domain/ports';
import type { DraftPurge } from '../../domain/retention-ports';
import { TableStore } from './table-store';

const DRAFTS = 'drafts';

/** Intake drafts in an Azure Table, written with ETag concurrency; old ones are purged (retention). */
export class TableDraftStore implements DraftStore, DraftPurge {
  private readonly table: TableStore<IntakeDraft>;

  constructor(connectionString: string, table = 'drafts') {
    this.table = TableStore.fromConnectionString<IntakeDraft>(connectionString, table);
  }

  create(draft: IntakeDraft): Promise<Versioned<IntakeDraft>> {
    return this.table.create(DRAFTS, draft.id, draft);
  }

  get(id: string): Promise<Versioned<IntakeDraft> | undefined> {
    return this.table.get(DRAFTS, id);
  }

  replace(draft: IntakeDraft, etag: string): Promise<Versioned<IntakeDraft>> {
    return this.table.replace(DRAFTS, draft.id, draft, etag);
  }

  /** Reads the drafts a page at a time (they live a day: there are few) and keeps the old ones. */
  async draftsBefore(cutoff: string, max: number): Promise<string[]> {
    const old: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.table.page(DRAFTS, 1000, token);
      old.push(...page.values.filter((d) => d.createdAt < cutoff).map((d) => d.id));
      token = page.continuationToken;
    } while (token !== undefined && old.length < max);
    return old.slice(0, max);
  }

  removeDraft(id: string): Promise<boolean> {
    return this.table.delete(DRAFTS, id);
  }
}
