import { ResponseType, RetryHandlerOptions, type Client } from '@microsoft/microsoft-graph-client';
import type { DataPolicyOperation, Exporter, SubmitOutcome } from '../../domain/ports';
import type { Secret } from '../../secret';

export type { DataPolicyOperation, SubmitOutcome } from '../../domain/ports';
import { explainGraphFailure } from './graph-errors';
import { parseRetryAfter } from './retry-after';

const DEFAULT_RETRY_AFTER = 60;

function seconds(value: string | null | undefined, fallback: number): number {
  return parseRetryAfter(value) ?? fallback;
}

/**
 * `exportPersonalData` and its `dataPolicyOperation` over the Graph client. The submit runs with the
 * client's automatic retry **off**: its RetryHandler would repeat a POST on 429/503/504, and a 202 lost on
 * the way back could then start a second export. Retrying is the caller's decision.
 */
export class GraphExporter implements Exporter {
  constructor(
    private readonly client: Client,
    private readonly apiVersion: 'v1.0' | 'beta',
    private readonly endpoints: { graph: string; authority: string },
  ) {}

  operationUrl(operationId: string): string {
    const base = this.endpoints.graph.replace(/\/+$/, '');
    return `${base}/${this.apiVersion}/dataPolicyOperations/${encodeURIComponent(operationId)}`;
  }

  async submit(userId: string, storageLocation: Secret): Promise<SubmitOutcome> {
    let response: Response;
    try {
      response = (await this.client
        .api(`/users/${encodeURIComponent(userId)}/exportPersonalData`)
        .version(this.apiVersion)
        .middlewareOptions([new RetryHandlerOptions(0, 0)])
        .responseType(ResponseType.RAW)
        .post({ storageLocation: storageLocation.reveal() })) as Response;
    } catch (err) {
      const explained = explainGraphFailure(err, 'exportPersonalData', this.endpoints);
      if (explained.source === 'authority') {
        return { kind: 'refused', status: 401, code: explained.code, message: explained.message };
      }
      // No HTTP answer: the POST may or may not have reached Graph.
      return { kind: 'unknown', detail: explained.message };
    }
    if (response.status === 202) {
      // The documentation names Location; the export service's own tests read Operation-Location.
      const location = response.headers.get('Location') ?? response.headers.get('Operation-Location');
      if (!location)
        return {
          kind: 'unknown',
          detail: 'Graph answered 202 without a Location or Operation-Location header.',
        };
      return {
        kind: 'accepted',
        operationUrl: location,
        retryAfterSeconds: seconds(response.headers.get('Retry-After'), DEFAULT_RETRY_AFTER),
      };
    }
    const body = (await response.json().catch(() => undefined)) as
      { error?: { code?: string; message?: string } } | undefined;
    const code = body?.error?.code ?? `HTTP${response.status}`;
    if (response.status === 504) {
      // A gateway timeout says nothing about whether the export service took the export behind it.
      return {
        kind: 'unknown',
        detail: `Graph's gateway timed out (504 ${code}): the export may or may not have been taken`,
      };
    }
    if (response.status === 429 || response.status === 503) {
      return {
        kind: 'throttled',
        code,
        retryAfterSeconds: seconds(response.headers.get('Retry-After'), DEFAULT_RETRY_AFTER),
      };
    }
    const explained = explainGraphFailure(
      Object.assign(new Error(body?.error?.message ?? ''), {
        statusCode: response.status,
        code,
        requestId: response.headers.get('request-id'),
        headers: response.headers,
      }),
      'exportPersonalData',
      this.endpoints,
    );
    return { kind: 'refused', status: response.status, code, message: explained.message };
  }

  /** Reads the operation (the Location URL Graph gave), once. Graph failures throw as explained errors. */
  async operation(operationUrl: string): Promise<DataPolicyOperation> {
    let response: Response;
    try {
      // No client retry here either: a poll that fails is rescheduled by the workflow (durably, honouring
      // Retry-After), instead of holding a worker for minutes.
      response = (await this.client
        .api(operationUrl)
        .middlewareOptions([new RetryHandlerOptions(0, 0)])
        .responseType(ResponseType.RAW)
        .get()) as Response;
    } catch (err) {
      throw explainGraphFailure(err, 'GET dataPolicyOperations', this.endpoints);
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const error = (body.error ?? {}) as { code?: string; message?: string };
      throw explainGraphFailure(
        Object.assign(new Error(error.message ?? ''), {
          statusCode: response.status,
          code: error.code ?? `HTTP${response.status}`,
          requestId: response.headers.get('request-id'),
          headers: response.headers,
        }),
        'GET dataPolicyOperations',
        this.endpoints,
      );
    }
    const progress = Number(body.progress);
    return {
      id: typeof body.id === 'string' ? body.id : '',
      status: typeof body.status === 'string' ? body.status : 'unknownFutureValue',
      progress: Number.isFinite(progress) ? progress : undefined,
      completedDateTime: typeof body.completedDateTime === 'string' ? body.completedDateTime : undefined,
      retryAfterSeconds: response.headers.get('Retry-After')
        ? seconds(response.headers.get('Retry-After'), DEFAULT_RETRY_AFTER)
        : undefined,
    };
  }
}
