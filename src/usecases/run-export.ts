import { containerNameFor, DEFAULT_EXPORT_POLICY } from '../domain/policies';
import { ContainerInUseError, DestinationUnfitError, type SubmitOutcome } from '../domain/ports';
import { operationId, type WorkflowEvent } from '../domain/workflow';
import { describeError } from '../logger';
import { applyEvent } from './apply-event';
import type { ExportDeps } from './export-deps';
import { isOperationNotFound } from './poll-export';

export type { ExportDeps } from './export-deps';
export { isOperationNotFound, pollExport } from './poll-export';

/**
 * The submitExport job: prepares the attempt's container and SAS, records that the POST is about to go out
 * (write-ahead), and submits once with the Graph client's retry off. 202 → exporting; 429/503/504 → again
 * after Retry-After, same empty container; a refusal → failed with Graph's code and what to do; no answer →
 * the outcome is unknown and nothing is submitted again until there is evidence or an admin asks. A job that
 * finds the write-ahead mark of an earlier run never submits: that run may have reached Graph.
 */
export async function submitExport(
  deps: ExportDeps,
  requestId: string,
  attempt: number,
  at: string,
): Promise<void> {
  const request = await deps.requests.get(requestId);
  const x = request?.export;
  if (!request || !x || request.status !== 'approved' || x.attempt !== attempt || x.nextAt !== at) return;
  if (x.submitStartedAt) {
    // An earlier run may have had Graph's 202 and failed to record it in the request: its write-ahead row says.
    const operationUrl = await deps.submissions?.find(requestId, attempt);
    if (operationUrl) {
      await applyEvent(deps, requestId, {
        type: 'submitAccepted',
        attempt,
        operationUrl,
        retryAfterSeconds: 0,
      });
      return;
    }
    // Another run may still be waiting for Graph's answer (a duplicate job): look again once it cannot be.
    const inFlightUntil =
      Date.parse(x.submitStartedAt) + (deps.timing ?? DEFAULT_EXPORT_POLICY).submitInFlightMs;
    if (deps.clock.now().getTime() < inFlightUntil) {
      await deps.jobs.enqueue({ type: 'submitExport', requestId, attempt, at }, new Date(inFlightUntil));
      return;
    }
    await applyEvent(deps, requestId, {
      type: 'submitUnknown',
      attempt,
      detail: 'the bot stopped while submitting, before Graph answered',
    });
    return;
  }
  let target;
  try {
    target = await deps.destinations.prepare(x.containerName);
  } catch (err) {
    if (err instanceof DestinationUnfitError) {
      await applyEvent(deps, requestId, {
        type: 'submitRefused',
        attempt,
        code: 'ExportDestinationUnfit',
        message: `${err.message} Then choose Retry.`,
      });
      return;
    }
    if (!(err instanceof ContainerInUseError)) throw err;
    if (x.throttled > 0) {
      // Graph asked to wait before, yet something is in the container now: an earlier POST may have been taken
      // after all. Look for it rather than failing (and rather than submitting a second time).
      await applyEvent(deps, requestId, {
        type: 'submitUnknown',
        attempt,
        detail: `the container ${x.containerName} holds data after Graph asked to wait: an earlier submission may have been taken`,
      });
      return;
    }
    await applyEvent(deps, requestId, {
      type: 'submitRefused',
      attempt,
      code: 'ContainerInUse',
      message: `The container ${x.containerName} already holds data, so it cannot receive this export. Retry exports into a new container.`,
    });
    return;
  }
  deps.failpoint?.('submit.before');
  const started = await applyEvent(deps, requestId, {
    type: 'submitStarted',
    attempt,
    accountName: target.accountName,
  });
  if (!started.ok) return; // another instance is submitting this attempt
  const outcome = await deps.exporter.submit(request.subject.id, target.sasUrl);
  if (outcome.kind === 'accepted') await keepAcceptance(deps, requestId, attempt, outcome.operationUrl);
  deps.failpoint?.('submit.after');
  await applyEvent(deps, requestId, submitEvent(attempt, outcome));
}

/**
 * Graph took the export: the operation is logged (its id, never the SAS) and written ahead of the request, so
 * that a failed request write after it loses nothing. A failure here is logged, not thrown: the request write
 * that follows is the other copy.
 */
async function keepAcceptance(
  deps: ExportDeps,
  requestId: string,
  attempt: number,
  operationUrl: string,
): Promise<void> {
  deps.log?.info('Graph accepted an export', { requestId, attempt, operation: operationId(operationUrl) });
  if (!deps.submissions) return;
  for (let i = 0; i < 3; i++) {
    try {
      await deps.submissions.record(requestId, attempt, operationUrl, deps.clock.now().toISOString());
      return;
    } catch (err) {
      if (i === 2)
        deps.log?.error("Could not write ahead Graph's answer to an export; the request record follows", {
          requestId,
          attempt,
          operation: operationId(operationUrl),
          error: describeError(err),
        });
    }
  }
}

/** The workflow event for what Graph answered to the submission. */
function submitEvent(attempt: number, outcome: SubmitOutcome): WorkflowEvent {
  switch (outcome.kind) {
    case 'accepted':
      return {
        type: 'submitAccepted',
        attempt,
        operationUrl: outcome.operationUrl,
        retryAfterSeconds: outcome.retryAfterSeconds,
      };
    case 'throttled':
      return {
        type: 'submitThrottled',
        attempt,
        code: outcome.code,
        retryAfterSeconds: outcome.retryAfterSeconds,
      };
    case 'refused':
      return { type: 'submitRefused', attempt, code: outcome.code, message: outcome.message };
    case 'unknown':
      return { type: 'submitUnknown', attempt, detail: outcome.detail };
  }
}

/**
 * The checkSubmission job, after a submission whose outcome is unknown: Graph writes RequestInfo.json into
 * the container when it takes an export. Found, naming the operation → follow it; otherwise look again a few
 * times, then ask the channel (the workflow decides which).
 */
export async function checkSubmission(
  deps: ExportDeps,
  requestId: string,
  attempt: number,
  at: string,
): Promise<void> {
  const request = await deps.requests.get(requestId);
  const x = request?.export;
  if (!request || !x || request.status !== 'outcomeUnknown' || x.attempt !== attempt || x.nextAt !== at)
    return;
  // Graph's own answer, if one arrived and was written ahead, is the best evidence.
  const accepted = await deps.submissions?.find(requestId, attempt);
  if (accepted) {
    await applyEvent(deps, requestId, {
      type: 'evidenceChecked',
      attempt,
      found: true,
      operationUrl: accepted,
    });
    return;
  }
  const evidence = await locateExport(deps, x.containerName);
  await applyEvent(deps, requestId, { type: 'evidenceChecked', attempt, ...evidence });
}

/**
 * Looks into an attempt's container for the export Graph took: its RequestInfo.json, and the operation it
 * names, confirmed with one GET per candidate id (its CommandId first). An id Graph does not know
 * (400 OperationNotFound) is not followed; any other Graph failure throws (the job comes back).
 */
export async function locateExport(
  deps: Pick<ExportDeps, 'destinations' | 'exporter'>,
  containerName: string,
): Promise<{ readonly found: boolean; readonly operationUrl?: string }> {
  const evidence = await deps.destinations.findEvidence(containerName);
  for (const id of (evidence.operationIds ?? []).slice(0, 3)) {
    const operationUrl = deps.exporter.operationUrl(id);
    try {
      await deps.exporter.operation(operationUrl);
      return { found: true, operationUrl };
    } catch (err) {
      if (!isOperationNotFound(err)) throw err;
    }
  }
  return { found: evidence.found };
}

/** The revokeSas job: ends the attempt's SAS (its stored access policy) and records it once. */
export async function revokeSas(deps: ExportDeps, requestId: string, attempt: number): Promise<void> {
  const request = await deps.requests.get(requestId);
  if (!request) return;
  const containerName =
    request.export?.attempt === attempt
      ? request.export.containerName
      : containerNameFor(request.id, attempt, (deps.timing ?? DEFAULT_EXPORT_POLICY).containerPrefix);
  await deps.destinations.revoke(containerName);
  await deps.audit.append(
    {
      at: deps.clock.now().toISOString(),
      action: 'sas.revoked',
      actor: { name: 'DSR export bot' },
      outcome: 'ok',
      requestId: request.id,
      subjectId: request.subject.id,
      detail: `the SAS of container ${containerName} (attempt ${attempt}) was revoked: Graph can no longer write there`,
    },
    `sas-revoked-${request.id}-${attempt}`,
  );
  await applyEvent(deps, requestId, { type: 'sasRevoked', attempt });
}
