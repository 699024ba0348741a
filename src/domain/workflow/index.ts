import type { ExportRequest } from '../export-request';
import { DEFAULT_EXPORT_POLICY, type ExportPolicy } from '../policies';
import { approvalTransition } from './approval';
import { exportTransition } from './export';
import {
  DEFAULT_APPROVAL_TIMERS,
  type ApprovalTimers,
  type ExportEvent,
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
  type Refusal,
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
} satisfies Record<ExportEvent['type'], true>;

function isExportEvent(event: WorkflowEvent): event is ExportEvent {
  return Object.hasOwn(EXPORT_EVENTS, event.type);
}

/**
 * The workflow of a request: pure, total and exhaustive. Returns the next request and the effects to run, or
 * why the event does not apply. Two halves: the approval (./approval.ts) and the export (./export.ts).
 */
export function transition(
  request: ExportRequest,
  event: WorkflowEvent,
  now: Date,
  policy: ExportPolicy = DEFAULT_EXPORT_POLICY,
  timers: ApprovalTimers = DEFAULT_APPROVAL_TIMERS,
): TransitionResult {
  return isExportEvent(event)
    ? exportTransition(request, event, now, policy, timers)
    : approvalTransition(request, event, now, policy, timers);
}
