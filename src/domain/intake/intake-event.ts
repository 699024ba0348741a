import type { Viewer } from '../access';
import type { Actor } from '../actor';
import type { AuditEvent } from '../audit';
import type { DirectoryUser } from '../directory-user';
import type { ConversationRef, ExportRequest, Regime } from '../export-request';
import type { IntakeDraft } from '../intake-draft';
import type { RequestForm } from '../policies';
import type { IntakeAction, IntakeReply, SubjectQuery } from './intake-reply';

/** Who typed or clicked, as Teams identified them (never card data). */
export type IntakeCaller = Viewer & { readonly name: string | undefined };

/** "export data for X": the requester's first words. No draft exists yet; `draftId` names the one to open. */
export interface IntakeStarted {
  readonly type: 'started';
  readonly by: IntakeCaller;
  readonly draftId: string;
  readonly conversation: ConversationRef;
  readonly subject: SubjectQuery;
  readonly regime: Regime | undefined;
}

/** A click on one of the draft's cards, in a conversation. */
export interface IntakeClicked {
  readonly type: 'clicked';
  readonly by: IntakeCaller;
  readonly conversationId: string;
  readonly action: IntakeAction;
}

/** Why a directory lookup was made: a Teams @mention (its object id), or a sign-in name or mail typed. */
export type LookupOrigin = 'mention' | 'typed';

/** What the open requests for the subject were read for. */
export type OpenRequestsPurpose =
  /** The person was just settled: show the open requests, or the confirmation card. */
  | { readonly step: 'confirm' }
  /** The requester chose to create another request beside the open one. */
  | { readonly step: 'acknowledge' }
  /** A valid form was submitted: someone may have opened a request for the person since. */
  | { readonly step: 'submit'; readonly form: RequestForm };

/**
 * What drives intake: the requester's words and clicks, and the answers to the {@link IntakeQuery} asked
 * before (each answer carries what its question carried, so that the machine needs no memory of its own).
 */
export type IntakeEvent =
  | IntakeStarted
  | IntakeClicked
  /** The caller holds an allowed role now: carry on with the event that waited for it. */
  | {
      readonly type: 'authorized';
      readonly actor: Actor;
      readonly tenantId: string;
      readonly then: IntakeStarted | IntakeClicked;
    }
  /** The caller may not request exports (the refusal is recorded where it was decided). */
  | { readonly type: 'refused'; readonly reason: 'otherTenant' | 'unknownCaller' | 'noRole' }
  | {
      readonly type: 'userFound';
      readonly idUpnOrMail: string;
      readonly origin: LookupOrigin;
      readonly user: DirectoryUser | undefined;
    }
  | { readonly type: 'usersSearched'; readonly text: string; readonly users: readonly DirectoryUser[] }
  | {
      readonly type: 'openRequestsRead';
      readonly open: readonly ExportRequest[];
      readonly then: OpenRequestsPurpose;
    }
  | { readonly type: 'requestIdAllocated'; readonly requestId: string; readonly form: RequestForm }
  /** The draft was written at the version read: this turn, and no other, moves it on. */
  | { readonly type: 'draftClaimed' }
  /** Another turn wrote the draft first; `current` is the draft as it is now. Nothing was written. */
  | { readonly type: 'draftRaced'; readonly current: IntakeDraft | undefined }
  | { readonly type: 'requestRead'; readonly request: ExportRequest | undefined }
  /** The request is stored: by this turn (`wroteIt`), or it was there already. */
  | { readonly type: 'requestWritten'; readonly request: ExportRequest; readonly wroteIt: boolean }
  | { readonly type: 'approvalsChannelRead'; readonly set: boolean; readonly request: ExportRequest };

/**
 * What intake asks of the ports and waits for: the use case runs it and feeds the answer back to
 * {@link advance} as the event named beside each.
 */
export type IntakeQuery =
  /** Does the caller belong to the home tenant and hold an allowed role now? (refusals recorded) → authorized | refused */
  | { readonly type: 'authorize'; readonly by: IntakeCaller; readonly then: IntakeStarted | IntakeClicked }
  /** One user by object id, sign-in name or mail → userFound */
  | { readonly type: 'findUser'; readonly idUpnOrMail: string; readonly origin: LookupOrigin }
  /** Users whose display name matches, at most `limit` → usersSearched */
  | { readonly type: 'searchByName'; readonly text: string; readonly limit: number }
  /** The open requests for the subject → openRequestsRead */
  | { readonly type: 'readOpenRequests'; readonly subjectId: string; readonly then: OpenRequestsPurpose }
  /** The next request id of the year → requestIdAllocated */
  | { readonly type: 'allocateRequestId'; readonly year: number; readonly form: RequestForm }
  /** Writes the draft only if it is still at the version read (ETag) → draftClaimed | draftRaced */
  | { readonly type: 'claimDraft'; readonly draft: IntakeDraft }
  /** → requestRead */
  | { readonly type: 'readRequest'; readonly requestId: string }
  /** Stores the new request unless its id is taken (then reads the one stored) → requestWritten */
  | { readonly type: 'writeRequest'; readonly request: ExportRequest }
  /** Whether approval cards have a channel to go to (configured or chosen) → approvalsChannelRead */
  | { readonly type: 'readApprovalsChannel'; readonly request: ExportRequest };

/** What intake tells the ports to do, in order, without waiting for an answer. */
export type IntakeEffect =
  /**
   * Stores the draft: creates it, or replaces it at the version read. A draft changed since fails the turn,
   * unless `ifStale` is 'ignore' (the newer draft stands; nothing is written).
   */
  | { readonly type: 'saveDraft'; readonly draft: IntakeDraft; readonly ifStale: 'fail' | 'ignore' }
  | { readonly type: 'audit'; readonly event: AuditEvent; readonly onceKey?: string }
  /**
   * Hands over the effects waiting in the request's outbox (its approval card and timers): all of them when
   * this turn wrote the request, otherwise only those old enough for their writer to have given up. Best
   * effort: what fails stays in the outbox for the sweep.
   */
  | { readonly type: 'handOverOutbox'; readonly requestId: string; readonly wroteIt: boolean };

/**
 * One step of intake: the draft as it now stands, the effects to run (in order), then either the answer to
 * the requester or one question whose answer continues the turn (a question that only reads may be asked
 * while the effects run: nothing it reads depends on them).
 */
export type IntakeStep = {
  /** The draft after this step (stored only through the effects), or none (unknown, or not opened yet). */
  readonly draft: IntakeDraft | undefined;
  readonly effects: readonly IntakeEffect[];
} & (
  | { readonly reply: IntakeReply; readonly ask?: undefined }
  | { readonly reply?: undefined; readonly ask: IntakeQuery }
);
