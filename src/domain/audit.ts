/** What happened, for the audit trail. Past tense; one word per kind of event. */
export type AuditAction =
  | 'request.created'
  | 'request.refused'
  | 'draft.cancelled'
  | 'duplicate.acknowledged'
  | 'approvalsChannel.set'
  | 'approvalsChannel.refused'
  | 'card.refused'
  | 'card.posted'
  | 'request.approved'
  | 'request.rejected'
  | 'request.cancelled'
  | 'request.expired'
  | 'request.reminded'
  | 'request.reapprovalAsked'
  | 'decision.refused'
  | 'notification.sent'
  | 'notification.failed'
  | 'sas.created'
  | 'sas.revoked'
  | 'export.submitted'
  | 'export.throttled'
  | 'export.unknown'
  | 'export.recovered'
  | 'export.statusChanged'
  | 'export.pollFailing'
  | 'export.completed'
  | 'export.failed'
  | 'export.resubmitted'
  | 'identity.recorded'
  | 'deadline.reminded'
  | 'deadline.extended'
  | 'request.delivered'
  | 'closure.proposed'
  | 'closure.withdrawn'
  | 'request.closed'
  | 'request.viewed'
  | 'requests.listed'
  /* Records: reading, exporting and sealing the trail, the yearly report. */
  | 'audit.viewed'
  | 'audit.exported'
  | 'audit.linkIssued'
  | 'audit.downloaded'
  | 'audit.linkRefused'
  | 'audit.sealed'
  | 'report.viewed'
  | 'report.exported'
  /* Retention: what is deleted when, and what holds it back. */
  | 'retention.noticed'
  | 'retention.held'
  | 'retention.released'
  | 'retention.deleted'
  | 'draft.purged'
  | 'record.tombstoned';

/** One audit record: who (as Teams identified them), what, when, the outcome. Never a secret. */
export interface AuditEvent {
  readonly at: string;
  readonly action: AuditAction;
  readonly actor: { readonly aadObjectId?: string; readonly name?: string; readonly tenantId?: string };
  readonly outcome: 'ok' | 'refused';
  readonly requestId?: string;
  readonly subjectId?: string;
  /** A sentence: why it was refused, or what changed. */
  readonly detail?: string;
}
