import type { DirectoryUser } from './ports';

export const REGIMES = ['GDPR', 'CCPA', 'other'] as const;
export type Regime = (typeof REGIMES)[number];

/** A person as Teams identified them (the activity's sender), with the name shown at the time. */
export interface Actor {
  readonly aadObjectId: string;
  readonly name: string;
}

/** Where a conversation with the bot happened, to answer there later. */
export interface ConversationRef {
  readonly id: string;
  readonly type: 'personal' | 'groupChat' | 'channel';
}

/**
 * The lifecycle of a request. Later steps (approval, export) extend this union; every `switch` over it is
 * exhaustive, so adding a status is a compile error wherever it is not handled.
 */
export type RequestStatus = 'pendingApproval' | 'approved' | 'rejected' | 'cancelled' | 'expired';

/** Not finished: a new request for the same subject is pointed at these. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['pendingApproval', 'approved'];

export function isOpen(status: RequestStatus): boolean {
  switch (status) {
    case 'pendingApproval':
    case 'approved':
      return true;
    case 'rejected':
    case 'cancelled':
    case 'expired':
      return false;
    default:
      return assertNever(status);
  }
}

/** How a pending request was decided, by whom (as Teams identified them) and when. */
export interface Decision {
  readonly verdict: 'approved' | 'rejected' | 'cancelled' | 'expired';
  /** Undefined when the bot decided (expiry). */
  readonly by: Actor | undefined;
  readonly at: string;
  readonly reason?: string;
}

/** The approval card as posted in the approvals channel. */
export interface PostedCard {
  readonly conversationId: string;
  /** The Bot Framework service URL the card was posted through (regional and sovereign clouds differ). */
  readonly serviceUrl: string;
  readonly activityId: string;
  readonly postedAt: string;
}

/** A data-subject export request, as stored after the requester confirmed it. */
export interface ExportRequest {
  /** Human-friendly and unique across instances, e.g. DSR-2026-0042. */
  readonly id: string;
  readonly status: RequestStatus;
  /** The data subject as the directory described them when the request was made. */
  readonly subject: DirectoryUser;
  readonly requester: Actor;
  readonly regime: Regime;
  /** The date the subject's request was received (YYYY-MM-DD): it starts the legal clock. */
  readonly receivedDate: string;
  /** The legal due date (YYYY-MM-DD), from the regime and the received date. */
  readonly dueDate: string;
  readonly reference: string;
  readonly justification: string;
  readonly createdAt: string;
  /** The conversation the request was made in. */
  readonly requestedIn: ConversationRef;
  /** The open request for the same subject the requester knowingly created this one beside, if any. */
  readonly duplicateOf?: string;
  /** Set once the request left pendingApproval. */
  readonly decision?: Decision;
  /** Set once the approval card is in the channel. */
  readonly approvalCard?: PostedCard;
  /** When the channel was last reminded of this pending request. */
  readonly remindedAt?: string;
  /** A decision recorded while the decider's admin role is verified (Graph was slow); one at a time. */
  readonly pendingDecision?: PendingDecision;
}

export interface PendingDecision {
  readonly claimId: string;
  readonly verdict: 'approved' | 'rejected';
  readonly by: Actor;
  readonly at: string;
  readonly reason?: string;
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
