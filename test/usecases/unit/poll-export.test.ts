import type { ExportRequest } from '../../../src/domain/export-request';
import type { Logger } from '../../../src/logger';
import { applyEvent } from '../../../src/usecases/apply-event';
import type { ExportDeps } from '../../../src/usecases/export-deps';
import { pollExport } from '../../../src/usecases/poll-export';
import { submitExport } from '../../../src/usecases/run-export';
import { unavailable } from '../../support/fakes';
import { actor, ADELE, MEGAN, pendingRequest, unitWorld, type UnitWorld } from './deps';

const ID = 'DSR-2026-0001';
const CONTAINER = 'dsr-2026-0001';

const stored = (w: UnitWorld): ExportRequest => w.requests.stored(ID);
const nextAt = (w: UnitWorld): string => {
  const at = stored(w).export?.nextAt;
  if (!at) throw new Error(`${ID} waits for no job (status ${stored(w).status})`);
  return at;
};

/** Approved by Megan and taken by Graph: the request follows the operation. */
async function exporting(): Promise<UnitWorld> {
  const w = unitWorld();
  // The subject's identity is verified: a request without that cannot be approved (CCPA §7060).
  const identity = {
    method: 'corporateSignIn',
    note: '',
    by: actor(MEGAN),
    at: '2026-11-22T08:30:00.000Z',
  } as const;
  await w.requests.create({ ...pendingRequest(ID), identity });
  await applyEvent(w.applyDeps, ID, { type: 'approve', by: actor(MEGAN) });
  w.clock.advanceTo(nextAt(w));
  await submitExport(w.exportDeps, ID, 1, nextAt(w));
  if (stored(w).status !== 'exporting') throw new Error(`not exporting: ${stored(w).status}`);
  return w;
}

/** What Graph writes through the SAS when the export is done: one folder per product. */
async function graphWritesProducts(w: UnitWorld): Promise<void> {
  const sas = w.exporter.submissions[0]!.storageLocation;
  await w.destinations.writeThroughSas(sas, 'Exchange/mailbox.json', 'm'.repeat(2048));
  await w.destinations.writeThroughSas(sas, 'Exchange/calendar.json', 'c'.repeat(512));
  await w.destinations.writeThroughSas(sas, 'OneDrive/files.json', '{"files":[]}');
}

/** Graph says the export is complete, and the poll the request waits for runs. */
async function pollComplete(w: UnitWorld, deps: ExportDeps = w.exportDeps): Promise<void> {
  w.exporter.setOperation(stored(w).export!.operationUrl!, { status: 'complete', progress: 1 });
  const at = nextAt(w);
  w.clock.advanceTo(at);
  await pollExport(deps, ID, 1, at);
}

function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { lines, info: rec('info'), warn: rec('warn'), error: rec('error') };
}

const completionNotices = (w: UnitWorld) =>
  w.jobs
    .waiting()
    .map((j) => j.job)
    .filter((j) => (j.type === 'replyInThread' || j.type === 'notifyRequester') && j.key === 'completed-1');

describe('pollExport: a completed export is summarised', () => {
  it('stores what the container holds on completion, and the completion notices carry it', async () => {
    const w = await exporting();
    await graphWritesProducts(w);
    await pollComplete(w);

    expect(stored(w).status).toBe('completed');
    const contents = stored(w).export!.contents!;
    expect(contents.folders.map((f) => f.name)).toEqual(['(top level)', 'Exchange', 'OneDrive']);
    expect(contents.folders[1]).toEqual({ name: 'Exchange', files: 2, bytes: 2560 });
    expect(contents.folders[2]).toEqual({ name: 'OneDrive', files: 1, bytes: 12 });
    expect(contents.folders[0]!.files).toBe(1); // Graph's RequestInfo.json
    expect(contents.files).toBe(4);
    expect(contents).toEqual(await w.destinations.summarize(CONTAINER));
    const notices = completionNotices(w);
    expect(notices.map((j) => j.type).sort()).toEqual(['notifyRequester', 'replyInThread']);
    for (const job of notices) expect(job).toMatchObject({ notice: { kind: 'exportCompleted', contents } });
  });

  it('completes the request without a summary when the container cannot be read, logging a warning without personal data', async () => {
    const w = await exporting();
    await graphWritesProducts(w);
    w.destinations.faults.inject('summarize', unavailable('The blob service'));
    const log = recordingLogger();
    await pollComplete(w, { ...w.exportDeps, log });

    expect(stored(w)).toMatchObject({ status: 'completed', export: { progress: 100 } });
    expect(stored(w).export!.contents).toBeUndefined();
    const notices = completionNotices(w);
    expect(notices).toHaveLength(2);
    for (const job of notices) expect(job).not.toHaveProperty('notice.contents');
    expect(w.jobs.waiting().map((j) => j.job)).toContainEqual({
      type: 'revokeSas',
      requestId: ID,
      attempt: 1,
    });
    expect(w.audit.actions(ID)).toContain('export.completed');
    const warnings = log.lines.filter((l) => l.startsWith('warn '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(ID);
    expect(warnings[0]).toContain('503 ServerBusy');
    for (const personal of [ADELE.id, ADELE.displayName, ADELE.mail, ADELE.userPrincipalName])
      if (personal) expect(log.lines.join('\n')).not.toContain(personal);
  });

  it('reads no summary while the export is still running', async () => {
    const w = await exporting();
    const summarize = jest.spyOn(w.destinations, 'summarize');
    w.exporter.setOperation(stored(w).export!.operationUrl!, { status: 'running', progress: 0.5 });
    const at = nextAt(w);
    w.clock.advanceTo(at);
    await pollExport(w.exportDeps, ID, 1, at);
    expect(stored(w).status).toBe('exporting');
    expect(summarize).not.toHaveBeenCalled();
  });
});
