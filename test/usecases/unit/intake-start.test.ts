import { ROLE } from '../../../sandbox/demo-tenant';
import { DirectoryError } from '../../../src/domain/ports';
import { startIntake, type StartIntake } from '../../../src/usecases/intake';
import type { Caller } from '../../../src/usecases/who-am-i';
import { ADELE, ALEX, caller, ISAIAH, MEGAN, pendingRequest } from './deps';
import { askFor, chatOf, demoUser, intakeWorld, type IntakeWorld } from './intake-world';

const VARGA = demoUser('Adele Varga');

const start = (w: IntakeWorld, subject: StartIntake['subject'], who: Caller = caller(ALEX)) =>
  startIntake(w.deps, { caller: who, conversation: chatOf(ALEX), subject, regime: 'CCPA' });

const refusals = (w: IntakeWorld) => w.audit.all().filter((e) => e.action === 'request.refused');

describe('startIntake: "export data for …"', () => {
  it('opens a draft for the requester in their chat and answers with the confirmation card', async () => {
    const w = intakeWorld();
    const id = w.nextDraftId();
    const reply = await askFor(w, ADELE);
    expect(reply).toEqual({
      kind: 'confirm',
      draftId: id,
      subject: ADELE,
      form: {},
      regime: undefined,
      duplicateOf: undefined,
    });
    expect(await w.draft(id)).toMatchObject({
      stage: 'confirming',
      subject: ADELE,
      requester: { aadObjectId: ALEX.id, name: ALEX.displayName },
      requestedIn: chatOf(ALEX),
      createdAt: '2026-11-22T09:00:00.000Z',
    });
    expect(w.requests.all()).toEqual([]);
    expect(w.audit.all()).toEqual([]);
  });

  it('resolves a mention by object id, preselecting the regime named', async () => {
    const w = intakeWorld();
    expect(await start(w, { kind: 'objectId', aadObjectId: ADELE.id })).toMatchObject({
      kind: 'confirm',
      subject: ADELE,
      regime: 'CCPA',
    });
  });

  it('asks whom to export when nobody is named, and when a mention is not in the directory', async () => {
    const w = intakeWorld();
    const id = w.nextDraftId();
    expect(await start(w, { kind: 'none' })).toEqual({ kind: 'askSubject', draftId: id });
    expect(await w.draft(id)).toMatchObject({ stage: 'choosing', candidates: [] });
    expect(
      await start(w, { kind: 'objectId', aadObjectId: 'c0a70500-0000-4000-8000-000000000999' }),
    ).toMatchObject({
      kind: 'askSubject',
      error: 'The person you mentioned is not in the directory of this organisation.',
    });
  });

  it('offers a choice when several people match, keeping the candidates on the server', async () => {
    const w = intakeWorld();
    const id = w.nextDraftId();
    const reply = await start(w, { kind: 'text', text: 'adele' });
    expect(reply).toMatchObject({ kind: 'pick', draftId: id, query: 'adele' });
    const stored = await w.draft(id);
    expect(stored.stage).toBe('choosing');
    expect(stored.candidates.map((c) => c.id).sort()).toEqual([ADELE.id, VARGA.id].sort());
  });

  it('points at the open request for the same person', async () => {
    const w = intakeWorld();
    await w.requests.create(pendingRequest('DSR-2026-0001'));
    const reply = await askFor(w, ADELE, caller(MEGAN));
    expect(reply).toMatchObject({ kind: 'duplicate', subject: ADELE, open: [{ id: 'DSR-2026-0001' }] });
  });

  it('refuses someone without an admin role, records it, and stores no draft', async () => {
    const w = intakeWorld();
    const id = w.nextDraftId();
    expect(await askFor(w, ADELE, caller(ISAIAH))).toEqual({ kind: 'refused', reason: 'noRole' });
    expect(refusals(w).map((e) => [e.actor.aadObjectId, e.outcome])).toEqual([[ISAIAH.id, 'refused']]);
    expect(await w.drafts.get(id)).toBeUndefined();
  });

  it('refuses an admin whose role was withdrawn', async () => {
    const w = intakeWorld();
    w.directory.withdraw(ALEX.id, ROLE.globalAdministrator);
    expect(await askFor(w, ADELE)).toEqual({ kind: 'refused', reason: 'noRole' });
  });

  it('refuses a caller of another tenant without asking the directory', async () => {
    const w = intakeWorld();
    const reply = await askFor(w, ADELE, caller(ALEX, 'f00df00d-0000-4000-8000-000000000001'));
    expect(reply).toEqual({ kind: 'refused', reason: 'otherTenant' });
    expect(w.directory.roleChecks).toBe(0);
    expect(refusals(w)).toHaveLength(1);
  });

  it('lets a directory failure through (the adapter explains it) and stores no draft', async () => {
    const w = intakeWorld();
    const id = w.nextDraftId();
    w.directory.faults.inject(
      'searchByDisplayName',
      new DirectoryError('Authorization_RequestDenied', 'Grant User.Read.All.'),
    );
    await expect(start(w, { kind: 'text', text: 'Adele' })).rejects.toThrow('Grant User.Read.All.');
    expect(await w.drafts.get(id)).toBeUndefined();
  });

  it('reads the open requests while the draft is written (one round trip), and waits for both', async () => {
    const w = intakeWorld();
    const id = w.nextDraftId();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const create = w.drafts.create.bind(w.drafts);
    let readWhileWriting = false;
    w.drafts.create = async (draft) => {
      await held;
      return create(draft);
    };
    const open = w.requests.openForSubject.bind(w.requests);
    w.requests.openForSubject = (subjectId) => {
      readWhileWriting = true;
      release();
      return open(subjectId);
    };
    const reply = await askFor(w, ADELE);
    expect(readWhileWriting).toBe(true);
    expect(reply.kind).toBe('confirm');
    expect(await w.draft(id)).toMatchObject({ stage: 'confirming', subject: ADELE });
  });

  it('fails the turn when the draft cannot be written, even though the read answered', async () => {
    const w = intakeWorld();
    w.drafts.create = () => Promise.reject(new Error('storage is down'));
    await expect(askFor(w, ADELE)).rejects.toThrow('storage is down');
  });
});
