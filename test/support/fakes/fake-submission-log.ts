import type { SubmissionLog } from '../../../src/domain/ports';
import { Faults } from './faults';
import { MemoryTable } from './memory-table';

type SubmissionLogOps = {
  record: [requestId: string, attempt: number, operationUrl: string, at: string];
  find: [requestId: string, attempt: number];
};

/**
 * Graph's 202s in memory, as {@link TableSubmissionLog}: one row per request and attempt, the last record of
 * an attempt wins, and what is recorded survives whatever happens to the request record.
 */
export class FakeSubmissionLog implements SubmissionLog {
  readonly faults = new Faults<SubmissionLogOps>();
  private readonly table = new MemoryTable<{ operationUrl: string; at: string }>('submissions');

  async record(requestId: string, attempt: number, operationUrl: string, at: string): Promise<void> {
    await this.faults.check('record', requestId, attempt, operationUrl, at);
    this.table.upsert(`${requestId}/${attempt}`, { operationUrl, at });
  }

  async find(requestId: string, attempt: number): Promise<string | undefined> {
    await this.faults.check('find', requestId, attempt);
    return this.table.get(`${requestId}/${attempt}`)?.value.operationUrl;
  }
}
