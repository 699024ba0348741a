import { readAuditTrail, TRAIL_PAGE_SIZE } from '../../../src/usecases/read-audit-trail';
import { ALEX, caller, ISAIAH, MEGAN, ROLE_CHECK_BUDGET_MS } from './deps';
import { trailWorld, withTrail } from './trail-world';

describe('readAuditTrail: a page of a request’s trail, for admins', () => {
  it('gives an admin one page of 15 entries, oldest first, the verdict, and records the view after reading', async () => {
    const w = trailWorld();
    await withTrail(w, 20);
    const first = await readAuditTrail(w.trailDeps, caller(MEGAN), 'dsr-2026-0001', 0);
    expect(first).toMatchObject({
      kind: 'trail',
      requestId: 'DSR-2026-0001',
      page: 0,
      pageSize: TRAIL_PAGE_SIZE,
      total: 20,
      viewRecorded: true,
      verification: { valid: true, chained: 20 },
    });
    expect(first.kind === 'trail' && first.entries.map((e) => e.seq)).toEqual(
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
    expect(w.audit.all().at(-1)).toMatchObject({
      action: 'audit.viewed',
      outcome: 'ok',
      requestId: 'DSR-2026-0001',
      actor: { aadObjectId: MEGAN.id },
      detail: 'audit trail of DSR-2026-0001, page 1 of 2',
    });

    // The view was recorded after the read: page 2 holds it (entry 21).
    const second = await readAuditTrail(w.trailDeps, caller(MEGAN), 'DSR-2026-0001', 1);
    expect(second.kind === 'trail' && second.entries.map((e) => e.seq)).toEqual([16, 17, 18, 19, 20, 21]);
    expect(second).toMatchObject({ page: 1, total: 21 });
  });

  it('keeps the page within the trail (a page past the end shows the last one)', async () => {
    const w = trailWorld();
    await withTrail(w, 3);
    expect(await readAuditTrail(w.trailDeps, caller(ALEX), 'DSR-2026-0001', 7)).toMatchObject({ page: 0 });
    expect(await readAuditTrail(w.trailDeps, caller(ALEX), 'DSR-2026-0001', -1)).toMatchObject({ page: 0 });
  });

  it('answers none for an unknown or malformed id, and shows the trail of a request whose record is gone', async () => {
    const w = trailWorld();
    expect(await readAuditTrail(w.trailDeps, caller(ALEX), 'DSR-2099-9999', 0)).toEqual({ kind: 'none' });
    expect(await readAuditTrail(w.trailDeps, caller(ALEX), "x' or 1=1", 0)).toEqual({ kind: 'none' });
    await w.audit.append({
      at: w.clock.now().toISOString(),
      action: 'request.closed',
      actor: {},
      outcome: 'ok',
      requestId: 'DSR-2025-0007',
    });
    expect(await readAuditTrail(w.trailDeps, caller(ALEX), 'DSR-2025-0007', 0)).toMatchObject({
      kind: 'trail',
      total: 1,
    });
  });

  it('refuses a non-admin and another tenant the same way for an existing and an unknown id, recording it', async () => {
    const w = trailWorld();
    await withTrail(w, 2);
    for (const id of ['DSR-2026-0001', 'DSR-2099-9999']) {
      expect(await readAuditTrail(w.trailDeps, caller(ISAIAH), id, 0)).toEqual({ kind: 'noRole' });
      expect(await readAuditTrail(w.trailDeps, caller(MEGAN, 'another-tenant'), id, 0)).toEqual({
        kind: 'notAvailable',
      });
    }
    const refusals = w.audit.all().filter((e) => e.outcome === 'refused');
    expect(refusals).toHaveLength(4);
    for (const r of refusals) {
      expect(r.action).toBe('audit.viewed');
      expect(r).not.toHaveProperty('requestId');
      expect(r.detail).not.toMatch(/DSR/);
    }
  });

  it('asks Graph live and refuses when it is too slow to confirm the role', async () => {
    const w = trailWorld();
    await withTrail(w, 1);
    const slow = w.directory.slowRoleChecks();
    const answer = readAuditTrail(w.trailDeps, caller(MEGAN), 'DSR-2026-0001', 0);
    await slow.asked();
    await w.clock.someoneSleeps();
    w.clock.advance(ROLE_CHECK_BUDGET_MS);
    expect(await answer).toEqual({ kind: 'roleCheckSlow' });
    slow.release();
  });

  it('shows a trail that refuses new entries, and says the view was not recorded', async () => {
    const w = trailWorld();
    await withTrail(w, 2);
    w.audit.faults.inject('append', new Error('chained entries but no head row'));
    expect(await readAuditTrail(w.trailDeps, caller(MEGAN), 'DSR-2026-0001', 0)).toMatchObject({
      kind: 'trail',
      total: 2,
      viewRecorded: false,
    });
  });
});
