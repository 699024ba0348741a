/**
 * The card verbs: one table shared by the card templates (tested to match) and the router. Card data holds
 * a verb and a draft or request id, nothing that proves who anyone is.
 */
export const VERB = {
  find: 'intake.find',
  pick: 'intake.pick',
  acknowledgeDuplicate: 'intake.duplicate',
  submit: 'intake.submit',
  cancel: 'intake.cancel',
  approve: 'approval.approve',
  reject: 'approval.reject',
  cancelRequest: 'approval.cancel',
  refresh: 'approval.refresh',
  resubmit: 'export.resubmit',
  recordIdentity: 'request.identity',
  extend: 'request.extend',
  deliver: 'request.deliver',
  proposeClosure: 'request.close',
  confirmClosure: 'request.confirmClose',
  withdrawClosure: 'request.keepOpen',
  show: 'request.show',
  page: 'requests.page',
  auditPage: 'audit.page',
  auditExport: 'audit.export',
} as const;

export type Verb = (typeof VERB)[keyof typeof VERB];
export type IntakeVerb = (typeof VERB)['find' | 'pick' | 'acknowledgeDuplicate' | 'submit' | 'cancel'];
export type ApprovalVerb = (typeof VERB)['approve' | 'reject' | 'cancelRequest' | 'refresh' | 'resubmit'];
/** What an admin does about a request's legal clock, from its card or its status card (admins, any chat). */
export type LifecycleVerb = (typeof VERB)[
  'recordIdentity' | 'extend' | 'deliver' | 'proposeClosure' | 'confirmClosure' | 'withdrawClosure'];
/** Looking up requests: a status card, a page of a list. */
export type RequestLookupVerb = (typeof VERB)['show' | 'page'];
/**
 * What an admin looks up, anywhere: a request lookup or a page of an audit trail. These are the answers a
 * shared chat's neutral note fetches for each person (its refresh and Show button).
 */
export type LookupVerb = RequestLookupVerb | (typeof VERB)['auditPage'];
/** A request's audit trail: a page of it, an export of it to a file (admins, any chat). */
export type AuditVerb = (typeof VERB)['auditPage' | 'auditExport'];

/**
 * The inputs of the lifecycle actions' forms, as card data names them (one vocabulary for templates and
 * handlers). Card data holds what a person typed; who they are comes from the activity.
 */
export const INPUT = {
  identityMethod: 'identityMethod',
  identityNote: 'identityNote',
  extendReason: 'extendReason',
  extendMonths: 'extendMonths',
  deliveryDate: 'deliveryDate',
  deliveryMethod: 'deliveryMethod',
  deliveryNote: 'deliveryNote',
  closeReason: 'closeReason',
  closeNote: 'closeNote',
} as const;

export const VERBS: readonly Verb[] = Object.values(VERB);

export function isVerb(value: unknown): value is Verb {
  return typeof value === 'string' && (VERBS as readonly string[]).includes(value);
}
