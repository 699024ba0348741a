import { actOnRequest } from '../../../src/usecases/act-on-request';
import { ALEX, caller, ISAIAH, MEGAN, pendingRequest, unitWorld, until, ROLE_CHECK_BUDGET_MS } from './deps';

describe('actOnRequest: an admin acts on a request’s legal clock', () => {
  it('records an extension from an admin, once for one click delivered twice', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    const extend = { type: 'extend', reason: 'Data in many systems', months: 1 } as const;
    const [first, second] = await Promise.all([
      actOnRequest(w.decideDeps, caller(MEGAN), 'DSR-2026-0001', extend),
      actOnRequest(w.decideDeps, caller(MEGAN), 'DSR-2026-0001', extend),
    ]);
    expect(first.kind).toBe('done');
    expect(second.kind).toBe('done');
    const stored = await w.requests.get('DSR-2026-0001');
    expect(stored?.extensions).toHaveLength(1);
    expect(stored?.dueDate).toBe('2027-01-20');
  });

  it('refuses someone without an admin role now, and records the refusal', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    const reply = await actOnRequest(w.decideDeps, caller(ISAIAH), 'DSR-2026-0001', {
      type: 'proposeClosure',
      reason: 'withdrawn',
      note: 'Withdrawn',
    });
    expect(reply).toMatchObject({ kind: 'refused', why: 'noRole' });
    expect((await w.requests.get('DSR-2026-0001'))?.closure).toBeUndefined();
    expect(w.audit.all().at(-1)).toMatchObject({ action: 'decision.refused', outcome: 'refused' });
  });

  it('answers a non-admin the same for an existing and an unknown id, without reading the request', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    const existing = await actOnRequest(w.decideDeps, caller(ISAIAH), 'DSR-2026-0001', {
      type: 'confirmClosure',
    });
    const unknown = await actOnRequest(w.decideDeps, caller(ISAIAH), 'DSR-2026-9999', {
      type: 'confirmClosure',
    });
    expect(existing).toEqual({ kind: 'refused', why: 'noRole', request: undefined });
    expect(unknown).toEqual(existing);
  });

  it('names nothing to another tenant or for an unknown id', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    const other = await actOnRequest(w.decideDeps, caller(MEGAN, 'another-tenant'), 'DSR-2026-0001', {
      type: 'confirmClosure',
    });
    expect(other).toEqual({ kind: 'refused', why: 'notAvailable', request: undefined });
    const unknown = await actOnRequest(w.decideDeps, caller(MEGAN), 'DSR-2026-9999', {
      type: 'confirmClosure',
    });
    expect(unknown).toEqual({ kind: 'refused', why: 'notAvailable', request: undefined });
  });

  it('keeps four eyes on a closure', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    await actOnRequest(w.decideDeps, caller(MEGAN), 'DSR-2026-0001', {
      type: 'proposeClosure',
      reason: 'excessive',
      note: 'Fifth identical request this month',
    });
    expect(
      await actOnRequest(w.decideDeps, caller(MEGAN), 'DSR-2026-0001', { type: 'confirmClosure' }),
    ).toMatchObject({
      kind: 'refused',
      why: 'sameAdmin',
    });
    expect(
      await actOnRequest(w.decideDeps, caller(ALEX), 'DSR-2026-0001', { type: 'confirmClosure' }),
    ).toMatchObject({
      kind: 'done',
      request: { status: 'closed' },
    });
  });

  it('says so, and records nothing, when Graph is too slow to confirm the role', async () => {
    const w = unitWorld();
    await w.requests.create(pendingRequest());
    const slow = w.directory.slowRoleChecks();
    const reply = actOnRequest(w.decideDeps, caller(MEGAN), 'DSR-2026-0001', {
      type: 'extend',
      reason: 'Complex',
    });
    await slow.asked();
    w.clock.advance(ROLE_CHECK_BUDGET_MS);
    let settled: unknown;
    void reply.then((r) => (settled = r));
    await until(() => settled !== undefined, 'the answer');
    expect(settled).toMatchObject({ kind: 'refused', why: 'roleCheckSlow' });
    slow.release();
    expect((await w.requests.get('DSR-2026-0001'))?.extensions).toBeUndefined();
  });
});
