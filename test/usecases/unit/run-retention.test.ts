import type { ExportRequest } from '../../../src/domain/export-request';
import { DEFAULT_RETENTION } from '../../../src/domain/retention';
import { runRetention, type RetentionDeps } from '../../../src/usecases/retention/run-retention';
import { FakeTombstones } from '../../support/fakes';
import { actor, ALEX, MEGAN, pendingRequest, unitWorld } from './deps';

const CONTAINER = 'dsr-dsr-2026-0001';

function delivered(): ExportRequest {
  return {
    ...pendingRequest(),
    status: 'delivered',
    export: { attempt: 1, containerName: CONTAINER, throttled: 0, polls: 1, pollErrors: 0 },
    delivery: {
      date: '2026-12-01',
      method: 'secureLink',
      note: '',
      by: actor(ALEX),
      at: '2026-12-01T10:00:00.000Z',
      daysLate: 0,
    },
  };
}

async function world(start: string) {
  const w = unitWorld(start);
  await w.destinations.prepare(CONTAINER);
  const erased: string[] = [];
  const deps: RetentionDeps = {
    ...w.applyDeps,
    policy: DEFAULT_RETENTION,
    exports: w.destinations,
    records: {
      removeRequest: (stored) => w.requests.removeRequest(stored),
      eraseTrail: async (id) => {
        await Promise.resolve();
        erased.push(id);
        return 0;
      },
      eraseTrailFiles: () => Promise.resolve(0),
    },
    tombstones: new FakeTombstones(),
  };
  return { w, deps, erased };
}

describe('runRetention (unit): one request, what is due now', () => {
  it('does nothing to a request held between the sweep and the job, and keeps its container', async () => {
    const { w, deps } = await world('2026-12-31T09:00:00.000Z');
    await w.requests.create({
      ...delivered(),
      retention: { hold: { by: actor(MEGAN), at: '2026-12-20T00:00:00.000Z', reason: 'Dispute' } },
    });
    expect(await runRetention(deps, 'DSR-2026-0001')).toEqual([]);
    expect(w.destinations.blobNames(CONTAINER)).toBeDefined();
  });

  it('deletes the container once when two deliveries of the job run at once', async () => {
    const { w, deps } = await world('2026-12-31T09:00:00.000Z');
    // Told on 28 December that it goes on the 31st.
    await w.requests.create({ ...delivered(), retention: { noticedFor: '2026-12-31' } });
    await Promise.all([runRetention(deps, 'DSR-2026-0001'), runRetention(deps, 'DSR-2026-0001')]);
    expect(w.destinations.blobNames(CONTAINER)).toBeUndefined();
    expect(w.audit.all().filter((e) => e.action === 'retention.deleted')).toHaveLength(1);
    expect((await w.requests.get('DSR-2026-0001'))?.retention?.deleted).toHaveLength(1);
  });

  it('answers "gone" for a request deleted meanwhile', async () => {
    const { deps } = await world('2026-12-31T09:00:00.000Z');
    expect(await runRetention(deps, 'DSR-2026-0404')).toEqual(['gone']);
  });
});
