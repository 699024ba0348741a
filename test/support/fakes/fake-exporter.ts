import { explainGraphFailure, GraphCallError } from '../../../src/adapters/graph/graph-errors';
import type { Clock, DataPolicyOperation, Exporter, SubmitOutcome } from '../../../src/domain/ports';
import type { Secret } from '../../../src/secret';
import type { FakeDirectory } from './fake-directory';
import { SasRefusedError, type FakeExportDestinations } from './fake-export-destinations';
import { Faults } from './faults';

type ExporterOps = {
  submit: [userId: string];
  operation: [operationUrl: string];
};

/** How the fake Graph answers the next exportPersonalData POST. */
export type SubmitAnswer =
  | { readonly kind: 'accept'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number; readonly code?: string }
  | { readonly kind: 'refused'; readonly status: number; readonly code: string; readonly message?: string }
  /** No answer reached the bot; `taken` says whether Graph started the export all the same. */
  | { readonly kind: 'unknown'; readonly detail?: string; readonly taken: boolean };

export interface FakeOperation {
  readonly id: string;
  readonly userId: string;
  status: string;
  progress: number | undefined;
  completedDateTime: string | undefined;
  /** Retry-After on reads while not finished. */
  retryAfterSeconds: number | undefined;
}

export const FAKE_GRAPH = 'https://graph.fake.test';
const ENDPOINTS = { graph: FAKE_GRAPH, authority: 'https://login.fake.test' };

/** A Graph error as the Graph adapter throws it (a {@link GraphCallError} with its explained message). */
export function graphError(status: number, code: string, retryAfterSeconds?: number): GraphCallError {
  return explainGraphFailure(
    Object.assign(new Error(code), {
      statusCode: status,
      code,
      headers: { get: (h: string) => (h === 'Retry-After' ? (retryAfterSeconds?.toString() ?? null) : null) },
    }),
    'GET dataPolicyOperations',
    ENDPOINTS,
  );
}

/**
 * Microsoft Graph's exportPersonalData and dataPolicyOperations in memory, with the contract of
 * {@link GraphExporter}: a POST is answered once (scripted with {@link FakeExporter.answerNext}, accepted by
 * default with an absolute operation URL and Retry-After); when Graph takes an export it writes
 * RequestInfo.json (its `CommandId` is the operation id) through the SAS, so a linked
 * {@link FakeExportDestinations} holds the evidence; an operation id Graph does not know is a 400
 * OperationNotFound. The test moves operations on with {@link FakeExporter.setOperation}.
 */
export class FakeExporter implements Exporter {
  readonly faults = new Faults<ExporterOps>();
  /** Every POST received, with the storage location handed over (a Secret, never revealed here). */
  readonly submissions: { readonly userId: string; readonly storageLocation: Secret; readonly at: string }[] =
    [];
  /** Every read of an operation, by the URL asked. */
  readonly reads: string[] = [];
  private readonly operations = new Map<string, FakeOperation>();
  private readonly script: SubmitAnswer[] = [];
  private held: Promise<void> | undefined;
  private ids = 0;

  constructor(
    private readonly clock: Clock,
    private readonly links: {
      /** Where Graph writes RequestInfo.json when it takes an export. */
      readonly destinations?: FakeExportDestinations;
      /** People Graph knows (a POST for anyone else is a 404). */
      readonly directory?: FakeDirectory;
      readonly retryAfterSeconds?: number;
    } = {},
  ) {}

  /** Scripts the answers to the next POSTs, in order; after them, POSTs are accepted. */
  answerNext(...answers: SubmitAnswer[]): this {
    this.script.push(...answers);
    return this;
  }

  /** Holds the next POSTs without an answer until `release()` (a slow Graph). */
  holdSubmissions(): { release(): void } {
    let release!: () => void;
    this.held = new Promise<void>((r) => (release = r));
    return {
      release: () => {
        this.held = undefined;
        release();
      },
    };
  }

  operationUrl(operationId: string): string {
    return `${FAKE_GRAPH}/v1.0/dataPolicyOperations/${encodeURIComponent(operationId)}`;
  }

  async submit(userId: string, storageLocation: Secret): Promise<SubmitOutcome> {
    await this.faults.check('submit', userId);
    this.submissions.push({ userId, storageLocation, at: this.clock.now().toISOString() });
    if (this.held) await this.held;
    const answer = this.script.shift() ?? { kind: 'accept' };
    switch (answer.kind) {
      case 'throttled':
        return {
          kind: 'throttled',
          retryAfterSeconds: answer.retryAfterSeconds,
          code: answer.code ?? 'TooManyRequests',
        };
      case 'refused':
        return this.refused(answer.status, answer.code, answer.message);
      case 'unknown': {
        if (answer.taken) await this.take(userId, storageLocation);
        return { kind: 'unknown', detail: answer.detail ?? 'the connection closed before Graph answered' };
      }
      case 'accept': {
        const taken = await this.take(userId, storageLocation);
        if ('refused' in taken) return taken.refused;
        return {
          kind: 'accepted',
          operationUrl: this.operationUrl(taken.id),
          retryAfterSeconds: answer.retryAfterSeconds ?? this.links.retryAfterSeconds ?? 60,
        };
      }
    }
  }

  async operation(operationUrl: string): Promise<DataPolicyOperation> {
    this.reads.push(operationUrl);
    await this.faults.check('operation', operationUrl);
    const op = this.operations.get(this.idOf(operationUrl));
    if (!op) throw graphError(400, 'OperationNotFound');
    const finished = op.status === 'complete' || op.status === 'failed';
    return {
      id: op.id,
      status: op.status,
      progress: op.progress,
      completedDateTime: op.completedDateTime,
      retryAfterSeconds: finished ? undefined : op.retryAfterSeconds,
    };
  }

  /** Moves an operation on (`complete` and `failed` set its completion time). */
  setOperation(
    idOrUrl: string,
    change: Partial<Pick<FakeOperation, 'status' | 'progress' | 'retryAfterSeconds'>>,
  ): FakeOperation {
    const op = this.operations.get(this.idOf(idOrUrl));
    if (!op) throw new Error(`The fake Graph has no operation ${idOrUrl}.`);
    Object.assign(op, change);
    if ((op.status === 'complete' || op.status === 'failed') && !op.completedDateTime)
      op.completedDateTime = this.clock.now().toISOString();
    return op;
  }

  /** The operations Graph started, in order (for assertions). */
  started(): readonly FakeOperation[] {
    return [...this.operations.values()];
  }

  /** The operation id at the end of an operation URL (or the id itself). */
  idOf(idOrUrl: string): string {
    return decodeURIComponent(idOrUrl.split('/').pop()?.split('?')[0] ?? idOrUrl).toLowerCase();
  }

  /** Graph takes the export: checks the person and the SAS, writes RequestInfo.json, starts the operation. */
  private async take(
    userId: string,
    storageLocation: Secret,
  ): Promise<{ readonly id: string } | { readonly refused: SubmitOutcome }> {
    if (this.links.directory && !this.links.directory.has(userId))
      return { refused: this.refused(404, 'Request_ResourceNotFound') };
    const id = `c0a70500-0000-4000-9000-${String(++this.ids).padStart(12, '0')}`;
    if (this.links.destinations) {
      const info = {
        Description: 'This file is included to ensure a tenant admin can associate the exported data …',
        CorrelationId: 'ZmFrZQ==.0',
        CommandId: id,
        Subject: { ObjectId: userId, TenantId: 'fake-tenant' },
        Timestamp: this.clock.now().toISOString(),
        RequestGuid: `c0a70500-0000-4000-a000-${String(this.ids).padStart(12, '0')}`,
      };
      const containerName = new URL(storageLocation.reveal()).pathname.split('/').filter(Boolean)[0] ?? '';
      if (this.links.destinations.blobNames(containerName)?.includes('RequestInfo.json'))
        return { refused: this.refused(400, 'StorageLocationAlreadyUsed') };
      try {
        await this.links.destinations.writeThroughSas(
          storageLocation,
          'RequestInfo.json',
          JSON.stringify(info),
        );
      } catch (err) {
        if (err instanceof SasRefusedError)
          return { refused: this.refused(400, 'StorageLocationNeedsWriteAddPermissions') };
        throw err;
      }
    }
    this.operations.set(id, {
      id,
      userId,
      status: 'running',
      progress: 0,
      completedDateTime: undefined,
      retryAfterSeconds: this.links.retryAfterSeconds ?? 60,
    });
    return { id };
  }

  private refused(status: number, code: string, message?: string): SubmitOutcome {
    const explained = explainGraphFailure(
      Object.assign(new Error(message ?? code), { statusCode: status, code }),
      'exportPersonalData',
      ENDPOINTS,
    );
    return { kind: 'refused', status, code, message: explained.message };
  }
}
