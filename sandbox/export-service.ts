import { randomUUID } from 'node:crypto';
import type { SandboxTenant, SandboxUser } from './demo-tenant';
import { correlationVector, dateTimeOffset, writeProducts } from './export-products';
import { accepted, graphError, ok, type HttpAnswer } from './http-answer';
import { PostThrottle, type PostThrottleOptions } from './post-throttle';
import {
  claimStorageLocation,
  parseStorageLocation,
  REQUEST_INFO_DESCRIPTION,
  STORAGE_LOCATION_MESSAGES,
  type RequestInfo,
} from './storage-location';

/**
 * The export service behind `exportPersonalData` and `dataPolicyOperations`, as the service's own code shows
 * (docs/decisions/0008): the submission is throttled, then the SAS is checked by using it and RequestInfo.json
 * is written before the 202; the operation's id is the command id; an unknown id is 400 OperationNotFound;
 * the status is `running` until the export is complete, with `progress` a fraction from 0 to 1. Options give
 * the variants the documentation allows (notStarted, failed, 0–100, strings, Operation-Location).
 */

export interface OperationStep {
  /** notStarted, running, complete, failed, unknownFutureValue, or any string Graph might add. */
  readonly status: string;
  readonly progress?: number | string;
}

/** Variants the documentation allows and the service's code does not produce. */
export interface OperationVariant {
  /** Answer `notStarted` first (default schedule: the first GET; timed export: its first tenth). */
  readonly notStartedFirst?: boolean;
  /** `fraction` (0–1, the service's completion success rate; default) or `percent` (0–100). */
  readonly progressScale?: 'fraction' | 'percent';
  /** Send `progress` as a string ("0.2"), as a lenient serializer might. */
  readonly progressAsString?: boolean;
  /** End `failed` instead of `complete` (default schedule and timed export). */
  readonly finalStatus?: 'complete' | 'failed';
}

/** Which header of the 202 names the operation: the documentation's, the service tests', or both. */
export type LocationHeader = 'Location' | 'Operation-Location' | 'both';

export interface ExportServiceOptions {
  /**
   * Status answered by successive GETs of an export operation; the last step repeats. Default: running at
   * 0, 0.2 and 0.7, then complete at 1, shaped by `variant`. Explicit steps are answered as given.
   */
  readonly exportSchedule?: readonly OperationStep[];
  /** Retry-After (seconds) on the 202 of exportPersonalData (the service sends 60) and on unfinished operations. */
  readonly retryAfterSeconds?: number;
  /**
   * When set, an export runs for this long (by `now`) instead of following `exportSchedule`: running with
   * progress growing from 0 to 1, then complete (shaped by `variant`).
   */
  readonly exportDurationMs?: number;
  readonly variant?: OperationVariant;
  /** Default `Location`, as documented; the service's own tests read `Operation-Location`. */
  readonly locationHeader?: LocationHeader;
  /** Send Retry-After on GETs of unfinished operations (default true; the service's controller sets none). */
  readonly retryAfterOnOperation?: boolean;
  /** Limits on exportPersonalData POSTs per tenant and per subject: 429 TooManyRequests with Retry-After. */
  readonly postThrottle?: PostThrottleOptions;
  /** False simulates a premium block-blob account: StorageLocationShouldSupportAppendBlobs. Default true. */
  readonly appendBlobs?: boolean;
}

export interface DataPolicyOperation {
  /** The command id; also `CommandId` in the container's RequestInfo.json. */
  readonly id: string;
  /** The tenant that submitted it: only that tenant can read it (others get OperationNotFound). */
  readonly tenantId: string;
  readonly userId: string;
  readonly storageLocation: string;
  readonly submittedDateTime: string;
  completedDateTime: string | null;
  polls: number;
  status: string;
  progress: number | string;
}

/** Who calls and where: Graph's origin and version for absolute URLs, and the caller's tenant (token `tid`). */
export interface ExportCall {
  readonly origin: string;
  readonly version: string;
  readonly tenantId: string;
}

/** The export room's service; its refusals are thrown as `HttpError`s in Graph's shape. */
export interface ExportService {
  readonly operations: Map<string, DataPolicyOperation>;
  /** POST /users/{id}/exportPersonalData for a known, authorised user. */
  submit(call: ExportCall, user: SandboxUser, body: unknown): Promise<HttpAnswer>;
  /** GET /dataPolicyOperations/{id}. */
  read(call: ExportCall, id: string): Promise<HttpAnswer>;
  /** Sandbox control: the next export submitted ends `failed` instead of `complete` (once). */
  failNext(): void;
  /** Whether {@link failNext} waits for a submission. */
  readonly nextFails: boolean;
  /**
   * Sandbox control: ends every unfinished export now, as its end would (files written and `complete`, or
   * `failed`); Graph answers so at the next read. Returns how many were ended.
   */
  finishRunning(): Promise<number>;
  /**
   * Ends every timed export whose time is up, as the real service does whether or not anyone reads the
   * operation (its files are written into the container then). The sandbox calls it every second; tests on a
   * moved clock may call it. Returns how many were ended.
   */
  settleDue(): Promise<number>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOO_MANY_REQUESTS =
  'Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed.';

/** A fraction (0–1) in the variant's scale and type. */
function present(fraction: number, variant: OperationVariant): number | string {
  const value =
    variant.progressScale === 'percent' ? Math.round(fraction * 100) : Math.round(fraction * 100) / 100;
  return variant.progressAsString ? String(value) : value;
}

function defaultSchedule(variant: OperationVariant): OperationStep[] {
  return [
    { status: variant.notStartedFirst ? 'notStarted' : 'running', progress: present(0, variant) },
    { status: 'running', progress: present(0.2, variant) },
    { status: 'running', progress: present(0.7, variant) },
    variant.finalStatus === 'failed'
      ? { status: 'failed' }
      : { status: 'complete', progress: present(1, variant) },
  ];
}

function timedStep(elapsedMs: number, durationMs: number, variant: OperationVariant): OperationStep {
  if (elapsedMs >= durationMs) {
    return variant.finalStatus === 'failed'
      ? { status: 'failed' }
      : { status: 'complete', progress: present(1, variant) };
  }
  if (variant.notStartedFirst && elapsedMs < durationMs / 10) {
    return { status: 'notStarted', progress: present(0, variant) };
  }
  return { status: 'running', progress: present(Math.max(0, elapsedMs / durationMs), variant) };
}

export function createExportService(
  options: ExportServiceOptions & { readonly tenant: SandboxTenant; readonly now: () => Date },
): ExportService {
  const { tenant, now } = options;
  const variant = options.variant ?? {};
  const schedule = options.exportSchedule ?? defaultSchedule(variant);
  const retryAfter = String(options.retryAfterSeconds ?? 60);
  const locationHeader = options.locationHeader ?? 'Location';
  const throttle = options.postThrottle ? new PostThrottle(options.postThrottle, now) : undefined;
  const account = { appendBlobs: options.appendBlobs ?? true };
  const operations = new Map<string, DataPolicyOperation>();
  /** Operations made to fail by {@link ExportService.failNext}; `failNext` arms the next submission. */
  const failing = new Set<string>();
  let failNext = false;

  async function submit(call: ExportCall, user: SandboxUser, body: unknown): Promise<HttpAnswer> {
    const url = parseStorageLocation((body as { storageLocation?: unknown } | null)?.storageLocation);
    if (!url) {
      throw graphError(
        now(),
        400,
        'StorageLocationInvalid',
        STORAGE_LOCATION_MESSAGES.StorageLocationInvalid,
      );
    }
    const throttled = throttle?.admit(call.tenantId, user.id);
    if (throttled) {
      throw graphError(now(), 429, 'TooManyRequests', TOO_MANY_REQUESTS, {
        'Retry-After': String(throttled.retryAfterSeconds),
      });
    }
    const id = randomUUID();
    const info: RequestInfo = {
      Description: REQUEST_INFO_DESCRIPTION,
      CorrelationId: correlationVector(),
      CommandId: id,
      Subject: { ObjectId: user.id, TenantId: call.tenantId },
      Timestamp: dateTimeOffset(now()),
      RequestGuid: randomUUID(),
    };
    const refusal = await claimStorageLocation(url, info, account);
    if (refusal) throw graphError(now(), 400, refusal, STORAGE_LOCATION_MESSAGES[refusal]);
    if (failNext) {
      failNext = false;
      failing.add(id);
    }
    operations.set(id, {
      id,
      tenantId: call.tenantId,
      userId: user.id,
      storageLocation: url.toString(),
      submittedDateTime: now().toISOString(),
      completedDateTime: null,
      polls: 0,
      status: variant.notStartedFirst ? 'notStarted' : 'running',
      progress: present(0, variant),
    });
    const operationUrl = `${call.origin}/${call.version}/dataPolicyOperations/${id}`;
    return accepted({
      ...(locationHeader !== 'Operation-Location' ? { Location: operationUrl } : {}),
      ...(locationHeader !== 'Location' ? { 'Operation-Location': operationUrl } : {}),
      'Retry-After': retryAfter,
    });
  }

  /** The step as this operation takes it: one made to fail ends `failed` where others end `complete`. */
  const asTaken = (op: DataPolicyOperation, step: OperationStep): OperationStep =>
    failing.has(op.id) && step.status === 'complete' ? { status: 'failed' } : step;

  /** The step an operation is at now: its schedule's, or its timed export's. */
  function stepOf(op: DataPolicyOperation): OperationStep {
    const duration = options.exportDurationMs;
    return asTaken(
      op,
      duration !== undefined
        ? timedStep(now().getTime() - Date.parse(op.submittedDateTime), duration, variant)
        : schedule[Math.min(op.polls, schedule.length - 1)]!,
    );
  }

  /** The step an operation ends with: its schedule's last, or complete when that never ends. */
  function endOf(op: DataPolicyOperation): OperationStep {
    const duration = options.exportDurationMs;
    const last =
      duration !== undefined ? timedStep(duration, duration, variant) : schedule[schedule.length - 1]!;
    const ends = last.status === 'complete' || last.status === 'failed';
    return asTaken(op, ends ? last : { status: 'complete', progress: present(1, variant) });
  }

  /** Ends being written (files into the container): a read and the timer never write them twice. */
  const ending = new Map<string, Promise<void>>();

  async function enter(op: DataPolicyOperation, step: OperationStep): Promise<void> {
    if (step.status !== 'complete' && step.status !== 'failed') return enterStep(op, step);
    const pending = ending.get(op.id);
    if (pending) return pending;
    const done = enterStep(op, step).finally(() => ending.delete(op.id));
    ending.set(op.id, done);
    return done;
  }

  async function enterStep(op: DataPolicyOperation, step: OperationStep): Promise<void> {
    if (finished(op)) return;
    if (step.status === 'complete') {
      const user = tenant.users.find((u) => u.id === op.userId);
      const rate = await writeProducts(op.storageLocation, user, now());
      op.status = 'complete';
      op.completedDateTime = now().toISOString();
      op.progress = rate === 1 ? (step.progress ?? present(1, variant)) : present(rate, variant);
      return;
    }
    if (step.status === 'failed') {
      op.status = 'failed';
      op.completedDateTime = now().toISOString();
    } else {
      op.status = step.status;
    }
    op.progress = step.progress ?? op.progress;
  }

  const finished = (op: DataPolicyOperation) => op.status === 'complete' || op.status === 'failed';

  async function settleDue(): Promise<number> {
    const duration = options.exportDurationMs;
    if (duration === undefined) return 0;
    const due = [...operations.values()].filter(
      (op) => !finished(op) && now().getTime() - Date.parse(op.submittedDateTime) >= duration,
    );
    for (const op of due) await enter(op, stepOf(op));
    return due.length;
  }

  async function finishRunning(): Promise<number> {
    const running = [...operations.values()].filter((op) => !finished(op));
    for (const op of running) await enter(op, endOf(op));
    return running.length;
  }

  async function read(call: ExportCall, id: string): Promise<HttpAnswer> {
    if (!GUID.test(id)) {
      throw graphError(
        now(),
        400,
        'BadRequest',
        `The specified object-id: ${id} in the request uri is an invalid Guid.`,
      );
    }
    const op = operations.get(id.toLowerCase());
    if (!op || op.tenantId !== call.tenantId) {
      throw graphError(now(), 400, 'OperationNotFound', 'Cannot find any operations with the input Id.');
    }
    if (!finished(op)) {
      const step = stepOf(op);
      op.polls += 1;
      await enter(op, step);
    }
    const body = {
      '@odata.context': `${call.origin}/${call.version}/$metadata#dataPolicyOperations/$entity`,
      id: op.id,
      status: op.status,
      progress: op.progress,
      submittedDateTime: op.submittedDateTime,
      completedDateTime: op.completedDateTime,
      storageLocation: op.storageLocation,
      userId: op.userId,
    };
    const retryHint = !finished(op) && options.retryAfterOnOperation !== false;
    return ok(body, retryHint ? { 'Retry-After': retryAfter } : {});
  }

  return {
    operations,
    submit,
    read,
    failNext: () => {
      failNext = true;
    },
    get nextFails() {
      return failNext;
    },
    finishRunning,
    settleDue,
  };
}
