import type { SubmissionLog } from '../../domain/ports';
import { TableStore } from './table-store';

interface Submission {
  readonly operationUrl: string;
  readonly at: string;
}

/**
 * Graph's answers to export submissions, written the moment a 202 arrives (partition = request id, row =
 * attempt) and before anything else: the one write between Graph's answer and the record of it, so that a
 * failed record write after a 202 loses nothing. Rows are only ever created; the operation URL holds no secret.
 */
export class TableSubmissionLog implements SubmissionLog {
  private readonly table: TableStore<Submission>;

  constructor(connectionString: string, table = 'submissions') {
    this.table = TableStore.fromConnectionString<Submission>(connectionString, table);
  }

  async record(requestId: string, attempt: number, operationUrl: string, at: string): Promise<void> {
    await this.table.upsert(requestId, String(attempt), { operationUrl, at });
  }

  async find(requestId: string, attempt: number): Promise<string | undefined> {
    return (await this.table.get(requestId, String(attempt)))?.value.operationUrl;
  }
}
