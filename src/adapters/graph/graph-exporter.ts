import { ResponseType, RetryHandlerOptions, type Client } from '@microsoft/microsoft-graph-client';
import type { Secret } from '../../secret';
import { explainGraphFailure } from './graph-errors';

/** What happened to one exportPersonalData call. */
export type SubmitOutcome =
  /** 202: Graph took it. The operation URL and how long to wait before the first poll. */
  | { readonly kind: 'accepted'; readonly operationUrl: string; readonly retryAfterSeconds: number }
  /** 429/503/504: not taken; try again after `retryAfterSeconds`. */
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number; readonly code: string }
  /** Another 4xx/5xx: not taken, and trying again will not help without a change. */
  | { readonly kind: 'refused'; readonly status: number; readonly code: string; readonly message: string }
  /** The request may have reached Graph but no answer came back: never resubmit blindly. */
  | { readonly kind: 'unknown'; readonly detail: string };

export interface DataPolicyOperation {
  readonly id: string;
  /** notStarted, running, complete, failed, unknownFutureValue, or a value Graph adds later. */
  readonly status: string;
  /** Scale undocumented (0–1 or 0–100); may arrive as a string. */
  readonly progress: number | undefined;
  readonly completedDateTime: string | undefined;
  readonly retryAfterSeconds: number | undefined;
}

const DEFAULT_RETRY_AFTER = 60;

function seconds(value: string | null | undefined, fallback: number): number {
  const n = value == null ? NaN : Number(value);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/**
 * `exportPersonalData` and its `dataPolicyOperation` over the Graph client. The submit runs with the
 * client's automatic retry **off**: its RetryHandler would repeat a POST on 429/503/504, and a 202 lost on
 * the way back could then start a second export. Retrying is the caller's decision.
 */
export class GraphExporter {
  constructor(
    private readonly client: Client,
    private readonly apiVersion: 'v1.0' | 'beta',
    private readonly endpoints: { graph: string; authority: string },
  ) {}

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
      const location = response.headers.get('Location');
      if (!location) return { kind: 'unknown', detail: 'Graph answered 202 without a Location header.' };
      return {
        kind: 'accepted',
        operationUrl: location,
        retryAfterSeconds: seconds(response.headers.get('Retry-After'), DEFAULT_RETRY_AFTER),
      };
    }
    const body = (await response.json().catch(() => undefined)) as
      { error?: { code?: string; message?: string } } | undefined;
    const code = body?.error?.code ?? `HTTP${response.status}`;
    if (response.status === 429 || response.status === 503 || response.status === 504) {
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

  /** Reads the operation (the Location URL Graph gave). Graph failures throw as explained errors. */
  async operation(operationUrl: string): Promise<DataPolicyOperation> {
    let response: Response;
    try {
      response = (await this.client.api(operationUrl).responseType(ResponseType.RAW).get()) as Response;
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
