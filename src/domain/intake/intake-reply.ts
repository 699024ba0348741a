import type { DirectoryUser } from '../directory-user';
import type { ExportRequest, Regime } from '../export-request';
import type { FormField } from '../policies';

/** Whom the requester named, once the Teams adapter has turned a mention into an object id. */
export type SubjectQuery =
  | { readonly kind: 'objectId'; readonly aadObjectId: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'none' };

/** What a click on an intake card asks for (the card's verb and the fields it may carry). */
export type IntakeAction =
  | { readonly verb: 'find'; readonly query: string }
  | { readonly verb: 'pick'; readonly choice: number }
  | { readonly verb: 'acknowledgeDuplicate' }
  | { readonly verb: 'submit'; readonly inputs: Record<string, unknown> }
  | { readonly verb: 'cancel' };

/** What the bot answers at each step of intake. The Teams adapter turns each into a card or a message. */
export type IntakeReply =
  | { readonly kind: 'refused'; readonly reason: 'otherTenant' | 'unknownCaller' | 'noRole' }
  | { readonly kind: 'askSubject'; readonly draftId: string; readonly error?: string }
  | {
      readonly kind: 'pick';
      readonly draftId: string;
      readonly query: string;
      readonly candidates: readonly DirectoryUser[];
    }
  | {
      readonly kind: 'duplicate';
      readonly draftId: string;
      readonly subject: DirectoryUser;
      readonly open: readonly ExportRequest[];
    }
  | {
      readonly kind: 'confirm';
      readonly draftId: string;
      readonly subject: DirectoryUser;
      readonly form: Partial<Record<FormField, string>>;
      readonly errors?: Partial<Record<FormField, string>>;
      readonly regime: Regime | undefined;
      readonly duplicateOf: string | undefined;
    }
  | { readonly kind: 'created'; readonly request: ExportRequest; readonly approvalsChannelSet: boolean }
  | { readonly kind: 'submittedElsewhere'; readonly requestId: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'stale'; readonly why: 'unknown' | 'expired' | 'cancelled' }
  /** Someone other than the requester, or the requester elsewhere than where they asked: names nobody. */
  | { readonly kind: 'notYours' };
