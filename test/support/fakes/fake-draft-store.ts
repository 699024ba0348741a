import type { IntakeDraft } from '../../../src/domain/intake-draft';
import type { DraftStore, Versioned } from '../../../src/domain/ports';
import { Faults } from './faults';
import { MemoryTable } from './memory-table';

type DraftStoreOps = {
  create: [draft: IntakeDraft];
  get: [id: string];
  replace: [draft: IntakeDraft, etag: string];
};

/**
 * Intake drafts in memory, with the contract of {@link TableDraftStore}: `create` refuses a taken id
 * (AlreadyExistsError), `replace` writes only at the stored ETag (StaleWriteError), each write a new ETag.
 */
export class FakeDraftStore implements DraftStore {
  readonly faults = new Faults<DraftStoreOps>();
  private readonly table = new MemoryTable<IntakeDraft>('drafts');

  async create(draft: IntakeDraft): Promise<Versioned<IntakeDraft>> {
    await this.faults.check('create', draft);
    return this.table.create(draft.id, draft);
  }

  async get(id: string): Promise<Versioned<IntakeDraft> | undefined> {
    await this.faults.check('get', id);
    return this.table.get(id);
  }

  async replace(draft: IntakeDraft, etag: string): Promise<Versioned<IntakeDraft>> {
    await this.faults.check('replace', draft, etag);
    return this.table.replace(draft.id, draft, etag);
  }
}
