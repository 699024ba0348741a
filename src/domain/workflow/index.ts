import type { ExportRequest } from '../export-request';
import { DEFAULT_EXPORT_POLICY, type ExportPolicy } from '../policies';
import { approvalTransition } from './approval';
import { exportTransition } from './export';
import { lifecycleTransition } from './lifecycle';
import { retentionTransition } from './retention';
import {
  DEFAULT_APPROVAL_TIMERS,
  type ApprovalTimers,
  type ExportEvent,
  type LifecycleEvent,
  type RetentionEvent,
  type TransitionResult,
  type WorkflowEvent,
} from './types';

// The workflow's vocabulary, named beside transition(); Effect lives in effect.ts, below the record whose
// outbox keeps it.
export type { Effect } from '../effect';
export { operationId } from './attempt';
export {
  approvalRound,
  DEFAULT_APPROVAL_TIMERS,
  MAX_ATTEMPTS_PER_APPROVAL,
  type ApprovalEvent,
  type ApprovalTimers,
  type ExportEvent,
  type LifecycleEvent,
  type Refusal,
  type RetentionEvent,
  type TransitionResult,
  type WorkflowEvent,
} from './types';

/** The events the export's half of the workflow handles; every other event is the approval's. */
const EXPORT_EVENTS = {
  submitStarted: true,
  submitAccepted: true,
  submitThrottled: true,
  submitRefused: true,
  submitUnknown: true,
  evidenceChecked: true,
  polled: true,
  pollFailed: true,
  operationLost: true,
  resubmit: true,
  sasRevoked: true,
  watched: true,
} satisfies Record<ExportEvent['type'], true>;

function isExportEvent(event: WorkflowEvent): event is ExportEvent {
  return Object.hasOwn(EXPORT_EVENTS, event.type);
}

/** The events of the legal clock (identity, extension, reminders, delivery, closure). */
const LIFECYCLE_EVENTS = {
  recordIdentity: true,
  extend: true,
  deliver: true,
  proposeClosure: true,
  confirmClosure: true,
  withdrawClosure: true,
  deadlineDue: true,
} satisfies Record<LifecycleEvent['type'], true>;

function isLifecycleEvent(event: WorkflowEvent): event is LifecycleEvent {
  return Object.hasOwn(LIFECYCLE_EVENTS, event.type);
}

/** The events of retention (hold, notice, deletion). */
const RETENTION_EVENTS = {
  hold: true,
  releaseHold: true,
  retentionNoticed: true,
  deletionStarted: true,
  containersDeleted: true,
} satisfies Record<RetentionEvent['type'], true>;

function isRetentionEvent(event: WorkflowEvent): event is RetentionEvent {
  return Object.hasOwn(RETENTION_EVENTS, event.type);
}

/**
 * The workflow of a request: pure, total and exhaustive. Returns the next request and the effects to run, or
 * why the event does not apply. Three parts: the approval (./approval.ts), the export (./export.ts) and the
 * legal clock around both (./lifecycle.ts), and retention once it is over (./retention.ts).
 */
export function transition(
  request: ExportRequest,
  event: WorkflowEvent,
  now: Date,
  policy: ExportPolicy = DEFAULT_EXPORT_POLICY,
  timers: ApprovalTimers = DEFAULT_APPROVAL_TIMERS,
): TransitionResult {
  if (isLifecycleEvent(event)) return lifecycleTransition(request, event, now);
  if (isRetentionEvent(event)) return retentionTransition(request, event, now);
  return isExportEvent(event)
    ? exportTransition(request, event, now, policy, timers)
    : approvalTransition(request, event, now, policy, timers);
}
