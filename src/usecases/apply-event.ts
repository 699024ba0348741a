import type { ExportRequest } from '../domain/export-request';
import type { Job } from '../domain/jobs';
import {
  StaleWriteError,
  type AuditLog,
  type Clock,
  type JobQueue,
  type RequestStore,
} from '../domain/ports';
import { transition, type Effect, type Refusal, type WorkflowEvent } from '../domain/workflow';

export interface ApplyEventDeps {
  readonly requests: RequestStore;
  readonly audit: AuditLog;
  readonly jobs: JobQueue;
  readonly clock: Clock;
}

export type ApplyResult =
  | { readonly ok: true; readonly request: ExportRequest }
  | ({ readonly ok: false; readonly request: ExportRequest } & Refusal)
  | { readonly ok: false; readonly reason: 'notFound' };

/**
 * Reads the request, applies the workflow event and writes it back with its ETag, retrying from a fresh read
 * when another instance wrote first; so of two concurrent decisions exactly one is stored, and the other
 * gets the refusal that now applies ("already decided by …"). Then runs the effects: audit now, the rest as
 * durable jobs.
 */
export async function applyEvent(
  deps: ApplyEventDeps,
  requestId: string,
  event: WorkflowEvent,
): Promise<ApplyResult> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const stored = await deps.requests.getVersioned(requestId);
    if (!stored) return { ok: false, reason: 'notFound' };
    const result = transition(stored.value, event, deps.clock.now());
    if (!result.ok) return { ...result, request: stored.value };
    try {
      await deps.requests.replace(result.request, stored.etag);
    } catch (err) {
      if (err instanceof StaleWriteError) continue;
      throw err;
    }
    await runEffects(deps, result.request, result.effects);
    return { ok: true, request: result.request };
  }
  throw new Error(`Request ${requestId} changed ten times while applying ${event.type}; giving up.`);
}

async function runEffects(
  deps: ApplyEventDeps,
  request: ExportRequest,
  effects: readonly Effect[],
): Promise<void> {
  const at = deps.clock.now().toISOString();
  for (const effect of effects) {
    const job = jobFor(request, effect);
    if (job) await deps.jobs.enqueue(job);
    else if (effect.type === 'audit') {
      await deps.audit.append({
        at,
        action: effect.action,
        actor: effect.actor ?? { name: 'DSR export bot' },
        outcome: 'ok',
        requestId: request.id,
        subjectId: request.subject.id,
        detail: effect.detail,
      });
    }
  }
}

function jobFor(request: ExportRequest, effect: Effect): Job | undefined {
  switch (effect.type) {
    case 'updateApprovalCard':
      return { type: 'updateApprovalCard', requestId: request.id };
    case 'replyInThread':
      return { type: 'replyInThread', requestId: request.id, key: effect.key, text: effect.text };
    case 'notifyRequester':
      return { type: 'notifyRequester', requestId: request.id, key: effect.key, text: effect.text };
    case 'scheduleExport':
      // The export itself comes with the submission issue; the approval is stored and audited.
      return undefined;
    case 'audit':
      return undefined;
  }
}
