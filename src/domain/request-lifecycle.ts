import type { Actor } from './actor';

/* The legal clock's records on a request: identity check, extensions, delivery, closure without export. */

/** How the data subject's identity was verified (CCPA §7060–7062: before anything is disclosed). */
export const IDENTITY_METHODS = ['corporateSignIn', 'hrRecords', 'governmentId', 'other'] as const;
export type IdentityMethod = (typeof IDENTITY_METHODS)[number];

export interface IdentityVerification {
  readonly method: IdentityMethod;
  readonly note: string;
  readonly by: Actor;
  readonly at: string;
}

/** One extension of the legal due date, with its reason (the subject must be told of it). */
export interface Extension {
  readonly by: Actor;
  readonly at: string;
  readonly reason: string;
  readonly fromDue: string;
  readonly toDue: string;
}

export const DELIVERY_METHODS = ['secureLink', 'inPerson', 'post', 'other'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

/** The data reached the subject: the clock stopped on `date`. */
export interface Delivery {
  /** The day the data reached the subject (YYYY-MM-DD). */
  readonly date: string;
  readonly method: DeliveryMethod;
  readonly note: string;
  readonly by: Actor;
  readonly at: string;
  /** Days after the due date (0 when on time). */
  readonly daysLate: number;
}

export const CLOSURE_REASONS = [
  'withdrawn',
  'identityNotVerified',
  'manifestlyUnfounded',
  'excessive',
] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

/** A closure without export: proposed by one admin, confirmed by another (four eyes). */
export interface Closure {
  readonly reason: ClosureReason;
  readonly note: string;
  readonly proposedBy: Actor;
  readonly proposedAt: string;
  /** Set when a second admin confirmed it. */
  readonly confirmedBy?: Actor;
  readonly confirmedAt?: string;
}
