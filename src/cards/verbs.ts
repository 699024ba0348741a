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
} as const;

export type Verb = (typeof VERB)[keyof typeof VERB];
export type IntakeVerb = (typeof VERB)['find' | 'pick' | 'acknowledgeDuplicate' | 'submit' | 'cancel'];
export type ApprovalVerb = (typeof VERB)['approve' | 'reject' | 'cancelRequest' | 'refresh' | 'resubmit'];

export const VERBS: readonly Verb[] = Object.values(VERB);

export function isVerb(value: unknown): value is Verb {
  return typeof value === 'string' && (VERBS as readonly string[]).includes(value);
}
