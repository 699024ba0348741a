import {
  advance,
  type IntakeEffect,
  type IntakeEvent,
  type IntakeQuery,
  type IntakeReply,
} from '../../domain/intake';
import { isDraftId, type IntakeDraft } from '../../domain/intake-draft';
import {
  AlreadyExistsError,
  StaleWriteError,
  type AuditLog,
  type Clock,
  type Directory,
  type DraftStore,
  type JobQueue,
  type RequestStore,
  type SettingsStore,
  type Versioned,
} from '../../domain/ports';
import { assertNever } from '../../domain/export-request';
import type { ApprovalTimers } from '../../domain/workflow';
import { flushOutbox, OUTBOX_GRACE_MS } from '../apply-event';
import { authorizeAdmin } from '../authorize-admin';

export interface IntakeDeps {
  readonly directory: Directory;
  readonly drafts: DraftStore;
  readonly requests: RequestStore;
  readonly audit: AuditLog;
  readonly settings: SettingsStore;
  /** The approval card is posted by a job, outside the turn. */
  readonly jobs: JobQueue;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly homeTenantId: string;
  readonly allowedRoleIds: readonly string[];
  /** APPROVALS_CHANNEL_ID, when configured. */
  readonly approvalsChannelId: string | undefined;
  /** When a pending request reminds the channel, and when it expires (from its creation). */
  readonly approvalTimers: ApprovalTimers;
}

/**
 * Questions that write nothing the step's effects touch (the draft, the request and its outbox): they may be
 * asked while the effects run. The rest wait for them (a claim writes the draft; a read of the request
 * follows its own outbox's hand-over).
 */
const READS: ReadonlySet<IntakeQuery['type']> = new Set([
  'authorize',
  'findUser',
  'searchByName',
  'readOpenRequests',
  'readApprovalsChannel',
]);

/** More steps than any turn of intake takes (the longest, a first Submit, takes eight). */
const MAX_STEPS = 20;

/** The draft a card names, with its version; none for an id that is not a draft id (forged card data). */
export async function readDraft(
  deps: IntakeDeps,
  draftId: string,
): Promise<Versioned<IntakeDraft> | undefined> {
  return isDraftId(draftId) ? deps.drafts.get(draftId) : undefined;
}

/**
 * Runs one turn of intake from `event` on the draft as read (none when it is not stored): asks
 * {@link advance} what to do, runs its effects in order, answers its question from the ports and feeds the
 * answer back, until it replies. Decides nothing itself. The draft is written at the version read and each
 * write moves that version on, so a turn that lost a race to another never overwrites it.
 */
export async function runIntake(
  deps: IntakeDeps,
  stored: Versioned<IntakeDraft> | undefined,
  event: IntakeEvent,
): Promise<IntakeReply> {
  let etag = stored?.etag;

  /** Creates the draft, or replaces it at the version this turn holds. */
  const write = async (draft: IntakeDraft): Promise<void> => {
    const written =
      etag === undefined ? await deps.drafts.create(draft) : await deps.drafts.replace(draft, etag);
    etag = written.etag;
  };

  const perform = async (effect: IntakeEffect): Promise<void> => {
    switch (effect.type) {
      case 'saveDraft':
        try {
          await write(effect.draft);
        } catch (err) {
          if (!(err instanceof StaleWriteError && effect.ifStale === 'ignore')) throw err;
        }
        return;
      case 'audit':
        return deps.audit.append(effect.event, effect.onceKey);
      case 'handOverOutbox':
        // Should storage fail here, the request stands and the outbox sweep hands them over.
        return flushOutbox(deps, effect.requestId, effect.wroteIt ? 0 : OUTBOX_GRACE_MS).catch(
          () => undefined,
        );
      default:
        return assertNever(effect);
    }
  };

  const answer = async (query: IntakeQuery): Promise<IntakeEvent> => {
    switch (query.type) {
      case 'authorize': {
        const auth = await authorizeAdmin(deps, query.by, 'request.refused', 'export request');
        return auth.ok
          ? { type: 'authorized', actor: auth.actor, tenantId: auth.tenantId, then: query.then }
          : { type: 'refused', reason: auth.reason };
      }
      case 'findUser':
        return {
          type: 'userFound',
          idUpnOrMail: query.idUpnOrMail,
          origin: query.origin,
          user: await deps.directory.findUser(query.idUpnOrMail),
        };
      case 'searchByName':
        return {
          type: 'usersSearched',
          text: query.text,
          users: await deps.directory.searchByDisplayName(query.text, query.limit),
        };
      case 'readOpenRequests':
        return {
          type: 'openRequestsRead',
          open: await deps.requests.openForSubject(query.subjectId),
          then: query.then,
        };
      case 'allocateRequestId':
        return {
          type: 'requestIdAllocated',
          requestId: await deps.requests.nextId(query.year),
          form: query.form,
        };
      case 'claimDraft':
        try {
          await write(query.draft);
          return { type: 'draftClaimed' };
        } catch (err) {
          if (!(err instanceof StaleWriteError)) throw err;
          const current = await deps.drafts.get(query.draft.id);
          etag = current?.etag;
          return { type: 'draftRaced', current: current?.value };
        }
      case 'readRequest':
        return { type: 'requestRead', request: await deps.requests.get(query.requestId) };
      case 'writeRequest':
        try {
          await deps.requests.create(query.request);
          return { type: 'requestWritten', request: query.request, wroteIt: true };
        } catch (err) {
          if (!(err instanceof AlreadyExistsError)) throw err;
          const existing = await deps.requests.get(query.request.id);
          if (!existing) throw err;
          return { type: 'requestWritten', request: existing, wroteIt: false };
        }
      case 'readApprovalsChannel':
        return {
          type: 'approvalsChannelRead',
          request: query.request,
          set:
            deps.approvalsChannelId !== undefined ||
            (await deps.settings.getApprovalsChannel()) !== undefined,
        };
      default:
        return assertNever(query);
    }
  };

  const performAll = async (effects: readonly IntakeEffect[]): Promise<void> => {
    for (const effect of effects) await perform(effect);
  };

  let step = advance(stored?.value, event, deps.clock.now(), deps.approvalTimers);
  for (let taken = 1; taken <= MAX_STEPS; taken++) {
    const { ask } = step;
    if (ask === undefined) {
      await performAll(step.effects);
      return step.reply;
    }
    // A question that only reads is asked while the step's effects are written: one round trip, not two.
    // Should an effect fail, the turn fails as before (the read's answer is dropped).
    const next = READS.has(ask.type)
      ? (await Promise.all([performAll(step.effects), answer(ask)]))[1]
      : await performAll(step.effects).then(() => answer(ask));
    step = advance(step.draft, next, deps.clock.now(), deps.approvalTimers);
  }
  throw new Error(`Intake took more than ${MAX_STEPS} steps from ${event.type}; giving up.`);
}
