import type { AuditEvent } from '../../src/domain/audit';
import type { AuditEffect } from '../../src/domain/effect';
import type { ExportRequest } from '../../src/domain/export-request';
import { transition, type WorkflowEvent } from '../../src/domain/workflow';
import type { LogFields, Logger } from '../../src/logger';
import { WORKFLOW_EVENT, withWorkflowLog } from '../../src/usecases/workflow-log';
import { FakeAuditLog, FakeRequestStore } from '../support/fakes';
import { meganActor, pendingRequest } from '../support/requests';

interface Line {
  readonly level: string;
  readonly message: string;
  readonly fields: LogFields;
}

function recording(): Logger & { readonly lines: Line[] } {
  const lines: Line[] = [];
  const rec =
    (level: string) =>
    (message: string, fields: LogFields = {}) => {
      lines.push({ level, message, fields });
    };
  return { lines, info: rec('info'), warn: rec('warn'), error: rec('error') };
}

const CREATED = '2026-11-21T10:00:00.000Z';

const event = (action: AuditEvent['action'], at: string, detail: string, more: Partial<AuditEvent> = {}) =>
  ({
    at,
    action,
    actor: { aadObjectId: 'megan', name: 'Megan Bowen' },
    outcome: 'ok',
    requestId: 'DSR-2026-0001',
    subjectId: 's',
    detail,
    ...more,
  }) satisfies AuditEvent;

function setup(stored: ExportRequest[] = []) {
  const log = recording();
  const audit = new FakeAuditLog();
  const requests = new FakeRequestStore();
  for (const r of stored) void requests.create(r);
  const reads: string[] = [];
  const counted = {
    get: (id: string) => {
      reads.push(id);
      return requests.get(id);
    },
  };
  return { log, audit, reads, logged: withWorkflowLog(audit, { log, requests: counted }) };
}

/** The audit records a chain of workflow events produces, from a pending request, on the real transition. */
function auditOf(request: ExportRequest, events: readonly WorkflowEvent[], at: Date): AuditEffect[] {
  const effects: AuditEffect[] = [];
  let current = request;
  for (const e of events) {
    const result = transition(current, e, at);
    if (!result.ok) throw new Error(`${e.type} refused: ${result.reason}`);
    current = result.request;
    effects.push(...result.effects.filter((x): x is AuditEffect => x.type === 'audit'));
  }
  return effects;
}

describe('the workflow log over the audit log (issue 15: the terminal showed nothing of the workflow)', () => {
  it('writes one info line per workflow event, with the request id and the time since creation', async () => {
    const { log, audit, logged } = setup();
    await logged.append(
      event('request.created', CREATED, 'GDPR export for adelev@contoso.com, reference SR-1'),
      'created',
    );
    await logged.append(
      event('request.approved', '2026-11-21T10:01:33.000Z', 'approved DSR-2026-0001'),
      'e1',
    );
    expect(audit.actions('DSR-2026-0001')).toEqual(['request.created', 'request.approved']);
    expect(log.lines).toEqual([
      {
        level: 'info',
        message: WORKFLOW_EVENT,
        fields: { event: 'request.created', requestId: 'DSR-2026-0001', elapsedMs: 0, outcome: 'ok' },
      },
      {
        level: 'info',
        message: WORKFLOW_EVENT,
        fields: { event: 'request.approved', requestId: 'DSR-2026-0001', elapsedMs: 93_000, outcome: 'ok' },
      },
    ]);
  });

  it('logs nothing of the detail or the actor: no name, sign-in, reference or reason', async () => {
    const { log, logged } = setup([pendingRequest()]);
    await logged.append(
      event('request.rejected', '2026-11-22T10:00:00Z', 'rejected by Megan Bowen: Adele Vance left in May'),
      'r',
    );
    await logged.append(
      event('request.created', CREATED, 'GDPR export for adelev@contoso.com, reference SR-1, Subject access'),
    );
    const text = JSON.stringify(log.lines);
    for (const personal of ['Megan', 'Adele', 'adelev', 'SR-1', 'Subject access', 'left in May', 'megan'])
      expect(text).not.toContain(personal);
    expect(log.lines.map((l) => l.fields.event)).toEqual(['request.rejected', 'request.created']);
  });

  it('leaves out refusals, views and bookkeeping (they stay in the audit trail)', async () => {
    const { log, audit, logged } = setup([pendingRequest()]);
    const at = '2026-11-21T11:00:00Z';
    await logged.append(event('decision.refused', at, 'Alex Wilber may not approve', { outcome: 'refused' }));
    await logged.append(event('request.viewed', at, 'viewed by Alex Wilber'));
    await logged.append(event('sas.created', at, 'write-only SAS for container x'));
    await logged.append(event('export.throttled', at, 'Graph did not take it yet'));
    expect(audit.all()).toHaveLength(4);
    expect(log.lines).toEqual([]);
  });

  it('logs a step handed over twice (same once-key) once, and a failed record not at all', async () => {
    const { log, audit, logged } = setup([pendingRequest()]);
    const approved = event('request.approved', '2026-11-21T10:05:00Z', 'approved DSR-2026-0001');
    await logged.append(approved, 'entry-1');
    await logged.append(approved, 'entry-1');
    expect(log.lines).toHaveLength(1);
    audit.faults.inject('append', new Error('storage down'), { times: 1 });
    await expect(
      logged.append(event('request.cancelled', '2026-11-21T10:06:00Z', 'cancelled'), 'entry-2'),
    ).rejects.toThrow('storage down');
    expect(log.lines).toHaveLength(1);
  });

  it('reads the creation time once per request it did not see created, and still logs when the read fails', async () => {
    const { log, reads, logged } = setup([pendingRequest()]);
    await logged.append(event('request.approved', '2026-11-21T10:00:10Z', 'approved'), 'a');
    await logged.append(event('card.posted', '2026-11-21T10:00:20Z', 'posted'), 'b');
    expect(reads).toEqual(['DSR-2026-0001']);
    expect(log.lines.map((l) => l.fields.elapsedMs)).toEqual([10_000, 20_000]);

    const failing = withWorkflowLog(new FakeAuditLog(), {
      log,
      requests: { get: () => Promise.reject(new Error('storage down')) },
    });
    await failing.append(event('request.approved', '2026-11-21T10:00:10Z', 'approved', { requestId: 'X-1' }));
    expect(log.lines.at(-1)?.fields).toEqual({ event: 'request.approved', requestId: 'X-1', outcome: 'ok' });
  });

  it("carries the operation id, the export's new status and the notice key, read from the workflow's own records", async () => {
    const now = new Date('2026-11-21T12:00:00Z');
    const records = auditOf(
      pendingRequest(),
      [
        { type: 'approve', by: meganActor },
        { type: 'submitStarted', attempt: 1, accountName: 'exports' },
        {
          type: 'submitAccepted',
          attempt: 1,
          operationUrl:
            'https://graph.microsoft.com/v1.0/dataPolicyOperations/0b5e3a1c-6a4b-4bde-9d36-1f0a2e3c4d5e',
          retryAfterSeconds: 60,
        },
        {
          type: 'polled',
          attempt: 1,
          status: 'running',
          progress: 10,
          retryAfterSeconds: 60,
          completedAt: undefined,
        },
      ],
      now,
    );
    const { log, logged } = setup([pendingRequest()]);
    for (const [i, r] of records.entries())
      await logged.append(
        { ...event(r.action, now.toISOString(), r.detail), outcome: r.outcome ?? 'ok' },
        `e${i}`,
      );
    await logged.append(
      event('notification.sent', now.toISOString(), `sent "requester-completed-1" to the requester's chat`),
    );
    const fields = log.lines.map((l) => l.fields);
    expect(fields.find((f) => f.event === 'export.submitted')).toMatchObject({
      operationId: '0b5e3a1c-6a4b-4bde-9d36-1f0a2e3c4d5e',
      elapsedMs: 7_200_000,
    });
    expect(fields.find((f) => f.event === 'export.statusChanged')).toMatchObject({ status: 'running' });
    expect(fields.find((f) => f.event === 'notification.sent')).toMatchObject({
      notice: 'requester-completed-1',
    });
    // The SAS bookkeeping between approval and submission is not a workflow line.
    expect(fields.map((f) => f.event)).toEqual([
      'request.approved',
      'export.submitted',
      'export.statusChanged',
      'notification.sent',
    ]);
  });

  it('logs the overdue digest (several requests) without a request id', async () => {
    const { log, logged } = setup();
    await logged.append({
      at: '2026-12-21T09:00:00Z',
      action: 'deadline.reminded',
      actor: { name: 'DSR export bot' },
      outcome: 'ok',
      detail: 'overdue digest for 2026-12-21: 2 requests named',
    });
    expect(log.lines.map((l) => l.fields)).toEqual([{ event: 'deadline.reminded', outcome: 'ok' }]);
  });
});
