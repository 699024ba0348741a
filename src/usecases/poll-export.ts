import type { ExportContents } from '../domain/export-request';
import { progressPercent } from '../domain/policies';
import { describeError } from '../logger';
import { applyEvent } from './apply-event';
import type { ExportDeps } from './export-deps';

/** Graph's answer for an operation id it does not know (the export service answers 400, not 404). */
export function isOperationNotFound(err: unknown): boolean {
  const e = err as { code?: unknown; status?: unknown };
  return e.code === 'OperationNotFound' || (e.status === 404 && e.code === 'Request_ResourceNotFound');
}

/**
 * The pollExport job: reads the operation once. Only the poll the request waits for acts (a duplicate or
 * late job is stale), so several instances never poll one export twice; the next poll is scheduled by the
 * workflow (never before Retry-After, growing with age up to the cap). When Graph says complete, what the
 * container holds is summarised first and completes the request with it.
 */
export async function pollExport(
  deps: ExportDeps,
  requestId: string,
  attempt: number,
  at: string,
): Promise<void> {
  const request = await deps.requests.get(requestId);
  const x = request?.export;
  if (
    !request ||
    !x?.operationUrl ||
    request.status !== 'exporting' ||
    x.attempt !== attempt ||
    x.nextAt !== at
  )
    return;
  let operation;
  try {
    operation = await deps.exporter.operation(x.operationUrl);
  } catch (err) {
    if (isOperationNotFound(err)) {
      await applyEvent(deps, requestId, {
        type: 'operationLost',
        attempt,
        detail: (err as { message?: string }).message ?? 'OperationNotFound',
      });
      return;
    }
    const e = err as { message?: string; retryAfterSeconds?: number };
    await applyEvent(deps, requestId, {
      type: 'pollFailed',
      attempt,
      detail: e.message ?? String(err),
      retryAfterSeconds: typeof e.retryAfterSeconds === 'number' ? e.retryAfterSeconds : undefined,
    });
    return;
  }
  deps.failpoint?.('poll.after');
  const contents =
    operation.status === 'complete' ? await summaryOf(deps, requestId, attempt, x.containerName) : undefined;
  await applyEvent(deps, requestId, {
    type: 'polled',
    attempt,
    status: operation.status,
    progress: progressPercent(operation.progress),
    retryAfterSeconds: operation.retryAfterSeconds,
    completedAt: operation.completedDateTime,
    ...(contents ? { contents } : {}),
  });
}

/**
 * What the finished export's container holds, read with the bot's own storage credential. A summary is a
 * courtesy: when it cannot be read, a warning is logged (the request and the error, nothing about the subject)
 * and the request completes without one.
 */
async function summaryOf(
  deps: ExportDeps,
  requestId: string,
  attempt: number,
  containerName: string,
): Promise<ExportContents | undefined> {
  try {
    return await deps.destinations.summarize(containerName);
  } catch (err) {
    deps.log?.warn('Could not summarise a completed export; completing it without a summary', {
      requestId,
      attempt,
      error: describeError(err),
    });
    return undefined;
  }
}
