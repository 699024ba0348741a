import { lookUpRequests } from '../../../src/usecases/look-up-requests';
import type { ExportRequest } from '../../../src/domain/export-request';
import { ALEX, caller, ISAIAH, MEGAN, pendingRequest, unitWorld } from './deps';

const deps = (w: ReturnType<typeof unitWorld>) => w.decideDeps;

async function seeded() {
  const w = unitWorld();
  const due = ['2026-12-20', '2026-11-30', '2027-01-05'];
  for (const [i, dueDate] of due.entries()) {
    const r: ExportRequest = { ...pendingRequest(`DSR-2026-000${i + 1}`), dueDate };
    await w.requests.create(r);
  }
  await w.requests.create({ ...pendingRequest('DSR-2026-0004'), status: 'delivered' });
  return w;
}

describe('lookUpRequests: status, my requests, open requests', () => {
  it('lists open requests by due date (overdue first), with the total, and leaves finished ones out', async () => {
    const w = await seeded();
    const answer = await lookUpRequests(deps(w), caller(MEGAN), { kind: 'open', page: 0 });
    expect(answer).toMatchObject({ kind: 'list', list: 'open', total: 3 });
    expect(answer.kind === 'list' && answer.items.map((r) => r.id)).toEqual([
      'DSR-2026-0002',
      'DSR-2026-0001',
      'DSR-2026-0003',
    ]);
    expect(w.audit.all().at(-1)).toMatchObject({ action: 'requests.listed', outcome: 'ok' });
  });

  it('shows one request with its trail, by id in any case, or by the subject’s name', async () => {
    const w = await seeded();
    expect(
      await lookUpRequests(deps(w), caller(ALEX), { kind: 'request', id: 'dsr-2026-0004' }),
    ).toMatchObject({
      kind: 'request',
      request: { id: 'DSR-2026-0004' },
    });
    expect(await lookUpRequests(deps(w), caller(ALEX), { kind: 'search', text: 'adele' })).toMatchObject({
      kind: 'list',
      list: 'search',
      total: 3,
    });
    expect(await lookUpRequests(deps(w), caller(ALEX), { kind: 'search', text: 'nobody' })).toMatchObject({
      kind: 'none',
    });
  });

  it('lists the caller’s own requests only', async () => {
    const w = await seeded();
    expect(await lookUpRequests(deps(w), caller(ALEX), { kind: 'mine', page: 0 })).toMatchObject({
      total: 4,
    });
    expect(await lookUpRequests(deps(w), caller(MEGAN), { kind: 'mine', page: 0 })).toMatchObject({
      total: 0,
    });
  });

  it('shows nothing to a non-admin or another tenant, and records the refusal', async () => {
    const w = await seeded();
    expect(await lookUpRequests(deps(w), caller(ISAIAH), { kind: 'open', page: 0 })).toEqual({
      kind: 'noRole',
    });
    expect(await lookUpRequests(deps(w), caller(ISAIAH), { kind: 'request', id: 'DSR-2026-0001' })).toEqual({
      kind: 'noRole',
    });
    expect(w.audit.all().at(-1)).toMatchObject({ action: 'requests.listed', outcome: 'refused' });
    expect(await lookUpRequests(deps(w), caller(MEGAN, 'another'), { kind: 'open', page: 0 })).toEqual({
      kind: 'notAvailable',
    });
    // Another tenant's attempt is recorded too, naming no request.
    expect(w.audit.all().at(-1)).toMatchObject({ action: 'requests.listed', outcome: 'refused' });
    expect(w.audit.all().at(-1)).not.toHaveProperty('requestId');
  });
});
