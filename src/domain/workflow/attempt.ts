import type { Actor } from '../actor';
import type { AuditAction } from '../audit';
import type { Effect } from '../effect';
import type { ExportRequest, ExportState } from '../export-request';
import { exportPlace, type ExportPlace, type OutcomeNotice } from '../notice';
import { containerNameFor, type ExportPolicy } from '../policies';
import type { TransitionResult } from './types';

/** A new export attempt, in its own container, due at once. */
export function newAttempt(requestId: string, attempt: number, at: string, prefix: string): ExportState {
  return {
    attempt,
    containerName: containerNameFor(requestId, attempt, prefix),
    throttled: 0,
    polls: 0,
    pollErrors: 0,
    nextAt: at,
  };
}

/** An attempt whose outcome was unknown, now known to be Graph's operation `operationUrl`: poll it now. */
export function following(x: ExportState, operationUrl: string, at: string): ExportState {
  return {
    ...x,
    operationUrl,
    submittedAt: x.submitStartedAt ?? at,
    notBefore: at,
    nextAt: at,
    unknown: undefined,
    cardUpdatedAt: at,
  };
}

/** The operation id at the end of a dataPolicyOperations URL (the URL itself holds no secret). */
export function operationId(operationUrl: string): string {
  return operationUrl.split('/').pop()?.split('?')[0] ?? operationUrl;
}

/** What every step of an export attempt works with: the request, its current attempt, the time and policy. */
export interface AttemptStep {
  readonly request: ExportRequest;
  /** The request's current attempt. */
  readonly x: ExportState;
  readonly id: string;
  readonly now: Date;
  readonly at: string;
  readonly policy: ExportPolicy;
  /** Where the attempt's data goes, for notices. */
  readonly place: ExportPlace;
  /** Where the attempt's data goes, for audit details. */
  readonly where: string;
}

export function attemptStep(
  request: ExportRequest,
  x: ExportState,
  now: Date,
  policy: ExportPolicy,
): AttemptStep {
  return {
    request,
    x,
    id: request.id,
    now,
    at: now.toISOString(),
    policy,
    place: exportPlace(x),
    where: `container ${x.containerName} in storage account ${x.accountName ?? ''}`,
  };
}

/** `ms` after the step's time, as an ISO date. */
export function later(step: AttemptStep, ms: number): string {
  return new Date(step.now.getTime() + ms).toISOString();
}

export function audit(action: AuditAction, detail: string, actor?: Actor): Effect {
  return { type: 'audit', action, actor, detail };
}

export function ok(request: ExportRequest, effects: readonly Effect[]): TransitionResult {
  return { ok: true, request, effects };
}

/** The attempt ended in failure: tell everyone, end the SAS. */
export function fail(step: AttemptStep, state: ExportState, code: string, message: string): TransitionResult {
  const { request, id, at } = step;
  const failed: ExportState = { ...state, nextAt: undefined, completedAt: at, failure: { code, message } };
  const notice: OutcomeNotice = {
    kind: 'exportFailed',
    requestId: id,
    subject: request.subject.displayName,
    code,
    message,
  };
  return ok({ ...request, status: 'failed', export: failed }, [
    audit('export.failed', `attempt ${state.attempt} of ${id} failed (${code}): ${message}`),
    { type: 'updateApprovalCard' },
    { type: 'replyInThread', key: `failed-${state.attempt}`, notice },
    { type: 'notifyRequester', key: `failed-${state.attempt}`, notice },
    { type: 'revokeSas', attempt: state.attempt },
  ]);
}
