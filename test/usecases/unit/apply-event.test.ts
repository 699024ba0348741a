import { AfterTurn } from '../../../src/usecases/after-turn';
import { applyEvent, OUTBOX_GRACE_MS, sweepOutboxes } from '../../../src/usecases/apply-event';
import { unavailable } from '../../support/fakes';
import { actor, MEGAN, PATTI, ALEX, pendingRequest, unitWorld, waitingJobTypes } from './deps';

describe('applyEvent: the new state and its effects are stored together, then handed over', () => {
  it('stores the decision with its effects, hands them to the queue and the audit trail, and clears the outbox', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    const result = await applyEvent(w.applyDeps, 'DSR-2026-0001', { type: 'approve', by: actor(MEGAN) });

    expect(result).toMatchObject({ ok: true, handedOver: true });
    const stored = w.requests.stored('DSR-2026-0001');
    expect(stored.status).toBe('approved');
    expect(stored.outbox).toEqual([]);
    expect(waitingJobTypes(w).sort()).toEqual(
      ['notifyRequester', 'replyInThread', 'submitExport', 'updateApprovalCard'].sort(),
    );
    expect(w.audit.actions('DSR-2026-0001')).toEqual(['request.approved']);
  });

  it('schedules a job with a due time for that time, not before', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    await applyEvent(w.applyDeps, 'DSR-2026-0001', { type: 'approve', by: actor(MEGAN) });
    const submit = w.jobs.waiting().find((j) => j.job.type === 'submitExport')!;
    expect(submit.due).toBe(w.clock.now().toISOString());
    expect(w.requests.stored('DSR-2026-0001').export?.nextAt).toBe(submit.due);
  });

  it('answers notFound for a request it does not hold, and writes nothing', async () => {
    const w = unitWorld();
    expect(await applyEvent(w.applyDeps, 'DSR-2026-0404', { type: 'approve', by: actor(MEGAN) })).toEqual({
      ok: false,
      reason: 'notFound',
    });
    expect(w.jobs.enqueued()).toEqual([]);
  });

  it('writes nothing when the workflow refuses the event (the requester approving their own request)', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    const before = await w.requests.getVersioned('DSR-2026-0001');
    const result = await applyEvent(w.applyDeps, 'DSR-2026-0001', { type: 'approve', by: actor(ALEX) });
    expect(result).toMatchObject({ ok: false, reason: 'selfApproval' });
    expect(await w.requests.getVersioned('DSR-2026-0001')).toEqual(before);
    expect(w.jobs.enqueued()).toEqual([]);
  });

  it('stores exactly one of two concurrent decisions on two instances; the other gets who decided', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    const otherInstance = { ...w.applyDeps, requests: w.requests.sibling() };
    const [a, b] = await Promise.all([
      applyEvent(w.applyDeps, 'DSR-2026-0001', { type: 'approve', by: actor(MEGAN) }),
      applyEvent(otherInstance, 'DSR-2026-0001', { type: 'reject', by: actor(PATTI), reason: 'No ticket.' }),
    ]);
    const winners = [a, b].filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const loser = [a, b].find((r) => !r.ok);
    expect(loser).toMatchObject({ ok: false, reason: 'alreadyDecided' });
    const decided = w.requests.stored('DSR-2026-0001').decision!;
    expect(loser).toMatchObject({ decision: { by: decided.by } });
    expect(
      w.audit.actions('DSR-2026-0001').filter((x) => x === 'request.approved' || x === 'request.rejected'),
    ).toHaveLength(1);
  });

  it('keeps the decision and its effects in the outbox when the queue is down, and says they were not handed over', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    w.jobs.faults.inject('enqueue', unavailable('the job queue'));
    const result = await applyEvent(w.applyDeps, 'DSR-2026-0001', { type: 'approve', by: actor(MEGAN) });

    expect(result).toMatchObject({ ok: true, handedOver: false });
    const stored = w.requests.stored('DSR-2026-0001');
    expect(stored.status).toBe('approved');
    expect(stored.outbox?.map((e) => e.effect.type)).toContain('submitExport');
    expect(w.jobs.waiting()).toEqual([]);
  });

  it('hands waiting effects over with the next event on the request, once they are older than the grace', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    const down = w.jobs.faults.inject('enqueue', unavailable('the job queue'));
    await applyEvent(w.applyDeps, 'DSR-2026-0001', { type: 'approve', by: actor(MEGAN) });
    down();

    // Fresh: its writer may be handing them over right now.
    await applyEvent(w.applyDeps, 'DSR-2026-0001', { type: 'approve', by: actor(PATTI) });
    expect(w.jobs.waiting()).toEqual([]);

    w.clock.advance(OUTBOX_GRACE_MS);
    const late = await applyEvent(w.applyDeps, 'DSR-2026-0001', { type: 'approve', by: actor(PATTI) });
    expect(late).toMatchObject({ ok: false, reason: 'alreadyDecided' });
    expect(waitingJobTypes(w)).toContain('submitExport');
    expect(w.requests.stored('DSR-2026-0001').outbox).toEqual([]);
  });

  it('records an audit event once, at the transition’s time, however often its outbox is handed over', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    const decidedAt = w.clock.now().toISOString();
    const down = w.jobs.faults.inject('enqueue', unavailable('the job queue'));
    await applyEvent(w.applyDeps, 'DSR-2026-0001', { type: 'approve', by: actor(MEGAN) });
    w.clock.advance(OUTBOX_GRACE_MS);
    const failed: string[] = [];
    await sweepOutboxes(w.applyDeps, (id) => failed.push(id)); // the queue is still down
    expect(failed).toEqual(['DSR-2026-0001']);
    down();
    w.clock.advance(60_000);
    await sweepOutboxes(w.applyDeps, (id) => failed.push(id));
    expect(w.requests.stored('DSR-2026-0001').outbox).toEqual([]);

    const approvals = w.audit.all().filter((e) => e.action === 'request.approved');
    expect(approvals).toHaveLength(1);
    expect(approvals[0]!.at).toBe(decidedAt);
  });
});

describe('sweepOutboxes: effects nobody handed over go out', () => {
  it('leaves fresh outboxes to their writer, hands over older ones once, and counts the requests it found', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    const down = w.jobs.faults.inject('enqueue', unavailable('the job queue'));
    await applyEvent(w.applyDeps, 'DSR-2026-0001', { type: 'approve', by: actor(MEGAN) });
    down();

    const errors: unknown[] = [];
    const onError = (_id: string, e: unknown) => errors.push(e);
    expect(await sweepOutboxes(w.applyDeps, onError)).toBe(1);
    expect(w.jobs.waiting()).toEqual([]);

    w.clock.advance(OUTBOX_GRACE_MS);
    expect(await sweepOutboxes(w.applyDeps, onError)).toBe(1);
    expect(w.jobs.enqueued().filter((j) => j.type === 'submitExport')).toHaveLength(1);
    expect(await sweepOutboxes(w.applyDeps, onError)).toBe(0);
    expect(w.jobs.enqueued().filter((j) => j.type === 'submitExport')).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('reports a request it cannot hand over and goes on with the others', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest('DSR-2026-0001'));
    await w.requests.create(pendingRequest('DSR-2026-0002'));
    const down = w.jobs.faults.inject('enqueue', unavailable('the job queue'));
    await applyEvent(w.applyDeps, 'DSR-2026-0001', { type: 'approve', by: actor(MEGAN) });
    await applyEvent(w.applyDeps, 'DSR-2026-0002', { type: 'approve', by: actor(MEGAN) });
    down();
    w.clock.advance(OUTBOX_GRACE_MS);
    w.requests.faults.inject('getVersioned', unavailable('the request table'), {
      when: (id) => id === 'DSR-2026-0001',
    });

    const failed: string[] = [];
    expect(await sweepOutboxes(w.applyDeps, (id) => failed.push(id))).toBe(2);
    expect(failed).toEqual(['DSR-2026-0001']);
    expect(w.jobs.enqueued().map((j) => j.requestId)).toContain('DSR-2026-0002');
    expect(w.jobs.enqueued().map((j) => j.requestId)).not.toContain('DSR-2026-0001');
    expect(w.requests.stored('DSR-2026-0001').outbox).not.toEqual([]);
  });
});

describe("applyEvent(…, 'afterWrite'): answered once stored, handed over right after", () => {
  it('resolves with the decision stored and its effects waiting, then hands them over without being awaited', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    const later: (() => Promise<unknown>)[] = [];
    const deps = { ...w.applyDeps, afterTurn: (work: () => Promise<unknown>) => void later.push(work) };
    const result = await applyEvent(
      deps,
      'DSR-2026-0001',
      { type: 'approve', by: actor(MEGAN) },
      'afterWrite',
    );

    expect(result).toMatchObject({ ok: true, handedOver: true, request: { status: 'approved' } });
    expect(w.requests.stored('DSR-2026-0001').outbox?.map((e) => e.effect.type)).toContain('submitExport');
    expect(w.jobs.waiting()).toEqual([]);
    expect(later).toHaveLength(1);

    await later[0]!();
    expect(waitingJobTypes(w)).toContain('submitExport');
    expect(w.requests.stored('DSR-2026-0001').outbox).toEqual([]);
    expect(w.audit.actions('DSR-2026-0001')).toEqual(['request.approved']);
  });

  it('loses nothing when the hand-over after the write fails: the sweep sends the effects', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    const errors: unknown[] = [];
    const after = new AfterTurn((e) => errors.push(e));
    const down = w.jobs.faults.inject('enqueue', unavailable('the job queue'));
    const deps = { ...w.applyDeps, afterTurn: after.run };
    await applyEvent(deps, 'DSR-2026-0001', { type: 'approve', by: actor(MEGAN) }, 'afterWrite');
    await after.settled();
    expect(errors).toHaveLength(1);
    expect(w.jobs.waiting()).toEqual([]);
    down();

    w.clock.advance(OUTBOX_GRACE_MS);
    await sweepOutboxes(w.applyDeps, () => undefined);
    expect(waitingJobTypes(w)).toContain('submitExport');
  });

  it('hands over at once, as before, without a way to run work after the turn', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    await applyEvent(w.applyDeps, 'DSR-2026-0001', { type: 'approve', by: actor(MEGAN) }, 'afterWrite');
    expect(waitingJobTypes(w)).toContain('submitExport');
  });
});
