import { randomBytes, randomUUID } from 'node:crypto';
import { ContainerClient } from '@azure/storage-blob';
import type { SandboxTenant, SandboxUser } from './demo-tenant';
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

/** A correlation vector as the service records it: a base64 base and a counter. */
function correlationVector(): string {
  return `${randomBytes(12).toString('base64')}.0`;
}

/** A DateTimeOffset as .NET's JSON writes it: seven fractional digits and an offset. */
function dateTimeOffset(d: Date): string {
  return d.toISOString().replace('Z', '0000+00:00');
}

/**
 * What each product's agent writes: JSON of a plausible shape and size (from 100 bytes to 13 KB a product,
 * some 20 KB in all; only the profile's size depends on the subject, none on the day).
 */
function productFiles(user: SandboxUser | undefined, at: Date): Record<string, unknown> {
  const daysAgo = (n: number) => new Date(at.getTime() - n * 86_400_000).toISOString();
  const list = <T>(n: number, item: (i: number) => T) => Array.from({ length: n }, (_, i) => item(i));
  return {
    'AzureAD/profile.json': { displayName: user?.displayName, mail: user?.mail, jobTitle: user?.jobTitle },
    'Exchange/mailbox-summary.json': {
      items: 42,
      folders: ['Inbox', 'Sent Items'],
      messages: list(42, (i) => ({
        folder: i % 3 === 0 ? 'Sent Items' : 'Inbox',
        subject: `Project update ${i + 10}`,
        receivedDateTime: daysAgo(i),
        size: 20_480 + i * 512,
      })),
    },
    'OneDrive/files.json': {
      files: list(12, (i) => ({ name: `Review ${i + 10}.docx`, size: 18_211 + 1024 * i })),
    },
    'Teams/chats.json': {
      chats: 3,
      messages: list(128, (i) => ({ chat: i % 3, sentDateTime: daysAgo(i % 30), characters: 40 + (i % 50) })),
    },
  };
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

  /** One folder per product, through the SAS; returns the share of files written (the success rate). */
  async function writeProducts(op: DataPolicyOperation): Promise<number> {
    const client = new ContainerClient(op.storageLocation);
    const user = tenant.users.find((u) => u.id === op.userId);
    const files = productFiles(user, now());
    let written = 0;
    for (const [name, content] of Object.entries(files)) {
      const text = JSON.stringify(content, null, 2);
      try {
        await client.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), {
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
        written += 1;
      } catch {
        // The agent for this product could not deliver: it lowers the success rate, it does not fail the export.
      }
    }
    return written / Object.keys(files).length;
  }

  async function advance(op: DataPolicyOperation): Promise<void> {
    const step =
      options.exportDurationMs !== undefined
        ? timedStep(now().getTime() - Date.parse(op.submittedDateTime), options.exportDurationMs, variant)
        : schedule[Math.min(op.polls, schedule.length - 1)]!;
    op.polls += 1;
    if (step.status === 'complete') {
      const rate = await writeProducts(op);
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
    if (op.status !== 'complete' && op.status !== 'failed') await advance(op);
    const finished = op.status === 'complete' || op.status === 'failed';
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
    const retryHint = !finished && options.retryAfterOnOperation !== false;
    return ok(body, retryHint ? { 'Retry-After': retryAfter } : {});
  }

  return { operations, submit, read };
}
