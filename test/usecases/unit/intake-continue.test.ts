import { ROLE } from '../../../sandbox/demo-tenant';
import { DRAFT_LIFETIME_MS } from '../../../src/domain/intake-draft';
import type { DraftStore } from '../../../src/domain/ports';
import { continueIntake, submitIntake, type IntakeDeps } from '../../../src/usecases/intake';
import type { Caller } from '../../../src/usecases/who-am-i';
import { ADELE, ALEX, caller, MEGAN, pendingRequest } from './deps';
import {
  askFor,
  chatOf,
  demoUser,
  draftIdOf,
  intakeWorld,
  startWith,
  VALID_FORM,
  type IntakeWorld,
} from './intake-world';

const VARGA = demoUser('Adele Varga');

type Action = Parameters<typeof continueIntake>[4];

const clickAs = (
  w: IntakeWorld,
  draftId: string,
  action: Action,
  who: Caller = caller(ALEX),
  conversationId = chatOf(ALEX).id,
  deps: IntakeDeps = w.deps,
) => continueIntake(deps, who, conversationId, draftId, action);

const refusedCards = (w: IntakeWorld) => w.audit.all().filter((e) => e.action === 'card.refused');

async function pickWorld() {
  const w = intakeWorld();
  const reply = await startWith(w, { kind: 'text', text: 'adele' });
  if (reply.kind !== 'pick') throw new Error(`Expected a choice, got ${reply.kind}`);
  return { w, draftId: reply.draftId, candidates: reply.candidates };
}

describe('continueIntake: clicks on the intake cards', () => {
  it('finds the person typed in the search box', async () => {
    const w = intakeWorld();
    const draftId = draftIdOf(await startWith(w, { kind: 'none' }));
    expect(await clickAs(w, draftId, { verb: 'find', query: 'Patti' })).toMatchObject({
      kind: 'confirm',
      subject: { userPrincipalName: 'pattif@contoso.com' },
    });
  });

  it('continues with the person picked from the list offered, and refuses a choice outside it', async () => {
    const { w, draftId, candidates } = await pickWorld();
    expect(await clickAs(w, draftId, { verb: 'pick', choice: 7 })).toEqual({ kind: 'stale', why: 'unknown' });
    const varga = candidates.findIndex((c) => c.id === VARGA.id);
    expect(await clickAs(w, draftId, { verb: 'pick', choice: varga })).toMatchObject({
      kind: 'confirm',
      subject: VARGA,
    });
    expect(await w.draft(draftId)).toMatchObject({ stage: 'confirming', subject: VARGA, candidates: [] });
  });

  it('answers a click on an unknown draft, or with an id that is not a draft id, as no longer valid', async () => {
    const w = intakeWorld();
    w.drafts.faults.inject('get', new Error('a forged id reached the store'), {
      when: (id) => id.includes('/'),
    });
    expect(await clickAs(w, '00000000-0000-4000-8000-00000000dead', { verb: 'cancel' })).toEqual({
      kind: 'stale',
      why: 'unknown',
    });
    expect(await clickAs(w, '../requests/x', { verb: 'cancel' })).toEqual({ kind: 'stale', why: 'unknown' });
  });

  it('refuses another admin’s click on the requester’s draft, names nobody, records it and changes nothing', async () => {
    const w = intakeWorld();
    const draftId = draftIdOf(await askFor(w, ADELE));
    const before = await w.drafts.get(draftId);
    for (const where of [chatOf(ALEX).id, chatOf(MEGAN).id]) {
      expect(await clickAs(w, draftId, { verb: 'cancel' }, caller(MEGAN), where)).toEqual({
        kind: 'notYours',
      });
    }
    expect(refusedCards(w).map((e) => [e.actor.aadObjectId, e.outcome])).toEqual([
      [MEGAN.id, 'refused'],
      [MEGAN.id, 'refused'],
    ]);
    expect(await w.drafts.get(draftId)).toEqual(before);
  });

  it('refuses the requester’s own draft clicked from another conversation (a replayed card)', async () => {
    const w = intakeWorld();
    const draftId = draftIdOf(await askFor(w, ADELE));
    expect(await clickAs(w, draftId, { verb: 'cancel' }, caller(ALEX), '19:elsewhere@thread.tacv2')).toEqual({
      kind: 'notYours',
    });
    expect((await w.draft(draftId)).stage).toBe('confirming');
  });

  it('refuses a draft more than a day old', async () => {
    const w = intakeWorld();
    const draftId = draftIdOf(await askFor(w, ADELE));
    w.clock.advance(DRAFT_LIFETIME_MS + 1);
    expect(await clickAs(w, draftId, { verb: 'find', query: 'Adele' })).toEqual({
      kind: 'stale',
      why: 'expired',
    });
    expect(w.directory.roleChecks).toBe(1);
  });

  it('checks the requester’s role again: one withdrawn since is refused and recorded', async () => {
    const w = intakeWorld();
    const draftId = draftIdOf(await askFor(w, ADELE));
    w.directory.withdraw(ALEX.id, ROLE.globalAdministrator);
    expect(await clickAs(w, draftId, { verb: 'find', query: 'Patti' })).toEqual({
      kind: 'refused',
      reason: 'noRole',
    });
    expect(w.audit.all().filter((e) => e.action === 'request.refused')).toHaveLength(1);
    expect((await w.draft(draftId)).subject).toEqual(ADELE);
  });

  it('cancels: stores nothing but the cancelled draft, records it, and a later click says it was cancelled', async () => {
    const w = intakeWorld();
    const draftId = draftIdOf(await askFor(w, ADELE));
    // Cancelling needs no admin role: the requester can always withdraw their own draft.
    w.directory.withdraw(ALEX.id, ROLE.globalAdministrator);
    expect(await clickAs(w, draftId, { verb: 'cancel' })).toEqual({ kind: 'cancelled' });
    expect((await w.draft(draftId)).stage).toBe('cancelled');
    expect(w.audit.all().map((e) => [e.action, e.subjectId])).toEqual([['draft.cancelled', ADELE.id]]);
    expect(await clickAs(w, draftId, { verb: 'submit', inputs: VALID_FORM })).toEqual({
      kind: 'stale',
      why: 'cancelled',
    });
    expect(w.requests.all()).toEqual([]);
  });

  it('says a cancel came too late when a Submit claimed the draft first, and records no cancellation', async () => {
    const w = intakeWorld();
    const draftId = draftIdOf(await askFor(w, ADELE));
    // The Submit lands between the cancel's read of the draft and its write.
    let submitted: Awaited<ReturnType<typeof submitIntake>> | undefined;
    const racing: DraftStore = {
      create: (d) => w.drafts.create(d),
      get: (id) => w.drafts.get(id),
      async replace(d, etag) {
        submitted ??= await submitIntake(w.deps, caller(ALEX), chatOf(ALEX).id, draftId, VALID_FORM);
        return w.drafts.replace(d, etag);
      },
    };
    const reply = await clickAs(w, draftId, { verb: 'cancel' }, caller(ALEX), chatOf(ALEX).id, {
      ...w.deps,
      drafts: racing,
    });
    expect(submitted).toMatchObject({ kind: 'created', request: { id: 'DSR-2026-0001' } });
    expect(reply).toEqual({ kind: 'submittedElsewhere', requestId: 'DSR-2026-0001' });
    expect((await w.draft(draftId)).stage).toBe('submitted');
    expect(w.audit.all().map((e) => e.action)).not.toContain('draft.cancelled');
  });

  it('creates another request beside an open one only when asked to, and records that choice', async () => {
    const w = intakeWorld();
    await w.requests.create(pendingRequest('DSR-2026-0099'));
    const duplicate = await askFor(w, ADELE, caller(MEGAN));
    expect(duplicate).toMatchObject({ kind: 'duplicate', open: [{ id: 'DSR-2026-0099' }] });
    const draftId = draftIdOf(duplicate);
    const confirm = await clickAs(
      w,
      draftId,
      { verb: 'acknowledgeDuplicate' },
      caller(MEGAN),
      chatOf(MEGAN).id,
    );
    expect(confirm).toMatchObject({ kind: 'confirm', subject: ADELE, duplicateOf: 'DSR-2026-0099' });
    expect(w.audit.all().filter((e) => e.action === 'duplicate.acknowledged')).toMatchObject([
      { actor: { aadObjectId: MEGAN.id }, subjectId: ADELE.id, outcome: 'ok' },
    ]);
    const created = await clickAs(
      w,
      draftId,
      { verb: 'submit', inputs: VALID_FORM },
      caller(MEGAN),
      chatOf(MEGAN).id,
    );
    expect(created).toMatchObject({ kind: 'created', request: { duplicateOf: 'DSR-2026-0099' } });
  });

  it('answers any other click on a submitted draft with the request it became', async () => {
    const w = intakeWorld();
    const draftId = draftIdOf(await askFor(w, ADELE));
    await clickAs(w, draftId, { verb: 'submit', inputs: VALID_FORM });
    expect(await clickAs(w, draftId, { verb: 'find', query: 'Patti' })).toEqual({
      kind: 'submittedElsewhere',
      requestId: 'DSR-2026-0001',
    });
  });
});
