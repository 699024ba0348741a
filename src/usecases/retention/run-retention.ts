import type { ExportRequest } from '../../domain/export-request';
import type { Tombstones } from '../../domain/records-ports';
import { tombstoneOf } from '../../domain/request-outcome';
import { retentionSteps, type RetentionPolicy, type RetentionStep } from '../../domain/retention';
import type { ExportRemoval, RecordRemoval } from '../../domain/retention-ports';
import { applyEvent, type ApplyEventDeps } from '../apply-event';

export interface RetentionDeps extends ApplyEventDeps {
  readonly policy: RetentionPolicy;
  readonly exports: ExportRemoval;
  readonly records: RecordRemoval;
  readonly tombstones: Tombstones;
}

/** What one run did to the request, for the log and the tests. */
export type RetentionRun = readonly (RetentionStep['kind'] | 'finishedDeletion' | 'held' | 'gone')[];

/**
 * Does what retention asks of one request now (a job queued by the daily sweep; safe to run twice, on any
 * instance). First it finishes a deletion a crash interrupted; then, with the record read again, each step
 * that is due: the notice before a delivered export is deleted, the deletion of containers (stored as started
 * first, so that a hold asked for meanwhile is refused rather than ignored; never while held), and the
 * tombstone once nothing else is left. Every deletion is in the request's audit trail, the tombstone's in the
 * trail of events tied to no request (the request's own trail goes with it).
 */
export async function runRetention(deps: RetentionDeps, requestId: string): Promise<RetentionRun> {
  const done: RetentionRun[number][] = [];
  let request = await deps.requests.get(requestId);
  if (!request) return ['gone'];
  const interrupted = request.retention?.deleting;
  if (interrupted) {
    request = await removeContainers(
      deps,
      request,
      interrupted.containers,
      whyOf(request, interrupted.containers),
    );
    done.push('finishedDeletion');
  }
  for (const step of retentionSteps(request, deps.clock.now(), deps.policy)) {
    switch (step.kind) {
      case 'notice': {
        const noticed = await applyEvent(deps, requestId, {
          type: 'retentionNoticed',
          deleteOn: step.deleteOn,
          days: deps.policy.exportDays,
        });
        if (noticed.ok) request = noticed.request;
        break;
      }
      case 'deleteContainers': {
        const started = await applyEvent(deps, requestId, {
          type: 'deletionStarted',
          containers: step.containers,
        });
        if (!started.ok) return [...done, 'held'];
        request = await removeContainers(deps, started.request, step.containers, step.why);
        break;
      }
      case 'tombstone':
        await tombstone(deps, requestId);
        return [...done, 'tombstone'];
    }
    done.push(step.kind);
  }
  return done;
}

function whyOf(request: ExportRequest, containers: readonly string[]): 'delivered' | 'unused' {
  const current = request.export?.containerName;
  return request.status === 'delivered' && current !== undefined && containers.includes(current)
    ? 'delivered'
    : 'unused';
}

async function removeContainers(
  deps: RetentionDeps,
  request: ExportRequest,
  containers: readonly string[],
  why: 'delivered' | 'unused',
): Promise<ExportRequest> {
  for (const container of containers) await deps.exports.removeContainer(container);
  const recorded = await applyEvent(deps, request.id, { type: 'containersDeleted', containers, why });
  return recorded.ok ? recorded.request : request;
}

/**
 * Leaves only the tombstone: marks the deletion on the record (a hold is refused from then on), writes the
 * tombstone, deletes the trail's exports, erases the trail, records that in the trail of events tied to no request, and deletes the record
 * last (so that a crash anywhere leaves the record, and the next run does it all again, harmlessly).
 */
async function tombstone(deps: RetentionDeps, requestId: string): Promise<void> {
  const marked = await applyEvent(deps, requestId, { type: 'deletionStarted', containers: [] });
  if (!marked.ok) return;
  const now = deps.clock.now();
  await deps.tombstones.put(tombstoneOf(marked.request, now.toISOString()));
  const files = await deps.records.eraseTrailFiles(requestId);
  const rows = await deps.records.eraseTrail(requestId);
  await deps.audit.append(
    {
      at: now.toISOString(),
      action: 'record.tombstoned',
      actor: { name: 'DSR export bot' },
      outcome: 'ok',
      detail: `${requestId} deleted after ${deps.policy.recordMonths} months (record, ${rows} audit entries and ${files} trail exports); its tombstone keeps the figures`,
    },
    `tombstone-${requestId}`,
  );
  const stored = await deps.requests.getVersioned(requestId);
  if (stored) await deps.records.removeRequest(stored);
}
