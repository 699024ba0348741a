import type { IntakeDraft } from '../../domain/intake-draft';
import type { DraftStore, Versioned } from '../../domain/ports';
import { TableStore } from './table-store';

const DRAFTS = 'drafts';

/** Intake drafts in an Azure Table, written with ETag concurrency. */
export class TableDraftStore implements DraftStore {
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
}
