import { OUTBOX_GRACE_MS } from '../../../src/usecases/apply-event';
import { submitIntake } from '../../../src/usecases/intake';
import type { Caller } from '../../../src/usecases/who-am-i';
import { unavailable } from '../../support/fakes';
import { ADELE, ALEX, caller, MEGAN, pendingRequest, waitingJobTypes } from './deps';
import { askFor, chatOf, draftIdOf, intakeWorld, VALID_FORM, type IntakeWorld } from './intake-world';

const ID = 'DSR-2026-0001';

async function confirming(options?: Parameters<typeof intakeWorld>[0]) {
  const w = intakeWorld(options);
  const draftId = draftIdOf(await askFor(w, ADELE));
  return { w, draftId };
}

const submit = (
  w: IntakeWorld,
  draftId: string,
  inputs: Record<string, unknown> = VALID_FORM,
  who: Caller = caller(ALEX),
  conversationId = chatOf(ALEX).id,
) => submitIntake(w.deps, who, conversationId, draftId, inputs);

const created = (w: IntakeWorld) => w.audit.all().filter((e) => e.action === 'request.created');

describe('submitIntake: Submit on the confirmation card', () => {
  it('stores the request with its due date and approval timers, hands the card and timers over, and says so', async () => {
    const { w, draftId } = await confirming();
    const reply = await submit(w, draftId);
    const stored = w.requests.stored(ID);
    // The answer shows the request as written; its outbox was emptied once the card and timers were handed over.
    expect(reply).toMatchObject({ kind: 'created', approvalsChannelSet: false });
    expect(reply.kind === 'created' && { ...reply.request, outbox: [] }).toEqual(stored);
    expect(stored).toMatchObject({
      status: 'pendingApproval',
      subject: ADELE,
      requester: { aadObjectId: ALEX.id, name: ALEX.displayName },
      regime: 'GDPR',
      receivedDate: '2026-11-20',
      dueDate: '2026-12-20',
      reference: 'SR-1001',
      createdAt: '2026-11-22T09:00:00.000Z',
      requestedIn: chatOf(ALEX),
      nextReminderAt: '2026-11-23T09:00:00.000Z',
      expiresAt: '2026-11-29T09:00:00.000Z',
      outbox: [],
    });
    expect(waitingJobTypes(w)).toEqual(['postApprovalCard', 'remind', 'expire', 'deadline']);
    expect(created(w)).toMatchObject([{ requestId: ID, actor: { aadObjectId: ALEX.id }, outcome: 'ok' }]);
    expect(await w.draft(draftId)).toMatchObject({ stage: 'submitted', requestId: ID });
  });

  it('says the approvals channel is set when it was chosen, or configured', async () => {
    const chosen = await confirming();
    await chosen.w.settings.setApprovalsChannel({
      conversationId: '19:approvals@thread.tacv2',
      teamId: undefined,
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      setBy: { aadObjectId: MEGAN.id, name: MEGAN.displayName },
      setAt: '2026-11-01T00:00:00.000Z',
    });
    expect(await submit(chosen.w, chosen.draftId)).toMatchObject({ approvalsChannelSet: true });
    const configured = await confirming({ approvalsChannelId: '19:approvals@thread.tacv2' });
    expect(await submit(configured.w, configured.draftId)).toMatchObject({ approvalsChannelSet: true });
  });

  it('answers an invalid form with the errors, keeps what was typed, and stores no request', async () => {
    const { w, draftId } = await confirming();
    const reply = await submit(w, draftId, {
      ...VALID_FORM,
      receivedDate: '2099-01-01',
      justification: '${x}',
    });
    expect(reply).toMatchObject({
      kind: 'confirm',
      errors: { receivedDate: 'The received date cannot be in the future.' },
      form: { justification: '${x}' },
    });
    expect((await w.draft(draftId)).form).toMatchObject({
      receivedDate: '2099-01-01',
      justification: '${x}',
    });
    expect(w.requests.all()).toEqual([]);
    expect(w.jobs.enqueued()).toEqual([]);
  });

  it('gives two concurrent clicks the same answer and creates one request, one record and one set of timers', async () => {
    const { w, draftId } = await confirming();
    const [first, second] = await Promise.all([submit(w, draftId), submit(w, draftId)]);
    const ids = [first, second].map((r) =>
      r.kind === 'created' ? r.request.id : r.kind === 'submittedElsewhere' ? r.requestId : r.kind,
    );
    expect(ids).toEqual([ID, ID]);
    expect(w.requests.all().map((r) => r.id)).toEqual([ID]);
    expect(created(w)).toHaveLength(1);
    expect(w.jobs.enqueued().map((j) => j.type)).toEqual([
      'postApprovalCard',
      'remind',
      'expire',
      'deadline',
    ]);
  });

  it('answers the same click delivered again with the same request, acting no more', async () => {
    const { w, draftId } = await confirming();
    const first = await submit(w, draftId);
    w.clock.advance(OUTBOX_GRACE_MS);
    const again = await submit(w, draftId, { ...VALID_FORM, reference: 'SR-9999' });
    expect(again).toEqual({ ...first, request: { ...w.requests.stored(ID), outbox: [] } });
    expect(again).toMatchObject({ kind: 'created', request: { id: ID, reference: 'SR-1001' } });
    expect(w.requests.all()).toHaveLength(1);
    expect(created(w)).toHaveLength(1);
    expect(w.jobs.enqueued()).toHaveLength(4);
  });

  it('finishes the request on the next click when the write failed after the claim', async () => {
    const { w, draftId } = await confirming();
    w.requests.faults.inject('create', unavailable('the request table'), { times: 1 });
    await expect(submit(w, draftId)).rejects.toThrow(/unavailable/);
    expect(await w.draft(draftId)).toMatchObject({ stage: 'submitting', requestId: ID });
    expect(w.requests.all()).toEqual([]);

    const reply = await submit(w, draftId);
    expect(reply).toMatchObject({ kind: 'created', request: { id: ID } });
    expect(waitingJobTypes(w)).toEqual(['postApprovalCard', 'remind', 'expire', 'deadline']);
    expect(await w.draft(draftId)).toMatchObject({ stage: 'submitted' });
  });

  it('keeps the request when its card and timers cannot be handed over yet: they wait in its outbox', async () => {
    const { w, draftId } = await confirming();
    w.jobs.faults.inject('enqueue', unavailable('the job queue'));
    expect(await submit(w, draftId)).toMatchObject({ kind: 'created', request: { id: ID } });
    expect(w.requests.stored(ID).outbox?.map((e) => e.effect.type)).toEqual([
      'postApprovalCard',
      'remind',
      'expire',
      'deadline',
    ]);
    expect(await w.requests.withPendingEffects()).toEqual([ID]);
  });

  it('points at a request opened for the same person since the card was shown, and creates nothing', async () => {
    const { w, draftId } = await confirming();
    await w.requests.create(pendingRequest('DSR-2026-0099'));
    const reply = await submit(w, draftId);
    expect(reply).toMatchObject({ kind: 'duplicate', draftId, open: [{ id: 'DSR-2026-0099' }] });
    expect(w.requests.all().map((r) => r.id)).toEqual(['DSR-2026-0099']);
    expect((await w.draft(draftId)).form).toMatchObject({ reference: 'SR-1001' });
  });

  it('refuses a Submit by anyone but the requester in their chat, records it, and creates nothing', async () => {
    const { w, draftId } = await confirming();
    expect(await submit(w, draftId, VALID_FORM, caller(MEGAN), chatOf(ALEX).id)).toEqual({
      kind: 'notYours',
    });
    expect(await submit(w, draftId, VALID_FORM, caller(ALEX), '19:elsewhere@thread.tacv2')).toEqual({
      kind: 'notYours',
    });
    expect(w.audit.all().filter((e) => e.action === 'card.refused')).toHaveLength(2);
    expect(w.requests.all()).toEqual([]);
  });
});
