import type { Actor } from './actor';
import type { DirectoryUser } from './directory-user';
import type { ConversationRef, Regime } from './export-request';
import type { FormField } from './policies';

/**
 * A request being put together in a conversation, before the requester confirms it. Cards refer to it by id
 * only; who is asking and whom the search found live here, on the server, never in card data.
 */
export type DraftStage = 'choosing' | 'confirming' | 'submitting' | 'submitted' | 'cancelled';

export interface IntakeDraft {
  readonly id: string;
  readonly createdAt: string;
  readonly requester: Actor;
  readonly tenantId: string;
  readonly requestedIn: { readonly id: string; readonly type: ConversationRef['type'] };
  readonly stage: DraftStage;
  /** A regime the requester named in their words ("gdpr export …"), preselected in the card. */
  readonly regime: Regime | undefined;
  /** The people a display-name search found, to pick from (choosing). */
  readonly candidates: readonly DirectoryUser[];
  /** The resolved data subject (confirming and after). */
  readonly subject: DirectoryUser | undefined;
  /** An open request for the same subject the requester chose to create another beside. */
  readonly duplicateOf: string | undefined;
  /** The request id claimed for this draft (submitting) or created from it (submitted). */
  readonly requestId: string | undefined;
  /** The values last typed in the confirmation card. */
  readonly form: Partial<Record<FormField, string>>;
}

/** Drafts older than this are refused: the requester asks again and the directory is read again. */
export const DRAFT_LIFETIME_MS = 24 * 3600 * 1000;
