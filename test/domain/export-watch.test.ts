import type { ExportRequest } from '../../src/domain/export-request';
import { transition, type Effect, type WorkflowEvent } from '../../src/domain/workflow';
import { meganActor, pendingRequest } from '../support/requests';

const t0 = new Date('2026-11-22T09:00:00Z');
const HOUR = 3600_000;
const MIN = 60_000;
const at = (ms: number) => new Date(t0.getTime() + ms);
const iso = (ms: number) => at(ms).toISOString();

function run(request: ExportRequest, steps: [number, WorkflowEvent][]) {
  let r = request;
  let effects: readonly Effect[] = [];
  for (const [ms, event] of steps) {
    const result = transition(r, event, at(ms));
    if (!result.ok) throw new Error(`${event.type} refused: ${result.reason}`);
    r = result.request;
    effects = result.effects;
  }
  return { request: r, effects };
}

const running: WorkflowEvent = {
  type: 'polled',
  attempt: 1,
  status: 'running',
  progress: 40,
  retryAfterSeconds: 60,
  completedAt: undefined,
};

/** An export submitted at t0 + 2 s and read as running five hours later: its next read is an hour off. */
const lateInItsLife = run(pendingRequest('DSR-2026-0042'), [
  [0, { type: 'approve', by: meganActor }],
  [1000, { type: 'submitStarted', attempt: 1, accountName: 'contosoexports' }],
  [
    2000,
    {
      type: 'submitAccepted',
      attempt: 1,
      operationUrl: 'https://graph.microsoft.com/v1.0/dataPolicyOperations/op-1',
      retryAfterSeconds: 60,
    },
  ],
  [5 * HOUR, running],
]);

describe('the export workflow: looking into the container between far-apart reads', () => {
  it('schedules a look five minutes on when the next read of Graph is further off', () => {
    const x = lateInItsLife.request.export!;
    expect(x.nextAt).toBe(iso(6 * HOUR));
    expect(x.watchAt).toBe(iso(5 * HOUR + 5 * MIN));
    expect(lateInItsLife.effects).toContainEqual({
      type: 'watchExport',
      attempt: 1,
      at: iso(5 * HOUR + 5 * MIN),
    });
  });

  it('brings the read of Graph forward to now once the export’s files are there; the planned read is then stale', () => {
    const watchAt = lateInItsLife.request.export!.watchAt!;
    const seen = run(lateInItsLife.request, [
      [5 * HOUR + 5 * MIN, { type: 'watched', attempt: 1, at: watchAt, filesSeen: true }],
    ]);
    expect(seen.request.export).toMatchObject({ nextAt: iso(5 * HOUR + 5 * MIN), watchAt: undefined });
    expect(seen.request.status).toBe('exporting');
    expect(seen.effects).toEqual([{ type: 'pollExport', attempt: 1, at: iso(5 * HOUR + 5 * MIN) }]);
  });

  it('looks again five minutes later when nothing is there, and stops looking once the read is near', () => {
    const first = lateInItsLife.request.export!.watchAt!;
    const nothing = run(lateInItsLife.request, [
      [5 * HOUR + 5 * MIN, { type: 'watched', attempt: 1, at: first, filesSeen: false }],
    ]);
    expect(nothing.effects).toEqual([{ type: 'watchExport', attempt: 1, at: iso(5 * HOUR + 10 * MIN) }]);
    const near = run(nothing.request, [
      [5 * HOUR + 57 * MIN, { type: 'watched', attempt: 1, at: iso(5 * HOUR + 10 * MIN), filesSeen: false }],
    ]);
    expect(near.effects).toEqual([]);
    expect(near.request.export?.watchAt).toBeUndefined();
    expect(near.request.export?.nextAt).toBe(iso(6 * HOUR));
  });

  it('ignores a look it does not wait for (a duplicate, a late one), and never completes on files alone', () => {
    const r = transition(
      lateInItsLife.request,
      { type: 'watched', attempt: 1, at: iso(1), filesSeen: true },
      at(5 * HOUR + 5 * MIN),
    );
    expect(r).toMatchObject({ ok: false, reason: 'stale' });
    const seen = run(lateInItsLife.request, [
      [
        5 * HOUR + 5 * MIN,
        { type: 'watched', attempt: 1, at: lateInItsLife.request.export!.watchAt!, filesSeen: true },
      ],
    ]);
    expect(seen.request.status).toBe('exporting');
    expect(seen.request.export?.completedAt).toBeUndefined();
  });

  it('never reads Graph before its Retry-After, even with the files there', () => {
    const throttled = {
      ...lateInItsLife.request,
      export: { ...lateInItsLife.request.export!, notBefore: iso(5 * HOUR + 20 * MIN) },
    };
    const seen = run(throttled, [
      [5 * HOUR + 5 * MIN, { type: 'watched', attempt: 1, at: throttled.export.watchAt!, filesSeen: true }],
    ]);
    expect(seen.effects).toEqual([{ type: 'pollExport', attempt: 1, at: iso(5 * HOUR + 20 * MIN) }]);
  });
});
