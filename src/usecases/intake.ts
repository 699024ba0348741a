import type { AuditEvent } from '../domain/audit';
import type { ConversationRef, ExportRequest, Regime } from '../domain/export-request';
import { DRAFT_LIFETIME_MS, type IntakeDraft } from '../domain/intake-draft';
import { dueDate, isoDate, LIMITS, validateRequestForm, type FormField } from '../domain/policies';
import {
  AlreadyExistsError,
  StaleWriteError,
  type AuditLog,
  type Clock,
  type Directory,
  type DirectoryUser,
  type DraftStore,
  type JobQueue,
  type RequestStore,
  type SettingsStore,
  type Versioned,
} from '../domain/ports';
import { approvalRound, type Effect } from '../domain/workflow';
import { flushOutbox, OUTBOX_GRACE_MS } from './apply-event';
import { authorizeAdmin } from './authorize-admin';
import { channelOf } from '../domain/access';
import { cleanText } from '../domain/text';
import { sameId } from '../domain/identity';
import type { Caller } from './who-am-i';

/** Whom the requester named, once the Teams adapter has turned a mention into an object id. */
export type SubjectQuery =
  | { readonly kind: 'objectId'; readonly aadObjectId: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'none' };

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
  readonly approvalTimers: { readonly remindAfterMs: number; readonly expireAfterMs: number };
}

export interface StartIntake {
  readonly caller: Caller;
  readonly conversation: ConversationRef;
  readonly subject: SubjectQuery;
  readonly regime: Regime | undefined;
}

/** Draft ids are random UUIDs; anything else is not looked up. */
const DRAFT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const noMatchHint = (query: string) =>
  `Nobody in the directory matches "${query}". Try the sign-in name (like adelev@contoso.com), the email address, or the beginning of the first or last name.`;

/**
 * "export data for X": checks the requester's rights, opens a draft and answers with the next step:
 * ask for the person, pick among matches, point at an open request, or the confirmation card.
 */
export async function startIntake(deps: IntakeDeps, input: StartIntake): Promise<IntakeReply> {
  const auth = await authorizeAdmin(deps, input.caller, 'request.refused', 'export request');
  if (!auth.ok) return { kind: 'refused', reason: auth.reason };
  const draft: IntakeDraft = {
    id: deps.newId(),
    createdAt: deps.clock.now().toISOString(),
    requester: auth.actor,
    tenantId: auth.tenantId,
    requestedIn: input.conversation,
    stage: 'choosing',
    regime: input.regime,
    candidates: [],
    subject: undefined,
    duplicateOf: undefined,
    requestId: undefined,
    form: {},
  };
  return answer(deps, draft, await resolve(deps, input.subject), (d) => deps.drafts.create(d));
}

type Resolution =
  | { readonly kind: 'one'; readonly user: DirectoryUser }
  | { readonly kind: 'many'; readonly query: string; readonly users: readonly DirectoryUser[] }
  | { readonly kind: 'ask'; readonly error?: string };

async function resolve(deps: IntakeDeps, subject: SubjectQuery): Promise<Resolution> {
  switch (subject.kind) {
    case 'none':
      return { kind: 'ask' };
    case 'objectId': {
      const user = await deps.directory.findUser(subject.aadObjectId);
      return user
        ? { kind: 'one', user }
        : { kind: 'ask', error: 'The person you mentioned is not in the directory of this organisation.' };
    }
    case 'text':
      return resolveText(deps, subject.text);
  }
}

/** Exact sign-in name or mail first, then a display-name search. Several matches are offered, never guessed. */
async function resolveText(deps: IntakeDeps, rawQuery: string): Promise<Resolution> {
  const query = cleanText(rawQuery, 256, { ellipsis: '' });
  if (query === '') return { kind: 'ask', error: 'Type a name, sign-in name or email address.' };
  if (GUID.test(query) || query.includes('@')) {
    const exact = await deps.directory.findUser(query);
    if (exact) return { kind: 'one', user: exact };
  }
  const found = await deps.directory.searchByDisplayName(query, LIMITS.maxCandidates + 1);
  if (found.length === 0) return { kind: 'ask', error: noMatchHint(query) };
  if (found.length === 1) return { kind: 'one', user: found[0]! };
  if (found.length > LIMITS.maxCandidates) {
    return {
      kind: 'ask',
      error: `More than ${LIMITS.maxCandidates} people match "${query}". Give more of the name, or the sign-in name.`,
    };
  }
  return { kind: 'many', query, users: found };
}

/**
 * Stores the draft in the state the resolution leads to (`save` creates or replaces it: one write) and
 * answers. With a known subject, the open requests for them are read at the same time.
 */
async function answer(
  deps: IntakeDeps,
  draft: IntakeDraft,
  resolution: Resolution,
  save: (draft: IntakeDraft) => Promise<unknown>,
): Promise<IntakeReply> {
  switch (resolution.kind) {
    case 'ask':
      await save({ ...draft, stage: 'choosing', candidates: [] });
      return {
        kind: 'askSubject',
        draftId: draft.id,
        ...(resolution.error ? { error: resolution.error } : {}),
      };
    case 'many':
      await save({ ...draft, stage: 'choosing', candidates: resolution.users });
      return { kind: 'pick', draftId: draft.id, query: resolution.query, candidates: resolution.users };
    case 'one': {
      const subject = resolution.user;
      const next: IntakeDraft = {
        ...draft,
        stage: 'confirming',
        subject,
        candidates: [],
        duplicateOf: undefined,
      };
      const [, open] = await Promise.all([save(next), deps.requests.openForSubject(subject.id)]);
      if (open.length > 0) return { kind: 'duplicate', draftId: draft.id, subject, open };
      return confirmReply(next);
    }
  }
}

function confirmReply(draft: IntakeDraft, errors?: Partial<Record<FormField, string>>): IntakeReply {
  return {
    kind: 'confirm',
    draftId: draft.id,
    subject: draft.subject!,
    form: draft.form,
    ...(errors ? { errors } : {}),
    regime: draft.regime,
    duplicateOf: draft.duplicateOf,
  };
}

export type IntakeAction =
  | { readonly verb: 'find'; readonly query: string }
  | { readonly verb: 'pick'; readonly choice: number }
  | { readonly verb: 'acknowledgeDuplicate' }
  | { readonly verb: 'submit'; readonly inputs: Record<string, unknown> }
  | { readonly verb: 'cancel' };

/**
 * A click on an intake card. The draft id comes from the card; who clicked comes from Teams. Only the
 * requester may continue their draft, and a click delivered twice gives the same answer without acting twice.
 */
export async function continueIntake(
  deps: IntakeDeps,
  caller: Caller,
  conversationId: string,
  draftId: string,
  action: IntakeAction,
): Promise<IntakeReply> {
  const stored = DRAFT_ID.test(draftId) ? await deps.drafts.get(draftId) : undefined;
  if (!stored) return { kind: 'stale', why: 'unknown' };
  const draft = stored.value;
  if (
    !sameId(caller.aadObjectId, draft.requester.aadObjectId) ||
    !sameId(caller.tenantId, draft.tenantId) ||
    channelOf(conversationId) !== channelOf(draft.requestedIn.id)
  ) {
    // Recorded within the audit log's refusal budget; the answer names nobody.
    await deps.audit.append({
      at: deps.clock.now().toISOString(),
      action: 'card.refused',
      actor: { aadObjectId: caller.aadObjectId, name: caller.name, tenantId: caller.tenantId },
      outcome: 'refused',
      detail: `tried to continue export request draft ${draft.id}, which is not theirs or not in this conversation`,
    });
    return { kind: 'notYours' };
  }

  switch (draft.stage) {
    case 'submitted':
    case 'submitting':
      // The same click delivered twice (Teams retries slow invokes), or a retry after a crash: finish and repeat.
      return action.verb === 'submit'
        ? completeSubmission(deps, stored)
        : { kind: 'submittedElsewhere', requestId: draft.requestId! };
    case 'cancelled':
      return { kind: 'stale', why: 'cancelled' };
    case 'choosing':
    case 'confirming':
      break;
  }
  if (deps.clock.now().getTime() - Date.parse(draft.createdAt) > DRAFT_LIFETIME_MS)
    return { kind: 'stale', why: 'expired' };

  if (action.verb === 'cancel') return cancel(deps, stored);
  // The requester's rights are checked again before anything moves forward (roles may have changed).
  const auth = await authorizeAdmin(deps, caller, 'request.refused', 'export request');
  if (!auth.ok) return { kind: 'refused', reason: auth.reason };

  switch (action.verb) {
    case 'find': {
      const resolution = await resolveText(deps, typeof action.query === 'string' ? action.query : '');
      return answer(deps, draft, resolution, (d) => deps.drafts.replace(d, stored.etag));
    }
    case 'pick': {
      const subject = Number.isInteger(action.choice) ? draft.candidates[action.choice] : undefined;
      if (draft.stage !== 'choosing' || !subject) return { kind: 'stale', why: 'unknown' };
      return answer(deps, draft, { kind: 'one', user: subject }, (d) => deps.drafts.replace(d, stored.etag));
    }
    case 'acknowledgeDuplicate': {
      if (!draft.subject) return { kind: 'stale', why: 'unknown' };
      const open = await deps.requests.openForSubject(draft.subject.id);
      const next: IntakeDraft = { ...draft, duplicateOf: open[0]?.id };
      await deps.drafts.replace(next, stored.etag);
      if (open[0]) {
        await deps.audit.append({
          at: deps.clock.now().toISOString(),
          action: 'duplicate.acknowledged',
          actor: draft.requester,
          outcome: 'ok',
          subjectId: draft.subject.id,
          detail: `chose to create another request although ${open.map((r) => r.id).join(', ')} is open`,
        });
      }
      return confirmReply(next);
    }
    case 'submit':
      return submit(deps, stored, action.inputs);
  }
}

async function cancel(deps: IntakeDeps, stored: Versioned<IntakeDraft>): Promise<IntakeReply> {
  const draft = stored.value;
  try {
    await deps.drafts.replace({ ...draft, stage: 'cancelled' }, stored.etag);
  } catch (err) {
    if (err instanceof StaleWriteError) return continueAfterRace(deps, draft.id);
    throw err;
  }
  await deps.audit.append({
    at: deps.clock.now().toISOString(),
    action: 'draft.cancelled',
    actor: draft.requester,
    outcome: 'ok',
    ...(draft.subject ? { subjectId: draft.subject.id } : {}),
    detail: 'cancelled before submitting; nothing was stored',
  });
  return { kind: 'cancelled' };
}

async function continueAfterRace(deps: IntakeDeps, draftId: string): Promise<IntakeReply> {
  const now = await deps.drafts.get(draftId);
  if (now?.value.stage === 'submitted' || now?.value.stage === 'submitting') {
    return { kind: 'submittedElsewhere', requestId: now.value.requestId! };
  }
  if (now?.value.stage === 'cancelled') return { kind: 'cancelled' };
  return { kind: 'stale', why: 'unknown' };
}

async function submit(
  deps: IntakeDeps,
  stored: Versioned<IntakeDraft>,
  inputs: Record<string, unknown>,
): Promise<IntakeReply> {
  const draft = stored.value;
  if (draft.stage !== 'confirming' || !draft.subject) return { kind: 'stale', why: 'unknown' };
  const today = isoDate(deps.clock.now());
  const result = validateRequestForm(inputs, today);
  if (!result.ok) {
    const next: IntakeDraft = { ...draft, form: result.values };
    await deps.drafts.replace(next, stored.etag);
    return confirmReply(next, result.errors);
  }
  // Someone may have opened a request for the same person since the card was shown.
  const open = await deps.requests.openForSubject(draft.subject.id);
  if (open.length > 0 && !open.some((r) => r.id === draft.duplicateOf)) {
    await deps.drafts.replace({ ...draft, form: { ...result.form }, duplicateOf: undefined }, stored.etag);
    return { kind: 'duplicate', draftId: draft.id, subject: draft.subject, open };
  }
  // Claim the draft with its ETag before writing the request: of two concurrent clicks, one wins.
  const requestId = await deps.requests.nextId(deps.clock.now().getUTCFullYear());
  let claimed: Versioned<IntakeDraft>;
  try {
    claimed = await deps.drafts.replace(
      { ...draft, stage: 'submitting', requestId, form: { ...result.form } },
      stored.etag,
    );
  } catch (err) {
    if (err instanceof StaleWriteError) return continueAfterRace(deps, draft.id);
    throw err;
  }
  return completeSubmission(deps, claimed);
}

/** Writes the request a claimed draft stands for (idempotent: safe after a crash or a repeated click). */
async function completeSubmission(deps: IntakeDeps, stored: Versioned<IntakeDraft>): Promise<IntakeReply> {
  const draft = stored.value;
  const requestId = draft.requestId!;
  let request = await deps.requests.get(requestId);
  let wroteIt = false;
  if (!request) {
    // The form was validated when the draft was claimed; now is later, so it still passes.
    const form = validateRequestForm(draft.form, isoDate(deps.clock.now()));
    if (!form.ok || !draft.subject) throw new Error(`Draft ${draft.id} was claimed without a valid form.`);
    // The approval card and the request's timers are effects stored with it (its outbox): whoever writes the
    // request, or finds it written, hands them over; they are armed once however many clicks arrive.
    const round = approvalRound(deps.clock.now(), deps.approvalTimers);
    const effects: Effect[] = [{ type: 'postApprovalCard' }, ...round.effects];
    request = {
      id: requestId,
      status: 'pendingApproval',
      subject: draft.subject,
      requester: draft.requester,
      regime: form.form.regime,
      receivedDate: form.form.receivedDate,
      dueDate: dueDate(form.form.regime, form.form.receivedDate),
      reference: form.form.reference,
      justification: form.form.justification,
      createdAt: deps.clock.now().toISOString(),
      requestedIn: draft.requestedIn,
      ...(draft.duplicateOf ? { duplicateOf: draft.duplicateOf } : {}),
      ...(round.nextReminderAt ? { nextReminderAt: round.nextReminderAt } : {}),
      expiresAt: round.expiresAt,
      outbox: effects.map((effect) => ({ id: deps.newId(), effect })),
    };
    try {
      await deps.requests.create(request);
      wroteIt = true;
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
      request = (await deps.requests.get(requestId))!;
    }
  }
  const created: AuditEvent = {
    at: request.createdAt,
    action: 'request.created',
    actor: request.requester,
    outcome: 'ok',
    requestId: request.id,
    subjectId: request.subject.id,
    detail: `${request.regime} export for ${request.subject.userPrincipalName}, received ${request.receivedDate}, due ${request.dueDate}, reference ${request.reference}${request.duplicateOf ? `, beside open ${request.duplicateOf}` : ''}`,
  };
  await deps.audit.append(created, 'created');
  // Hands over the card and timers if they still wait (a no-op once done: a repeated click arms nothing).
  // Should storage fail here, the request stands and the outbox sweep hands them over.
  await flushOutbox(deps, request.id, wroteIt ? 0 : OUTBOX_GRACE_MS).catch(() => undefined);
  if (draft.stage !== 'submitted') {
    try {
      await deps.drafts.replace({ ...draft, stage: 'submitted' }, stored.etag);
    } catch (err) {
      if (!(err instanceof StaleWriteError)) throw err;
    }
  }
  return { kind: 'created', request, approvalsChannelSet: await approvalsChannelSet(deps) };
}

async function approvalsChannelSet(deps: IntakeDeps): Promise<boolean> {
  return deps.approvalsChannelId !== undefined || (await deps.settings.getApprovalsChannel()) !== undefined;
}
