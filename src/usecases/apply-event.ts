import type { ExportRequest, OutboxEntry } from '../domain/export-request';
import { jobOf } from '../domain/jobs';
import { DEFAULT_EXPORT_POLICY, type ExportPolicy } from '../domain/policies';
import {
  StaleWriteError,
  type AuditLog,
  type Clock,
  type JobQueue,
  type RequestStore,
} from '../domain/ports';
import {
  DEFAULT_APPROVAL_TIMERS,
  transition,
  type ApprovalTimers,
  type Refusal,
  type WorkflowEvent,
} from '../domain/workflow';

export interface ApplyEventDeps {
  readonly requests: RequestStore;
  readonly audit: AuditLog;
  readonly jobs: JobQueue;
  readonly clock: Clock;
  /** Export pacing (poll cap, evidence checks, card updates); the defaults when absent. */
  readonly timing?: ExportPolicy;
  /** When pending requests remind their channel and expire; the defaults when absent. */
  readonly approvalTimers?: ApprovalTimers;
  /** Ids for outbox entries (unique; random in production). */
  readonly newId: () => string;
  /**
   * Runs work without waiting for it (tracked: see {@link AfterTurn}). With it, `applyEvent(…, 'afterWrite')`
   * answers once the new state and its effects are stored, and hands the effects over right after.
   */
  readonly afterTurn?: (work: () => Promise<unknown>) => void;
}

/**
 * When {@link applyEvent} hands the effects over: before it resolves (`'now'`), or right after, without
 * waiting (`'afterWrite'`: for a person waiting on an invoke; the write is what makes the step happen).
 */
export type HandOver = 'now' | 'afterWrite';

export type ApplyResult =
  | {
      readonly ok: true;
      readonly request: ExportRequest;
      /**
       * False when the transition is stored but its effects could not be handed to the queue yet: they wait in
       * the record's outbox and go out with the next action on the request, the periodic sweep
       * ({@link sweepOutboxes}) or the next start. The decision itself stands. (Handed over after the write,
       * true: should that fail, the same holds.)
       */
      readonly handedOver: boolean;
    }
  | ({ readonly ok: false; readonly request: ExportRequest } & Refusal)
  | { readonly ok: false; readonly reason: 'notFound' };

/**
 * Reads the request, applies the workflow event and writes it back with its ETag, retrying from a fresh read
 * when another instance wrote first; so of two concurrent decisions exactly one is stored, and the other
 * gets the refusal that now applies ("already decided by …").
 *
 * The effects are written **with** the new state, in the record's outbox, then handed over (audit records,
 * durable jobs) and cleared. A crash between the write and the hand-over loses nothing: the next job that
 * finds a non-empty outbox ({@link flushOutbox}) hands them over again. Handing over twice is harmless: audit
 * records are keyed by the entry id, notices are sent once per key, and a scheduled export job only acts when
 * the request still waits for it.
 */
export async function applyEvent(
  deps: ApplyEventDeps,
  requestId: string,
  event: WorkflowEvent,
  handOverWhen: HandOver = 'now',
): Promise<ApplyResult> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const stored = await deps.requests.getVersioned(requestId);
    if (!stored) return { ok: false, reason: 'notFound' };
    const result = transition(
      stored.value,
      event,
      deps.clock.now(),
      deps.timing ?? DEFAULT_EXPORT_POLICY,
      deps.approvalTimers ?? DEFAULT_APPROVAL_TIMERS,
    );
    if (!result.ok) {
      // Nothing changes, but effects an earlier writer could not hand over go out now (best effort; the
      // writer of fresh ones is most likely handing them over itself right now).
      if (isStale(stored.value.outbox ?? [], deps.clock.now(), OUTBOX_GRACE_MS)) {
        await handOver(deps, stored.value, stored.etag).catch(() => undefined);
      }
      return { ...result, request: stored.value };
    }
    const at = deps.clock.now().toISOString();
    const entries: OutboxEntry[] = result.effects.map((effect) => ({ id: deps.newId(), at, effect }));
    const next: ExportRequest = {
      ...result.request,
      outbox: [...(stored.value.outbox ?? []), ...entries],
    };
    let written;
    try {
      written = await deps.requests.replace(next, stored.etag);
    } catch (err) {
      if (err instanceof StaleWriteError) continue;
      throw err;
    }
    const { afterTurn } = deps;
    if (handOverWhen === 'afterWrite' && afterTurn) {
      const { value, etag } = written;
      afterTurn(() => handOver(deps, value, etag));
      return { ok: true, request: value, handedOver: true };
    }
    try {
      const cleared = await handOver(deps, written.value, written.etag);
      return { ok: true, request: cleared, handedOver: true };
    } catch {
      // Stored with its effects: they are not lost, only late (see ApplyResult.handedOver).
      return { ok: true, request: written.value, handedOver: false };
    }
  }
  throw new Error(`Request ${requestId} changed ten times while applying ${event.type}; giving up.`);
}

/**
 * Hands over the effects a crashed writer left in the request's outbox (see {@link applyEvent}). Cheap when
 * there are none; called by jobs that were delivered again.
 */
export async function flushOutbox(deps: ApplyEventDeps, requestId: string, olderThanMs = 0): Promise<void> {
  const stored = await deps.requests.getVersioned(requestId);
  const outbox = stored?.value.outbox ?? [];
  if (!stored || outbox.length === 0) return;
  // Entries younger than that may belong to a writer handing them over right now: leave them to it.
  if (!isStale(outbox, deps.clock.now(), olderThanMs)) return;
  await handOver(deps, stored.value, stored.etag);
}

/** Whether an outbox holds entries, all at least `olderThanMs` old (entries of older versions count as old). */
function isStale(outbox: readonly OutboxEntry[], now: Date, olderThanMs: number): boolean {
  return (
    outbox.length > 0 &&
    outbox.every((e) => e.at === undefined || now.getTime() - Date.parse(e.at) >= olderThanMs)
  );
}

/**
 * How old waiting effects must be before someone other than their writer hands them over (a click, the sweep):
 * younger ones are most likely being handed over by their writer at this moment.
 */
export const OUTBOX_GRACE_MS = 30_000;

/**
 * Hands over every outbox that still holds effects (a hand-over failed, or a writer crashed after its write).
 * Run at start-up and periodically; safe on several instances at once (every job is safe to run twice).
 * Resolves with how many requests had effects waiting; one request that fails does not stop the others.
 */
export async function sweepOutboxes(
  deps: ApplyEventDeps,
  onError: (requestId: string, error: unknown) => void,
): Promise<number> {
  const ids = await deps.requests.withPendingEffects();
  for (const id of ids) {
    try {
      await flushOutbox(deps, id, OUTBOX_GRACE_MS);
    } catch (err) {
      onError(id, err);
    }
  }
  return ids.length;
}

async function handOver(deps: ApplyEventDeps, request: ExportRequest, etag: string): Promise<ExportRequest> {
  const outbox = request.outbox ?? [];
  const at = deps.clock.now().toISOString();
  await Promise.all(
    outbox.map(async ({ id, at: storedAt, effect }) => {
      if (effect.type !== 'audit') {
        // A job is its effect addressed to the request. (An effect an earlier version stored with its notice in
        // words goes out as it was stored: the job table still runs that shape.)
        await deps.jobs.enqueue(jobOf(request.id, effect), 'at' in effect ? new Date(effect.at) : undefined);
      } else {
        await deps.audit.append(
          {
            // When it happened (the transition's time), not when it was handed over.
            at: storedAt ?? at,
            action: effect.action,
            actor: effect.actor ?? { name: 'DSR export bot' },
            outcome: effect.outcome ?? 'ok',
            requestId: request.id,
            subjectId: request.subject.id,
            detail: effect.detail,
          },
          id,
        );
      }
    }),
  );
  const cleared: ExportRequest = { ...request, outbox: [] };
  try {
    await deps.requests.replace(cleared, etag);
  } catch (err) {
    // A newer write carries these entries on in its own outbox and hands them over again: harmless.
    if (!(err instanceof StaleWriteError)) throw err;
  }
  return cleared;
}
