import { randomUUID } from 'node:crypto';
import type { ExportRequest } from '../../../src/domain/export-request';
import { DEFAULT_EXPORT_POLICY } from '../../../src/domain/policies';
import { applyEvent } from '../../../src/usecases/apply-event';
import {
  checkSubmission,
  locateExport,
  pollExport,
  revokeSas,
  submitExport,
} from '../../../src/usecases/run-export';
import { FakeExportDestinations, graphError, unavailable } from '../../support/fakes';
import { actor, MEGAN, pendingRequest, unitWorld, until, type UnitWorld } from './deps';

const ID = 'DSR-2026-0001';
const CONTAINER = 'dsr-2026-0001';

/** A request Megan approved just now: its first submission is due now. */
async function approved(): Promise<UnitWorld> {
  const w = unitWorld();
  await w.requests.create(pendingRequest(ID));
  const result = await applyEvent(w.applyDeps, ID, { type: 'approve', by: actor(MEGAN) });
  if (!result.ok) throw new Error(`not approved: ${result.reason}`);
  return w;
}

const stored = (w: UnitWorld): ExportRequest => w.requests.stored(ID);
/** When the one job the request waits for is due. */
const nextAt = (w: UnitWorld): string => {
  const at = stored(w).export?.nextAt;
  if (!at) throw new Error(`${ID} waits for no job (status ${stored(w).status})`);
  return at;
};
const jobsOf = (w: UnitWorld, type: string) => w.jobs.waiting().filter((j) => j.job.type === type);

/** Runs the submission job the request waits for, at its time. */
async function submitDue(w: UnitWorld): Promise<void> {
  w.clock.advanceTo(nextAt(w));
  await submitExport(w.exportDeps, ID, stored(w).export!.attempt, nextAt(w));
}

/** Approved and submitted: Graph accepted, the request follows the operation. */
async function exporting(): Promise<UnitWorld> {
  const w = await approved();
  await submitDue(w);
  if (stored(w).status !== 'exporting') throw new Error(`not exporting: ${stored(w).status}`);
  return w;
}

describe('submitExport: one submission per attempt, never blindly repeated', () => {
  it('submits once into the attempt’s container and follows the operation Graph names', async () => {
    const w = await approved();
    await submitDue(w);

    expect(w.exporter.submissions).toHaveLength(1);
    expect(w.exporter.submissions[0]!.userId).toBe(stored(w).subject.id);
    const x = stored(w).export!;
    expect(stored(w).status).toBe('exporting');
    expect(x.containerName).toBe(CONTAINER);
    expect(x.operationUrl).toBe(w.exporter.operationUrl(w.exporter.started()[0]!.id));
    expect(jobsOf(w, 'pollExport').map((j) => j.due)).toEqual([x.nextAt]);
    expect(w.audit.actions(ID)).toEqual(
      expect.arrayContaining(['request.approved', 'sas.created', 'export.submitted']),
    );
  });

  it('polls first no earlier than the Retry-After of Graph’s 202', async () => {
    const w = await approved();
    w.exporter.answerNext({ kind: 'accept', retryAfterSeconds: 900 });
    await submitDue(w);
    expect(Date.parse(nextAt(w)) - w.clock.now().getTime()).toBeGreaterThanOrEqual(900_000);
  });

  it('stores the write-ahead mark before the POST goes out', async () => {
    const w = await approved();
    const graph = w.exporter.holdSubmissions();
    const running = submitDue(w);
    await until(() => w.exporter.submissions.length === 1, 'the POST');
    expect(stored(w).status).toBe('approved');
    expect(stored(w).export?.submitStartedAt).toBe(w.clock.now().toISOString());
    graph.release();
    await running;
    expect(stored(w).status).toBe('exporting');
  });

  it('writes Graph’s 202 ahead of the request, so a rerun after a failed request write follows it without submitting again', async () => {
    const w = await approved();
    w.requests.faults.inject('replace', unavailable('the request table'), {
      times: 1,
      when: (r) => r.status === 'exporting',
    });
    const at = nextAt(w);
    await expect(submitExport(w.exportDeps, ID, 1, at)).rejects.toThrow(/unavailable/);
    expect(await w.submissions.find(ID, 1)).toBe(w.exporter.operationUrl(w.exporter.started()[0]!.id));

    await submitExport(w.exportDeps, ID, 1, at); // the job comes back after its lease
    expect(stored(w).status).toBe('exporting');
    expect(stored(w).export?.operationUrl).toBe(await w.submissions.find(ID, 1));
    expect(w.exporter.submissions).toHaveLength(1);
  });

  it('lets a duplicate job wait while the first still waits for Graph, instead of calling the outcome unknown', async () => {
    const w = await approved();
    const at = nextAt(w);
    const graph = w.exporter.holdSubmissions();
    const first = submitExport(w.exportDeps, ID, 1, at);
    await until(() => w.exporter.submissions.length === 1, 'the POST');
    const startedAt = stored(w).export!.submitStartedAt!;

    w.clock.advance(5000);
    await submitExport(w.exportDeps, ID, 1, at); // the duplicate
    expect(stored(w).status).toBe('approved');
    expect(w.exporter.submissions).toHaveLength(1);
    const inFlightUntil = new Date(Date.parse(startedAt) + DEFAULT_EXPORT_POLICY.submitInFlightMs);
    expect(w.jobs.waiting()).toContainEqual(
      expect.objectContaining({
        job: { type: 'submitExport', requestId: ID, attempt: 1, at },
        due: inFlightUntil.toISOString(),
      }),
    );

    graph.release();
    await first;
    expect(stored(w).status).toBe('exporting');
  });

  it('calls the outcome unknown, and submits nothing, when a rerun finds the mark of a run that died before Graph answered', async () => {
    const w = await approved();
    const at = nextAt(w);
    // A run stored its mark, then the process died during the POST.
    await applyEvent(w.applyDeps, ID, { type: 'submitStarted', attempt: 1, accountName: 'fakeexports' });
    w.clock.advance(DEFAULT_EXPORT_POLICY.submitInFlightMs);

    await submitExport(w.exportDeps, ID, 1, at);
    expect(stored(w).status).toBe('outcomeUnknown');
    expect(w.exporter.submissions).toEqual([]);
    expect(jobsOf(w, 'checkSubmission')).toHaveLength(1);
  });

  it('tries again after Retry-After into the same empty container when Graph throttles', async () => {
    const w = await approved();
    w.exporter.answerNext({ kind: 'throttled', retryAfterSeconds: 120, code: 'TooManyRequests' });
    await submitDue(w);
    const x = stored(w).export!;
    expect(stored(w).status).toBe('approved');
    expect(x.throttled).toBe(1);
    expect(x.submitStartedAt).toBeUndefined(); // the next run may submit: Graph did not take this one
    expect(Date.parse(x.nextAt!) - w.clock.now().getTime()).toBe(120_000);
    expect(jobsOf(w, 'submitExport').map((j) => j.due)).toContain(x.nextAt);

    await submitDue(w);
    expect(stored(w).status).toBe('exporting');
    expect(w.exporter.submissions.map((s) => new URL(s.storageLocation.reveal()).pathname)).toEqual([
      `/${CONTAINER}`,
      `/${CONTAINER}`,
    ]);
  });

  it('fails with Graph’s reason when Graph refuses, tells the requester, and revokes the SAS once', async () => {
    const w = await approved();
    w.exporter.answerNext({ kind: 'refused', status: 403, code: 'Authorization_RequestDenied' });
    await submitDue(w);
    expect(stored(w)).toMatchObject({
      status: 'failed',
      export: { failure: { code: 'Authorization_RequestDenied' } },
    });
    expect(stored(w).export?.failure?.message).toMatch(/User\.Export\.All/);
    expect(w.jobs.waiting().map((j) => j.job)).toContainEqual(
      expect.objectContaining({ type: 'notifyRequester', key: 'failed-1' }),
    );
    expect(jobsOf(w, 'revokeSas')).toHaveLength(1);

    await revokeSas(w.exportDeps, ID, 1);
    await revokeSas(w.exportDeps, ID, 1); // delivered twice
    expect(w.destinations.sasActive(CONTAINER)).toBe(false);
    expect(w.audit.actions(ID).filter((a) => a === 'sas.revoked')).toHaveLength(1);
    expect(stored(w).export?.sasRevokedAt).toBeDefined();
  });

  it('calls the outcome unknown, and looks for evidence, when no answer comes back', async () => {
    const w = await approved();
    w.exporter.answerNext({ kind: 'unknown', detail: 'socket hang up', taken: false });
    await submitDue(w);
    expect(stored(w).status).toBe('outcomeUnknown');
    expect(stored(w).export?.unknown?.detail).toBe('socket hang up');
    expect(jobsOf(w, 'checkSubmission').map((j) => j.due)).toEqual([nextAt(w)]);
  });

  it('fails early, without a POST, when Graph would refuse the export account', async () => {
    const w = await approved();
    const premium = new FakeExportDestinations({ name: 'premium', kind: 'BlockBlobStorage' });
    const deps = { ...w.exportDeps, destinations: premium };
    await submitExport(deps, ID, 1, nextAt(w));
    expect(stored(w)).toMatchObject({
      status: 'failed',
      export: { failure: { code: 'ExportDestinationUnfit' } },
    });
    expect(stored(w).export?.failure?.message).toMatch(/Then choose Retry\.$/);
    expect(w.exporter.submissions).toEqual([]);
  });

  it('refuses a container that already holds data, without a POST', async () => {
    const w = await approved();
    const target = await w.destinations.prepare(CONTAINER);
    await w.destinations.writeThroughSas(target.sasUrl, 'left-over.json', '{}');
    await submitDue(w);
    expect(stored(w)).toMatchObject({ status: 'failed', export: { failure: { code: 'ContainerInUse' } } });
    expect(w.exporter.submissions).toEqual([]);
  });

  it('calls the outcome unknown when the container fills after Graph asked to wait (an earlier POST may have been taken)', async () => {
    const w = await approved();
    w.exporter.answerNext({ kind: 'throttled', retryAfterSeconds: 60 });
    await submitDue(w);
    const target = await w.destinations.prepare(CONTAINER);
    await w.destinations.writeThroughSas(target.sasUrl, 'RequestInfo.json', '{}');
    await submitDue(w);
    expect(stored(w).status).toBe('outcomeUnknown');
    expect(w.exporter.submissions).toHaveLength(1);
  });

  it('ignores a job the request no longer waits for', async () => {
    const w = await approved();
    await submitExport(w.exportDeps, ID, 1, '2026-11-22T08:59:00.000Z');
    await submitExport(w.exportDeps, ID, 2, nextAt(w));
    expect(w.exporter.submissions).toEqual([]);
    expect(stored(w).export?.submitStartedAt).toBeUndefined();
  });
});

describe('checkSubmission: after a lost answer, evidence decides', () => {
  it('follows the export Graph took after all, named by its RequestInfo.json, without submitting again', async () => {
    const w = await approved();
    w.exporter.answerNext({ kind: 'unknown', taken: true });
    await submitDue(w);
    expect(stored(w).status).toBe('outcomeUnknown');

    await checkSubmission(w.exportDeps, ID, 1, nextAt(w));
    expect(stored(w).status).toBe('exporting');
    expect(stored(w).export?.operationUrl).toBe(w.exporter.operationUrl(w.exporter.started()[0]!.id));
    expect(w.exporter.submissions).toHaveLength(1);
    expect(w.audit.actions(ID)).toContain('export.recovered');
    expect(jobsOf(w, 'pollExport')).toHaveLength(1);
  });

  it('trusts Graph’s 202 in the submission log first', async () => {
    const w = await approved();
    w.exporter.answerNext({ kind: 'unknown', taken: false });
    await submitDue(w);
    const operationUrl = w.exporter.operationUrl(randomUUID());
    await w.submissions.record(ID, 1, operationUrl, w.clock.now().toISOString());
    await checkSubmission(w.exportDeps, ID, 1, nextAt(w));
    expect(stored(w)).toMatchObject({ status: 'exporting', export: { operationUrl } });
  });

  it('looks again later while the container is empty, then asks the channel instead of submitting again', async () => {
    const w = await approved();
    w.exporter.answerNext({ kind: 'unknown', taken: false });
    await submitDue(w);
    for (let check = 1; check < DEFAULT_EXPORT_POLICY.evidenceChecks; check++) {
      const at = nextAt(w);
      w.clock.advanceTo(at);
      await checkSubmission(w.exportDeps, ID, 1, at);
      expect(Date.parse(nextAt(w)) - w.clock.now().getTime()).toBe(DEFAULT_EXPORT_POLICY.evidenceRecheckMs);
    }
    const at = nextAt(w);
    w.clock.advanceTo(at);
    await checkSubmission(w.exportDeps, ID, 1, at);
    expect(stored(w).export?.unknown).toMatchObject({
      checks: DEFAULT_EXPORT_POLICY.evidenceChecks,
      evidence: false,
    });
    expect(stored(w).export?.unknown?.askedAt).toBe(w.clock.now().toISOString());
    expect(w.jobs.waiting().map((j) => j.job)).toContainEqual(
      expect.objectContaining({ type: 'replyInThread', key: 'unknown-1' }),
    );
    expect(w.exporter.submissions).toHaveLength(1);
  });
});

describe('pollExport: one read per due poll', () => {
  it('reads the operation once and schedules the next read no earlier than Graph’s Retry-After', async () => {
    const w = await exporting();
    w.exporter.setOperation(stored(w).export!.operationUrl!, {
      status: 'running',
      progress: 0.4,
      retryAfterSeconds: 1800,
    });
    const at = nextAt(w);
    w.clock.advanceTo(at);
    await pollExport(w.exportDeps, ID, 1, at);
    expect(w.exporter.reads).toHaveLength(1);
    expect(stored(w).export).toMatchObject({ polls: 1, progress: 40, operationStatus: 'running' });
    expect(Date.parse(nextAt(w)) - w.clock.now().getTime()).toBeGreaterThanOrEqual(1_800_000);
    expect(jobsOf(w, 'pollExport').map((j) => j.due)).toContain(nextAt(w));
  });

  it('ignores a duplicate or late poll job', async () => {
    const w = await exporting();
    await pollExport(w.exportDeps, ID, 1, '2026-11-22T09:00:00.000Z');
    await pollExport(w.exportDeps, ID, 2, nextAt(w));
    expect(w.exporter.reads).toEqual([]);
  });

  it('completes the request when Graph says complete, tells the thread and the requester, and ends the SAS', async () => {
    const w = await exporting();
    w.exporter.setOperation(stored(w).export!.operationUrl!, { status: 'complete', progress: 1 });
    const at = nextAt(w);
    w.clock.advanceTo(at);
    await pollExport(w.exportDeps, ID, 1, at);
    expect(stored(w)).toMatchObject({ status: 'completed', export: { progress: 100 } });
    const jobs = w.jobs.waiting().map((j) => j.job);
    expect(jobs).toContainEqual(expect.objectContaining({ type: 'replyInThread', key: 'completed-1' }));
    expect(jobs).toContainEqual(expect.objectContaining({ type: 'notifyRequester', key: 'completed-1' }));
    expect(jobs).toContainEqual({ type: 'revokeSas', requestId: ID, attempt: 1 });
  });

  it('backs off after a failed read, no earlier than Graph’s Retry-After', async () => {
    const w = await exporting();
    w.exporter.faults.inject('operation', graphError(503, 'ServiceUnavailable', 600), { times: 1 });
    const at = nextAt(w);
    w.clock.advanceTo(at);
    await pollExport(w.exportDeps, ID, 1, at);
    expect(stored(w)).toMatchObject({ status: 'exporting', export: { pollErrors: 1, polls: 0 } });
    expect(Date.parse(nextAt(w)) - w.clock.now().getTime()).toBe(600_000);
  });

  it('stops following an operation Graph no longer knows, and tells the channel', async () => {
    const w = await exporting();
    w.exporter.faults.inject('operation', graphError(400, 'OperationNotFound'));
    const at = nextAt(w);
    w.clock.advanceTo(at);
    await pollExport(w.exportDeps, ID, 1, at);
    expect(stored(w).status).toBe('outcomeUnknown');
    expect(stored(w).export?.nextAt).toBeUndefined();
    expect(w.jobs.waiting().map((j) => j.job)).toContainEqual(
      expect.objectContaining({ type: 'replyInThread', key: 'lost-1' }),
    );
  });
});

describe('locateExport: the evidence in a container, confirmed with Graph', () => {
  it('names the operation its RequestInfo.json names, once Graph confirms it', async () => {
    const w = await approved();
    w.exporter.answerNext({ kind: 'unknown', taken: true });
    await submitDue(w);
    expect(await locateExport(w.exportDeps, CONTAINER)).toEqual({
      found: true,
      operationUrl: w.exporter.operationUrl(w.exporter.started()[0]!.id),
    });
  });

  it('finds nothing in an empty container', async () => {
    const w = unitWorld();
    await w.destinations.prepare(CONTAINER);
    expect(await locateExport(w.exportDeps, CONTAINER)).toEqual({ found: false });
  });

  it('says evidence is there but follows no id Graph does not know', async () => {
    const w = unitWorld();
    const target = await w.destinations.prepare(CONTAINER);
    const info = { CommandId: randomUUID(), RequestGuid: randomUUID() };
    await w.destinations.writeThroughSas(target.sasUrl, 'RequestInfo.json', JSON.stringify(info));
    expect(await locateExport(w.exportDeps, CONTAINER)).toEqual({ found: true });
    expect(w.exporter.reads).toHaveLength(2);
  });

  it('lets any other Graph failure through, so that the job comes back', async () => {
    const w = await approved();
    w.exporter.answerNext({ kind: 'unknown', taken: true });
    await submitDue(w);
    w.exporter.faults.inject('operation', graphError(503, 'ServiceUnavailable'));
    await expect(locateExport(w.exportDeps, CONTAINER)).rejects.toMatchObject({ status: 503 });
  });
});
