import { randomUUID } from 'node:crypto';
import { TableRequestStore } from '../../src/adapters/storage/request-store';
import { TableSubmissionLog } from '../../src/adapters/storage/submission-log';
import type { AuditEvent } from '../../src/domain/audit';
import type { ExportRequest } from '../../src/domain/export-request';
import type { Job } from '../../src/domain/jobs';
import type { AuditLog, Clock, ExportDestinations, Exporter, JobQueue } from '../../src/domain/ports';
import { Secret } from '../../src/secret';
import { applyEvent, OUTBOX_GRACE_MS, sweepOutboxes } from '../../src/usecases/apply-event';
import { decideApproval, type DecideDeps } from '../../src/usecases/decide-approval';
import { submitExport, type ExportDeps } from '../../src/usecases/run-export';
import { meganActor, pendingRequest } from '../support/requests';
import { testStorageConnectionString, waitFor } from '../support/sandbox';

const table = () => `ae${randomUUID().replace(/-/g, '').slice(0, 16)}`;

/** A job queue that fails while `down` is set, as a storage outage would. */
function flakyJobs() {
  const jobs: Job[] = [];
  let down = false;
  const queue: JobQueue & { jobs: Job[]; setDown(d: boolean): void } = {
    jobs,
    setDown: (d) => (down = d),
    enqueue: (job) => {
      if (down) return Promise.reject(new Error('queue unavailable (503)'));
      jobs.push(job);
      return Promise.resolve();
    },
  };
  return queue;
}

const memoryAudit = (): AuditLog & { events: AuditEvent[] } => {
  const events: AuditEvent[] = [];
  return {
    events,
    append: (e) => {
      events.push(e);
      return Promise.resolve();
    },
    list: () => Promise.resolve(events),
    trail: () => Promise.reject(new Error('trail() is not used by these tests')),
    heads: () => Promise.resolve([]),
  };
};

function movableClock(start = new Date('2026-11-22T09:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

/** A request approved on Azurite, waiting for its submission at `at`. */
async function approvedOnAzurite() {
  const requests = new TableRequestStore(testStorageConnectionString(), table());
  const id = `DSR-2026-${Math.floor(Math.random() * 9000) + 1000}`;
  await requests.create(pendingRequest(id));
  const jobs = flakyJobs();
  const base = { requests, audit: memoryAudit(), jobs, clock: movableClock(), newId: randomUUID };
  const approved = await applyEvent(base, id, { type: 'approve', by: meganActor });
  if (!approved.ok) throw new Error('not approved');
  return { requests, id, base, jobs, at: approved.request.export!.nextAt! };
}

describe('an approved export is never silently lost (issue 11)', () => {
  it('tells the approver the decision is recorded when the queue fails, and the sweep hands its effects over', async () => {
    const requests = new TableRequestStore(testStorageConnectionString(), table());
    const request: ExportRequest = {
      ...pendingRequest(`DSR-2026-${Math.floor(Math.random() * 9000) + 1000}`),
      approvalCard: {
        conversationId: '19:c@thread.tacv2',
        activityId: '1',
        serviceUrl: 'https://s/',
        postedAt: '',
      },
    };
    await requests.create(request);
    const jobs = flakyJobs();
    const clock = movableClock();
    const deps: DecideDeps = {
      requests,
      audit: memoryAudit(),
      jobs,
      clock,
      newId: randomUUID,
      directory: {
        findUser: () => Promise.resolve(undefined),
        searchByDisplayName: () => Promise.resolve([]),
        heldRoles: (_id, roles) => Promise.resolve([...roles]),
      },
      homeTenantId: 'tenant',
      allowedRoleIds: ['role'],
      roleCheckBudgetMs: 1000,
      after: () => new Promise(() => undefined),
    };
    const caller = { aadObjectId: meganActor.aadObjectId, name: meganActor.name, tenantId: 'TENANT' };
    const approve = () =>
      decideApproval(deps, caller, '19:c@thread.tacv2;messageid=1', request.id, 'approve', '');

    jobs.setDown(true);
    const reply = await approve();
    // Before the fix: "Nothing was decided" while the approval stood with nothing queued.
    expect(reply.kind).toBe('recorded');
    const stored = (await requests.get(request.id))!;
    expect(stored.status).toBe('approved');
    expect(stored.outbox?.map((e) => e.effect.type)).toContain('submitExport');
    expect(jobs.jobs).toEqual([]);

    // A second click by the same admin, once storage is back, recovers (after the writer's grace).
    jobs.setDown(false);
    clock.advance(OUTBOX_GRACE_MS);
    const again = await approve();
    expect(again.kind).toBe('decided');
    expect(jobs.jobs.map((j) => j.type)).toContain('submitExport');
    expect((await requests.get(request.id))!.outbox).toEqual([]);
  });

  it('hands over waiting effects from the periodic sweep, once old enough, and only once', async () => {
    const requests = new TableRequestStore(testStorageConnectionString(), table());
    const request = pendingRequest(`DSR-2026-${Math.floor(Math.random() * 9000) + 1000}`);
    await requests.create(request);
    const jobs = flakyJobs();
    const clock = movableClock();
    const deps = { requests, audit: memoryAudit(), jobs, clock, newId: randomUUID };
    jobs.setDown(true);
    const result = await applyEvent(deps, request.id, { type: 'approve', by: meganActor });
    expect(result.ok && result.handedOver).toBe(false);
    jobs.setDown(false);

    const errors: unknown[] = [];
    expect(await sweepOutboxes(deps, (_id, e) => errors.push(e))).toBe(1);
    expect(jobs.jobs).toEqual([]); // too fresh: its writer may be handing it over right now
    clock.advance(OUTBOX_GRACE_MS);
    await sweepOutboxes(deps, (_id, e) => errors.push(e));
    expect(jobs.jobs.filter((j) => j.type === 'submitExport')).toHaveLength(1);
    expect(await sweepOutboxes(deps, (_id, e) => errors.push(e))).toBe(0);
    expect(jobs.jobs.filter((j) => j.type === 'submitExport')).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it("keeps Graph's 202 when the request write right after it fails, and follows that operation without submitting again", async () => {
    const { requests, id, base, at } = await approvedOnAzurite();

    const submitted: string[] = [];
    const exporter: Exporter = {
      submit: (userId) => {
        submitted.push(userId);
        return Promise.resolve({
          kind: 'accepted',
          operationUrl: 'https://graph.example/v1.0/dataPolicyOperations/op-7',
          retryAfterSeconds: 60,
        });
      },
      operation: () => Promise.reject(new Error('not used')),
      operationUrl: (op) => `https://graph.example/v1.0/dataPolicyOperations/${op}`,
    };
    const destinations: ExportDestinations = {
      prepare: (containerName) =>
        Promise.resolve({ accountName: 'acct', containerName, sasUrl: new Secret('https://acct/c?sig=s') }),
      findEvidence: () => Promise.resolve({ found: false }),
      revoke: () => Promise.resolve(),
      summarize: () => Promise.resolve({ folders: [], files: 0, bytes: 0 }),
    };
    // The request table refuses the one write that records the 202 (an outage at the worst moment).
    let failNextAccept = true;
    const flakyRequests: typeof requests = Object.create(requests) as typeof requests;
    flakyRequests.replace = (r, etag) => {
      if (failNextAccept && r.status === 'exporting') {
        failNextAccept = false;
        return Promise.reject(new Error('table unavailable (503)'));
      }
      return requests.replace(r, etag);
    };
    const deps: ExportDeps = {
      ...base,
      requests: flakyRequests,
      exporter,
      destinations,
      submissions: new TableSubmissionLog(testStorageConnectionString(), table()),
    };
    await expect(submitExport(deps, id, 1, at)).rejects.toThrow(/table unavailable/);
    // The job comes back (its lease ran out): it must not call the outcome unknown, nor submit again.
    await submitExport(deps, id, 1, at);
    const after = (await requests.get(id))!;
    expect(after.status).toBe('exporting');
    expect(after.export?.operationUrl).toBe('https://graph.example/v1.0/dataPolicyOperations/op-7');
    expect(submitted).toHaveLength(1);
  });

  it('lets a duplicate submit job wait while the first still waits for Graph, instead of calling the outcome unknown', async () => {
    const { requests, id, base, jobs, at } = await approvedOnAzurite();
    let answer!: () => void;
    const deps: ExportDeps = {
      ...base,
      exporter: {
        submit: () =>
          new Promise((resolve) => {
            answer = () =>
              resolve({
                kind: 'accepted',
                operationUrl: 'https://graph.example/v1.0/dataPolicyOperations/op-9',
                retryAfterSeconds: 60,
              });
          }),
        operation: () => Promise.reject(new Error('not used')),
        operationUrl: (op) => op,
      },
      destinations: {
        prepare: (containerName) =>
          Promise.resolve({ accountName: 'acct', containerName, sasUrl: new Secret('https://acct/c?sig=s') }),
        findEvidence: () => Promise.resolve({ found: false }),
        revoke: () => Promise.resolve(),
        summarize: () => Promise.resolve({ folders: [], files: 0, bytes: 0 }),
      },
      submissions: new TableSubmissionLog(testStorageConnectionString(), table()),
    };
    const first = submitExport(deps, id, 1, at);
    await waitFor(
      async () => (await requests.get(id))?.export?.submitStartedAt !== undefined,
      'the POST',
      5000,
    );
    base.clock.advance(5000);
    await submitExport(deps, id, 1, at); // the duplicate
    expect((await requests.get(id))!.status).toBe('approved');
    expect(jobs.jobs).toContainEqual({ type: 'submitExport', requestId: id, attempt: 1, at });
    answer();
    await first;
    expect((await requests.get(id))!.status).toBe('exporting');
  });
});
