import type { Actor } from './actor';
import type { DirectoryUser } from './directory-user';
import type { ConversationRef, Regime } from './export-request';
import type { FormField } from './policies';

/**
 * A request being put together in a conversation, before the requester confirms it. Cards refer to it by id
 * only; who is asking and whom the search found live here, on the server, never in card data.
 *
 * - `choosing`: whom to export is not settled (the bot asks for a name, or offers the matches to pick from).
 * - `confirming`: the person is known; the confirmation card (or the open requests for them) is shown.
 * - `submitting`: a Submit claimed the draft and its request id; the request is being written.
 * - `submitted`: the request is stored. A repeated Submit answers with it again and creates nothing.
 * - `cancelled`: the requester cancelled; nothing was stored.
 *
 * A draft in `choosing` or `confirming` expires {@link DRAFT_LIFETIME_MS} after it was opened.
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

/** Whether the draft is more than {@link DRAFT_LIFETIME_MS} old at `now`. */
export function isExpired(draft: IntakeDraft, now: Date): boolean {
  return now.getTime() - Date.parse(draft.createdAt) > DRAFT_LIFETIME_MS;
}

const DRAFT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Draft ids are random UUIDs: a card's draft id of any other form (forged card data) is not looked up. */
export function isDraftId(id: string): boolean {
  return DRAFT_ID.test(id);
}
