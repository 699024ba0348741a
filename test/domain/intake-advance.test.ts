import type { DirectoryUser } from '../../src/domain/directory-user';
import type { ExportRequest } from '../../src/domain/export-request';
import {
  advance,
  requestCreatedEvent,
  type IntakeCaller,
  type IntakeClicked,
  type IntakeEffect,
  type IntakeEvent,
  type IntakeQuery,
  type IntakeReply,
  type IntakeStarted,
  type IntakeStep,
} from '../../src/domain/intake';
import { DRAFT_LIFETIME_MS, type IntakeDraft } from '../../src/domain/intake-draft';
import { dueDate, formInputs, LIMITS, type RequestForm } from '../../src/domain/policies';
import type { ApprovalTimers } from '../../src/domain/workflow';

const NOW = new Date('2026-11-22T09:00:00.000Z');
const HOUR = 3600_000;
const TIMERS: ApprovalTimers = { remindAfterMs: 24 * HOUR, expireAfterMs: 7 * 24 * HOUR };
const TENANT = 'c0a70500-0000-4000-8000-00000000aaaa';
const CHAT = 'a:personal-alex';

const user = (n: number, displayName: string, alias: string): DirectoryUser => ({
  id: `c0a70500-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`,
  displayName,
  userPrincipalName: `${alias}@contoso.com`,
  mail: `${alias}@contoso.com`,
  jobTitle: null,
  department: null,
});
const ALEX = user(0, 'Alex Wilber', 'alexw');
const MEGAN = user(1, 'Megan Bowen', 'meganb');
const ADELE = user(2, 'Adele Vance', 'adelev');
const VARGA = user(7, 'Adele Varga', 'adelevarga');

const by = (who: DirectoryUser, tenantId = TENANT): IntakeCaller => ({
  aadObjectId: who.id,
  name: who.displayName,
  tenantId,
});
const actor = { aadObjectId: ALEX.id, name: ALEX.displayName };

const DRAFT_ID = '0b5e7c1a-1d2e-4f30-8a4b-5c6d7e8f9a0b';

/** Alex's draft in his 1:1 chat, opened an hour ago. */
function draft(changes: Partial<IntakeDraft> = {}): IntakeDraft {
  return {
    id: DRAFT_ID,
    createdAt: new Date(NOW.getTime() - HOUR).toISOString(),
    requester: actor,
    tenantId: TENANT,
    requestedIn: { id: CHAT, type: 'personal' },
    stage: 'choosing',
    regime: undefined,
    candidates: [],
    subject: undefined,
    duplicateOf: undefined,
    requestId: undefined,
    form: {},
    ...changes,
  };
}

const confirming = (changes: Partial<IntakeDraft> = {}) =>
  draft({ stage: 'confirming', subject: ADELE, ...changes });

const VALID = {
  regime: 'GDPR',
  receivedDate: '2026-11-20',
  reference: 'SR-1',
  justification: 'Subject access request by email.',
};
const FORM: RequestForm = { ...VALID, regime: 'GDPR' };

const started = (subject: IntakeStarted['subject'], regime?: 'GDPR'): IntakeStarted => ({
  type: 'started',
  by: by(ALEX),
  draftId: DRAFT_ID,
  conversation: { id: CHAT, type: 'personal' },
  subject,
  regime,
});

const click = (action: IntakeClicked['action'], who = ALEX, conversationId = CHAT): IntakeClicked => ({
  type: 'clicked',
  by: by(who),
  conversationId,
  action,
});

/** Alex's rights confirmed for the event that waited for them. */
const authorized = (then: IntakeStarted | IntakeClicked): IntakeEvent => ({
  type: 'authorized',
  actor,
  tenantId: TENANT,
  then,
});

const step = (d: IntakeDraft | undefined, event: IntakeEvent, now = NOW): IntakeStep =>
  advance(d, event, now, TIMERS);

const saved = (s: IntakeStep): IntakeDraft[] =>
  s.effects.flatMap((e) => (e.type === 'saveDraft' ? [e.draft] : []));
const audited = (s: IntakeStep) => s.effects.flatMap((e) => (e.type === 'audit' ? [e.event] : []));

function openRequest(id = 'DSR-2026-0001'): ExportRequest {
  return {
    id,
    status: 'pendingApproval',
    subject: ADELE,
    requester: { aadObjectId: MEGAN.id, name: MEGAN.displayName },
    regime: 'GDPR',
    receivedDate: '2026-11-20',
    dueDate: '2026-12-20',
    reference: 'SR-0',
    justification: 'Earlier request.',
    createdAt: '2026-11-21T08:00:00.000Z',
    requestedIn: { id: 'a:personal-megan', type: 'personal' },
  };
}

/** Canned answers to the questions a turn may ask; a question without one fails the test. */
type Answers = {
  readonly [K in IntakeQuery['type']]?: (query: Extract<IntakeQuery, { type: K }>) => IntakeEvent;
};

function answerTo(answers: Answers, query: IntakeQuery): IntakeEvent {
  const answer = answers[query.type] as ((q: IntakeQuery) => IntakeEvent) | undefined;
  if (!answer) throw new Error(`Not asked in this turn: ${query.type}`);
  return answer(query);
}

/**
 * Runs a whole turn through `advance` with canned answers (no ports, no promises): every effect in order,
 * every question asked, and the reply.
 */
function drive(
  from: IntakeDraft | undefined,
  event: IntakeEvent,
  answers: Answers,
  now = NOW,
): { reply: IntakeReply; draft: IntakeDraft | undefined; effects: IntakeEffect[]; asked: IntakeQuery[] } {
  const effects: IntakeEffect[] = [];
  const asked: IntakeQuery[] = [];
  let s = step(from, event, now);
  for (let i = 0; i < 20; i++) {
    effects.push(...s.effects);
    if (s.ask === undefined) return { reply: s.reply, draft: s.draft, effects, asked };
    asked.push(s.ask);
    s = step(s.draft, answerTo(answers, s.ask), now);
  }
  throw new Error('The turn did not end.');
}

describe('advance: starting a request', () => {
  it('asks whether the caller may request exports before opening anything', () => {
    const s = step(undefined, started({ kind: 'none' }));
    expect(s).toEqual({
      draft: undefined,
      effects: [],
      ask: { type: 'authorize', by: by(ALEX), then: started({ kind: 'none' }) },
    });
  });

  it('refuses a caller without rights and opens no draft', () => {
    const s = step(undefined, { type: 'refused', reason: 'noRole' });
    expect(s).toEqual({ draft: undefined, effects: [], reply: { kind: 'refused', reason: 'noRole' } });
  });

  it('opens a draft for the requester Teams named, in the conversation asked in, and asks whom to export', () => {
    const s = step(undefined, authorized(started({ kind: 'none' }, 'GDPR')));
    const opened = draft({ createdAt: NOW.toISOString(), regime: 'GDPR' });
    expect(s).toEqual({
      draft: opened,
      effects: [{ type: 'saveDraft', draft: opened, ifStale: 'fail' }],
      reply: { kind: 'askSubject', draftId: DRAFT_ID },
    });
  });

  it('looks a mentioned person up by object id, and says so when the directory does not know them', () => {
    const s = step(undefined, authorized(started({ kind: 'objectId', aadObjectId: ADELE.id })));
    expect(s.ask).toEqual({ type: 'findUser', idUpnOrMail: ADELE.id, origin: 'mention' });
    const missing = step(s.draft, {
      type: 'userFound',
      idUpnOrMail: ADELE.id,
      origin: 'mention',
      user: undefined,
    });
    expect(missing.reply).toEqual({
      kind: 'askSubject',
      draftId: DRAFT_ID,
      error: 'The person you mentioned is not in the directory of this organisation.',
    });
    expect(saved(missing).map((d) => d.stage)).toEqual(['choosing']);
  });

  it('looks a typed sign-in name up exactly first, then searches display names', () => {
    const s = step(undefined, authorized(started({ kind: 'text', text: '  AdeleV@contoso.com ' })));
    expect(s.ask).toEqual({ type: 'findUser', idUpnOrMail: 'AdeleV@contoso.com', origin: 'typed' });
    const fallback = step(s.draft, {
      type: 'userFound',
      idUpnOrMail: 'AdeleV@contoso.com',
      origin: 'typed',
      user: undefined,
    });
    expect(fallback.ask).toEqual({
      type: 'searchByName',
      text: 'AdeleV@contoso.com',
      limit: LIMITS.maxCandidates + 1,
    });
    expect(fallback.effects).toEqual([]);
  });

  it('searches display names for a name, and asks for one when the text is empty once cleaned', () => {
    expect(step(undefined, authorized(started({ kind: 'text', text: 'Adele' }))).ask).toEqual({
      type: 'searchByName',
      text: 'Adele',
      limit: LIMITS.maxCandidates + 1,
    });
    expect(step(undefined, authorized(started({ kind: 'text', text: ' \u200b ' }))).reply).toEqual({
      kind: 'askSubject',
      draftId: DRAFT_ID,
      error: 'Type a name, sign-in name or email address.',
    });
  });

  it('offers several matches to pick from, never guessing, and keeps them on the server', () => {
    const s = step(draft(), { type: 'usersSearched', text: 'adele', users: [ADELE, VARGA] });
    expect(s.reply).toEqual({ kind: 'pick', draftId: DRAFT_ID, query: 'adele', candidates: [ADELE, VARGA] });
    expect(saved(s)).toEqual([draft({ candidates: [ADELE, VARGA] })]);
  });

  it('says when nobody matches and how to search, and when too many match', () => {
    const nobody = step(draft(), { type: 'usersSearched', text: 'Zebulon', users: [] }).reply;
    expect(nobody?.kind === 'askSubject' && nobody.error).toMatch(
      /^Nobody in the directory matches "Zebulon"\. Try the sign-in name/,
    );
    const many = Array.from({ length: LIMITS.maxCandidates + 1 }, (_, i) =>
      user(20 + i, `Sam ${i}`, `sam${i}`),
    );
    expect(step(draft(), { type: 'usersSearched', text: 'sam', users: many }).reply).toMatchObject({
      kind: 'askSubject',
      error: `More than ${LIMITS.maxCandidates} people match "sam". Give more of the name, or the sign-in name.`,
    });
  });

  it('settles on the one match: stores the draft as confirming, then reads the open requests for them', () => {
    const s = step(draft({ candidates: [VARGA] }), {
      type: 'usersSearched',
      text: 'adele v',
      users: [ADELE],
    });
    const next = draft({ stage: 'confirming', subject: ADELE });
    expect(s).toEqual({
      draft: next,
      effects: [{ type: 'saveDraft', draft: next, ifStale: 'fail' }],
      ask: { type: 'readOpenRequests', subjectId: ADELE.id, then: { step: 'confirm' } },
    });
  });

  it('shows the confirmation card when nothing is open for the person, and the open requests otherwise', () => {
    const none = step(confirming({ regime: 'CCPA' }), {
      type: 'openRequestsRead',
      open: [],
      then: { step: 'confirm' },
    });
    expect(none.reply).toEqual({
      kind: 'confirm',
      draftId: DRAFT_ID,
      subject: ADELE,
      form: {},
      regime: 'CCPA',
      duplicateOf: undefined,
    });
    const open = [openRequest()];
    expect(step(confirming(), { type: 'openRequestsRead', open, then: { step: 'confirm' } }).reply).toEqual({
      kind: 'duplicate',
      draftId: DRAFT_ID,
      subject: ADELE,
      open,
    });
  });
});

describe('advance: clicks on a draft', () => {
  it('answers a click on a draft that is not stored as no longer valid', () => {
    expect(step(undefined, click({ verb: 'cancel' }))).toEqual({
      draft: undefined,
      effects: [],
      reply: { kind: 'stale', why: 'unknown' },
    });
  });

  it('refuses anyone but the requester, names nobody, and records it', () => {
    const s = step(confirming(), click({ verb: 'submit', inputs: VALID }, MEGAN));
    expect(s.reply).toEqual({ kind: 'notYours' });
    expect(saved(s)).toEqual([]);
    expect(audited(s)).toEqual([
      {
        at: NOW.toISOString(),
        action: 'card.refused',
        actor: by(MEGAN),
        outcome: 'refused',
        detail: `tried to continue export request draft ${DRAFT_ID}, which is not theirs or not in this conversation`,
      },
    ]);
  });

  it('refuses the requester in another conversation or tenant, but not in a thread of the same channel', () => {
    const channel = '19:general@thread.tacv2';
    const inChannel = confirming({ requestedIn: { id: `${channel};messageid=1`, type: 'channel' } });
    expect(step(confirming(), click({ verb: 'cancel' }, ALEX, '19:elsewhere@thread.tacv2')).reply).toEqual({
      kind: 'notYours',
    });
    expect(
      step(confirming(), {
        ...click({ verb: 'cancel' }),
        by: by(ALEX, 'f00df00d-0000-4000-8000-000000000001'),
      }).reply,
    ).toEqual({ kind: 'notYours' });
    expect(step(inChannel, click({ verb: 'cancel' }, ALEX, `${channel};messageid=2`)).ask).toMatchObject({
      type: 'claimDraft',
    });
  });

  it('compares object and tenant ids without regard to case', () => {
    const upper = { ...click({ verb: 'cancel' }), by: { ...by(ALEX), aadObjectId: ALEX.id.toUpperCase() } };
    expect(step(confirming(), upper).ask).toMatchObject({ type: 'claimDraft' });
  });

  it('refuses a draft more than a day old, and keeps one just a day old', () => {
    const opened = draft({ createdAt: NOW.toISOString() });
    const later = (ms: number) => new Date(NOW.getTime() + ms);
    expect(step(opened, click({ verb: 'find', query: 'x' }), later(DRAFT_LIFETIME_MS + 1)).reply).toEqual({
      kind: 'stale',
      why: 'expired',
    });
    expect(step(opened, click({ verb: 'find', query: 'x' }), later(DRAFT_LIFETIME_MS)).ask).toMatchObject({
      type: 'authorize',
    });
  });

  it('checks the requester’s rights again before anything moves forward', () => {
    const c = click({ verb: 'find', query: 'Adele' });
    expect(step(draft(), c)).toEqual({
      draft: draft(),
      effects: [],
      ask: { type: 'authorize', by: by(ALEX), then: c },
    });
    expect(step(draft(), { type: 'refused', reason: 'noRole' }).reply).toEqual({
      kind: 'refused',
      reason: 'noRole',
    });
  });

  it('finds the person typed in the search box', () => {
    expect(step(draft(), authorized(click({ verb: 'find', query: 'Patti' }))).ask).toEqual({
      type: 'searchByName',
      text: 'Patti',
      limit: LIMITS.maxCandidates + 1,
    });
  });

  it('continues with the person picked, and refuses a choice outside the list offered', () => {
    const offered = draft({ candidates: [ADELE, VARGA] });
    expect(step(offered, authorized(click({ verb: 'pick', choice: 1 }))).ask).toEqual({
      type: 'readOpenRequests',
      subjectId: VARGA.id,
      then: { step: 'confirm' },
    });
    for (const choice of [2, -1, 0.5, Number.NaN]) {
      expect(step(offered, authorized(click({ verb: 'pick', choice }))).reply).toEqual({
        kind: 'stale',
        why: 'unknown',
      });
    }
    expect(
      step(confirming({ candidates: [ADELE] }), authorized(click({ verb: 'pick', choice: 0 }))).reply,
    ).toEqual({ kind: 'stale', why: 'unknown' });
  });

  it('records that the requester chose to create another request beside the open one', () => {
    const asked = step(confirming(), authorized(click({ verb: 'acknowledgeDuplicate' })));
    expect(asked.ask).toEqual({
      type: 'readOpenRequests',
      subjectId: ADELE.id,
      then: { step: 'acknowledge' },
    });
    const s = step(confirming(), {
      type: 'openRequestsRead',
      open: [openRequest('DSR-2026-0001'), openRequest('DSR-2026-0002')],
      then: { step: 'acknowledge' },
    });
    const next = confirming({ duplicateOf: 'DSR-2026-0001' });
    expect(saved(s)).toEqual([next]);
    expect(audited(s)).toEqual([
      {
        at: NOW.toISOString(),
        action: 'duplicate.acknowledged',
        actor,
        outcome: 'ok',
        subjectId: ADELE.id,
        detail: 'chose to create another request although DSR-2026-0001, DSR-2026-0002 is open',
      },
    ]);
    expect(s.reply).toMatchObject({ kind: 'confirm', duplicateOf: 'DSR-2026-0001' });
  });

  it('records nothing when the open request closed before the acknowledgement', () => {
    const s = step(confirming(), { type: 'openRequestsRead', open: [], then: { step: 'acknowledge' } });
    expect(audited(s)).toEqual([]);
    expect(s.reply).toMatchObject({ kind: 'confirm', duplicateOf: undefined });
  });

  it('cancels without asking for rights: claims the draft, then records the cancellation', () => {
    const cancelled = confirming({ stage: 'cancelled' });
    expect(step(confirming(), click({ verb: 'cancel' }))).toEqual({
      draft: cancelled,
      effects: [],
      ask: { type: 'claimDraft', draft: cancelled },
    });
    const s = step(cancelled, { type: 'draftClaimed' });
    expect(s.reply).toEqual({ kind: 'cancelled' });
    expect(audited(s)).toEqual([
      {
        at: NOW.toISOString(),
        action: 'draft.cancelled',
        actor,
        outcome: 'ok',
        subjectId: ADELE.id,
        detail: 'cancelled before submitting; nothing was stored',
      },
    ]);
  });

  it('says what became of a draft another click moved first', () => {
    const raced = (current: IntakeDraft | undefined) =>
      step(confirming(), { type: 'draftRaced', current }).reply;
    expect(raced(confirming({ stage: 'submitting', requestId: 'DSR-2026-0007' }))).toEqual({
      kind: 'submittedElsewhere',
      requestId: 'DSR-2026-0007',
    });
    expect(raced(confirming({ stage: 'cancelled' }))).toEqual({ kind: 'cancelled' });
    expect(raced(confirming())).toEqual({ kind: 'stale', why: 'unknown' });
    expect(raced(undefined)).toEqual({ kind: 'stale', why: 'unknown' });
  });

  it('answers a click on a cancelled draft, or another click on a submitted one, without acting', () => {
    expect(step(confirming({ stage: 'cancelled' }), click({ verb: 'submit', inputs: VALID }))).toEqual({
      draft: confirming({ stage: 'cancelled' }),
      effects: [],
      reply: { kind: 'stale', why: 'cancelled' },
    });
    const submitted = confirming({ stage: 'submitted', requestId: 'DSR-2026-0007' });
    expect(step(submitted, click({ verb: 'cancel' })).reply).toEqual({
      kind: 'submittedElsewhere',
      requestId: 'DSR-2026-0007',
    });
  });
});

describe('advance: submitting', () => {
  const submit = (inputs: Record<string, unknown> = VALID) => authorized(click({ verb: 'submit', inputs }));

  it('answers an invalid form with the errors beside the fields, keeping what was typed', () => {
    const s = step(confirming(), submit({ ...VALID, receivedDate: '2099-01-01', reference: '' }));
    expect(saved(s)).toEqual([
      confirming({
        form: { ...VALID, receivedDate: '2099-01-01', reference: '', identityMethod: '', identityNote: '' },
      }),
    ]);
    expect(s.reply).toMatchObject({
      kind: 'confirm',
      errors: {
        receivedDate: 'The received date cannot be in the future.',
        reference: 'Give a reference or ticket number.',
      },
    });
    expect(s.ask).toBeUndefined();
  });

  it('refuses a Submit before the person is settled', () => {
    expect(step(draft(), submit()).reply).toEqual({ kind: 'stale', why: 'unknown' });
  });

  it('looks for a request opened for the person since the card was shown', () => {
    expect(step(confirming(), submit()).ask).toEqual({
      type: 'readOpenRequests',
      subjectId: ADELE.id,
      then: { step: 'submit', form: FORM },
    });
    const open = [openRequest()];
    const s = step(confirming(), { type: 'openRequestsRead', open, then: { step: 'submit', form: FORM } });
    expect(s.reply).toEqual({ kind: 'duplicate', draftId: DRAFT_ID, subject: ADELE, open });
    expect(saved(s)).toEqual([confirming({ form: { ...FORM } })]);
  });

  it('goes on beside the open request the requester acknowledged: allocates an id of this year', () => {
    const s = step(confirming({ duplicateOf: 'DSR-2026-0001' }), {
      type: 'openRequestsRead',
      open: [openRequest('DSR-2026-0001')],
      then: { step: 'submit', form: FORM },
    });
    expect(s).toEqual({
      draft: confirming({ duplicateOf: 'DSR-2026-0001' }),
      effects: [],
      ask: { type: 'allocateRequestId', year: 2026, form: FORM },
    });
  });

  it('claims the draft with the id and the form before writing the request', () => {
    const s = step(confirming(), { type: 'requestIdAllocated', requestId: 'DSR-2026-0042', form: FORM });
    const claimed = confirming({ stage: 'submitting', requestId: 'DSR-2026-0042', form: formInputs(FORM) });
    expect(s).toEqual({ draft: claimed, effects: [], ask: { type: 'claimDraft', draft: claimed } });
    expect(step(claimed, { type: 'draftClaimed' }).ask).toEqual({
      type: 'readRequest',
      requestId: 'DSR-2026-0042',
    });
  });

  it('builds the request from the claimed draft when it is not stored yet', () => {
    const claimed = confirming({ stage: 'submitting', requestId: 'DSR-2026-0042', form: formInputs(FORM) });
    const s = step(claimed, { type: 'requestRead', request: undefined });
    expect(s.ask).toMatchObject({
      type: 'writeRequest',
      request: {
        id: 'DSR-2026-0042',
        status: 'pendingApproval',
        subject: ADELE,
        requester: actor,
        dueDate: dueDate('GDPR', '2026-11-20'),
        createdAt: NOW.toISOString(),
        requestedIn: { id: CHAT, type: 'personal' },
      },
    });
  });

  it('fails loudly on a claimed draft whose form no longer passes', () => {
    const broken = confirming({ stage: 'submitting', requestId: 'DSR-2026-0042', form: { reference: '' } });
    expect(() => step(broken, { type: 'requestRead', request: undefined })).toThrow(
      `Draft ${DRAFT_ID} was claimed without a valid form.`,
    );
  });

  it('records the request once, hands its card and timers over, marks the draft, then answers', () => {
    const claimed = confirming({ stage: 'submitting', requestId: 'DSR-2026-0042', form: formInputs(FORM) });
    const request = { ...openRequest('DSR-2026-0042'), requester: actor };
    const s = step(claimed, { type: 'requestWritten', request, wroteIt: true });
    const submitted = { ...claimed, stage: 'submitted' as const };
    expect(s.draft).toEqual(submitted);
    expect(s.effects).toEqual([
      { type: 'audit', event: requestCreatedEvent(request), onceKey: 'created' },
      { type: 'handOverOutbox', requestId: 'DSR-2026-0042', wroteIt: true },
      { type: 'saveDraft', draft: submitted, ifStale: 'ignore' },
    ]);
    expect(s.ask).toEqual({ type: 'readApprovalsChannel', request });
    expect(step(submitted, { type: 'approvalsChannelRead', set: true, request }).reply).toEqual({
      kind: 'created',
      request,
      approvalsChannelSet: true,
    });
  });

  it('answers a Submit repeated on a submitted draft with the same request, acting no more', () => {
    const submitted = confirming({ stage: 'submitted', requestId: 'DSR-2026-0042', form: { ...FORM } });
    const request = openRequest('DSR-2026-0042');
    const turn = drive(submitted, click({ verb: 'submit', inputs: { ...VALID, reference: 'other' } }), {
      readRequest: () => ({ type: 'requestRead', request }),
      readApprovalsChannel: () => ({ type: 'approvalsChannelRead', set: false, request }),
    });
    expect(turn.reply).toEqual({ kind: 'created', request, approvalsChannelSet: false });
    expect(turn.asked.map((q) => q.type)).toEqual(['readRequest', 'readApprovalsChannel']);
    // Only effects abandoned by their writer are handed over; the draft is not written again.
    expect(turn.effects.map((e) => e.type)).toEqual(['audit', 'handOverOutbox']);
    expect(turn.effects[1]).toEqual({ type: 'handOverOutbox', requestId: 'DSR-2026-0042', wroteIt: false });
  });

  it('walks a first Submit from the click to the answer, asking each port once', () => {
    let written: ExportRequest | undefined;
    const turn = drive(confirming(), click({ verb: 'submit', inputs: VALID }), {
      authorize: (q) => ({ type: 'authorized', actor, tenantId: TENANT, then: q.then }),
      readOpenRequests: (q) => ({ type: 'openRequestsRead', open: [], then: q.then }),
      allocateRequestId: (q) => ({
        type: 'requestIdAllocated',
        requestId: `DSR-${q.year}-0042`,
        form: q.form,
      }),
      claimDraft: () => ({ type: 'draftClaimed' }),
      readRequest: () => ({ type: 'requestRead', request: undefined }),
      writeRequest: (q) => {
        written = q.request;
        return { type: 'requestWritten', request: q.request, wroteIt: true };
      },
      readApprovalsChannel: (q) => ({ type: 'approvalsChannelRead', set: false, request: q.request }),
    });
    expect(turn.asked.map((q) => q.type)).toEqual([
      'authorize',
      'readOpenRequests',
      'allocateRequestId',
      'claimDraft',
      'readRequest',
      'writeRequest',
      'readApprovalsChannel',
    ]);
    expect(turn.reply).toEqual({ kind: 'created', request: written, approvalsChannelSet: false });
    expect(turn.draft).toMatchObject({ stage: 'submitted', requestId: 'DSR-2026-0042' });
    expect(turn.effects.map((e) => e.type)).toEqual(['audit', 'handOverOutbox', 'saveDraft']);
  });

  it('tells the loser of two concurrent Submits the id the winner got', () => {
    const turn = drive(confirming(), click({ verb: 'submit', inputs: VALID }), {
      authorize: (q) => ({ type: 'authorized', actor, tenantId: TENANT, then: q.then }),
      readOpenRequests: (q) => ({ type: 'openRequestsRead', open: [], then: q.then }),
      allocateRequestId: (q) => ({ type: 'requestIdAllocated', requestId: 'DSR-2026-0043', form: q.form }),
      claimDraft: () => ({
        type: 'draftRaced',
        current: confirming({ stage: 'submitting', requestId: 'DSR-2026-0042' }),
      }),
    });
    expect(turn.reply).toEqual({ kind: 'submittedElsewhere', requestId: 'DSR-2026-0042' });
    expect(turn.effects).toEqual([]);
  });
});
