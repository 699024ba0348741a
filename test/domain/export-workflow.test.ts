import type { ExportRequest } from '../../src/domain/export-request';
import { meganActor, pendingRequest } from '../support/requests';
import { DEFAULT_EXPORT_POLICY } from '../../src/domain/policies';
import { transition, type Effect, type WorkflowEvent } from '../../src/domain/workflow';
import { requesterText, threadText } from '../../src/adapters/teams/notice-words';

const megan = meganActor;
const t0 = new Date('2026-11-22T09:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const HOUR = 3600_000;

const pending = pendingRequest('DSR-2026-0042');

const types = (effects: readonly Effect[]) => effects.map((e) => e.type);

/** What an effect says to people, in the words the edge gives its notice. */
const said = (e: Effect): string[] =>
  e.type === 'replyInThread'
    ? [threadText(e.notice)]
    : e.type === 'notifyRequester'
      ? [requesterText(e.notice)]
      : [];

/** Applies events in order, each at its time; fails on a refusal. */
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

const approved = run(pending, [[0, { type: 'approve', by: megan }]]).request;
const started = run(approved, [
  [1000, { type: 'submitStarted', attempt: 1, accountName: 'contosoexports' }],
]).request;
const accepted = (retryAfterSeconds = 60) =>
  run(started, [
    [
      2000,
      {
        type: 'submitAccepted',
        attempt: 1,
        operationUrl: 'https://graph.microsoft.com/v1.0/dataPolicyOperations/op-1',
        retryAfterSeconds,
      },
    ],
  ]);

describe('the export workflow', () => {
  it('starts attempt 1 on approval: its own container, submitted now', () => {
    expect(approved.status).toBe('approved');
    expect(approved.export).toMatchObject({
      attempt: 1,
      containerName: 'dsr-2026-0042',
      nextAt: t0.toISOString(),
    });
    const r = transition(pending, { type: 'approve', by: megan }, t0);
    expect(r.ok && r.effects.find((e) => e.type === 'submitExport')).toEqual({
      type: 'submitExport',
      attempt: 1,
      at: t0.toISOString(),
    });
  });

  it('records the write-ahead mark once: a second submitter is told it is stale', () => {
    expect(started.export!.submitStartedAt).toBe(at(1000).toISOString());
    const again = transition(started, { type: 'submitStarted', attempt: 1, accountName: 'x' }, at(1500));
    expect(again).toEqual({ ok: false, reason: 'stale' });
  });

  it('goes to exporting on 202 and polls no earlier than Retry-After', () => {
    const { request, effects } = accepted(900);
    expect(request.status).toBe('exporting');
    const poll = effects.find((e) => e.type === 'pollExport') as { at: string };
    expect(Date.parse(poll.at) - at(2000).getTime()).toBe(900_000);
    expect(types(effects)).toEqual(['audit', 'updateApprovalCard', 'replyInThread', 'pollExport']);
  });

  it('waits as Graph asks on 429, keeping the same container, and clears the write-ahead mark', () => {
    const { request, effects } = run(started, [
      [2000, { type: 'submitThrottled', attempt: 1, code: 'TooManyRequests', retryAfterSeconds: 30 }],
    ]);
    expect(request.status).toBe('approved');
    expect(request.export).toMatchObject({ throttled: 1, containerName: 'dsr-2026-0042' });
    expect(request.export!.submitStartedAt).toBeUndefined();
    expect(effects.find((e) => e.type === 'submitExport')).toEqual({
      type: 'submitExport',
      attempt: 1,
      at: at(32_000).toISOString(),
    });
  });

  it('never submits again after an unknown outcome: it looks for evidence, then asks the channel', () => {
    let r = run(started, [[2000, { type: 'submitUnknown', attempt: 1, detail: 'ECONNRESET' }]]).request;
    expect(r.status).toBe('outcomeUnknown');
    for (let i = 0; i < DEFAULT_EXPORT_POLICY.evidenceChecks - 1; i++) {
      const step = run(r, [[3000 + i, { type: 'evidenceChecked', attempt: 1, found: false }]]);
      expect(types(step.effects)).toEqual(['checkSubmission']);
      r = step.request;
    }
    const asked = run(r, [[9000, { type: 'evidenceChecked', attempt: 1, found: false }]]);
    expect(asked.request.export!.unknown!.askedAt).toBeDefined();
    expect(types(asked.effects)).not.toContain('submitExport');
    expect(types(asked.effects)).toContain('replyInThread');
    // Only an admin's explicit resubmission makes a second attempt, into a new container.
    const resubmitted = run(asked.request, [[10_000, { type: 'resubmit', by: megan }]]);
    expect(resubmitted.request.export).toMatchObject({ attempt: 2, containerName: 'dsr-2026-0042-r2' });
    expect(types(resubmitted.effects)).toEqual([
      'audit',
      'updateApprovalCard',
      'replyInThread',
      'revokeSas',
      'submitExport',
    ]);
  });

  it('follows the operation named by the evidence instead of submitting again', () => {
    const unknown = run(started, [[2000, { type: 'submitUnknown', attempt: 1, detail: 'dropped' }]]).request;
    const { request, effects } = run(unknown, [
      [
        3000,
        {
          type: 'evidenceChecked',
          attempt: 1,
          found: true,
          operationUrl: 'https://g/v1.0/dataPolicyOperations/op-9',
        },
      ],
    ]);
    expect(request.status).toBe('exporting');
    expect(request.export!.operationUrl).toContain('op-9');
    expect(types(effects)).toContain('pollExport');
  });

  it('refuses a resubmission while the export runs or after it completed', () => {
    expect(transition(accepted().request, { type: 'resubmit', by: megan }, at(5000))).toEqual({
      ok: false,
      reason: 'notResubmittable',
    });
  });

  it('reads a 3-day export about 90 times: every 5 minutes in the first hour, then a quarter of its age up to the hour', () => {
    let { request } = accepted(60);
    let polls = 0;
    let gapAfterFirstHour = 0;
    while (request.status === 'exporting') {
      const due = Date.parse(request.export!.nextAt!);
      const age = due - Date.parse(request.export!.submittedAt!);
      const finished = age >= 72 * HOUR;
      const step = transition(
        request,
        {
          type: 'polled',
          attempt: 1,
          status: finished ? 'complete' : 'running',
          progress: Math.min(99, Math.round((age / (72 * HOUR)) * 100)),
          retryAfterSeconds: 60,
          completedAt: undefined,
        },
        new Date(due),
      );
      if (!step.ok) throw new Error(step.reason);
      if (age > HOUR && age < 2 * HOUR)
        gapAfterFirstHour = Date.parse(step.request.export!.nextAt ?? '0') - due;
      request = step.request;
      polls += 1;
      if (finished) expect(age - 72 * HOUR).toBeLessThanOrEqual(HOUR);
    }
    expect(request.status).toBe('completed');
    expect(polls).toBeLessThanOrEqual(100);
    expect(polls).toBeGreaterThan(60);
    expect(gapAfterFirstHour).toBeGreaterThan(15 * 60_000 - 1);
  });

  it('treats unknownFutureValue and statuses Graph adds later as "not finished"', () => {
    for (const status of ['unknownFutureValue', 'paused', 'notStarted']) {
      const step = transition(
        accepted().request,
        {
          type: 'polled',
          attempt: 1,
          status,
          progress: undefined,
          retryAfterSeconds: 60,
          completedAt: undefined,
        },
        at(10 * 60_000),
      );
      expect(step.ok && step.request.status).toBe('exporting');
      expect(step.ok && types(step.effects)).toContain('pollExport');
    }
  });

  it('updates the card on a status change at once, and on progress at most every five minutes', () => {
    const base = accepted().request;
    const poll = (r: ExportRequest, ms: number, status: string, progress: number) => {
      const s = transition(
        r,
        { type: 'polled', attempt: 1, status, progress, retryAfterSeconds: 0, completedAt: undefined },
        at(ms),
      );
      if (!s.ok) throw new Error(s.reason);
      return s;
    };
    const first = poll(base, 60_000, 'running', 10);
    expect(types(first.effects)).toContain('updateApprovalCard');
    const soon = poll(first.request, 120_000, 'running', 20);
    expect(types(soon.effects)).not.toContain('updateApprovalCard');
    const later = poll(soon.request, 60_000 + 5 * 60_000, 'running', 30);
    expect(types(later.effects)).toContain('updateApprovalCard');
  });

  it('on completion tells the thread and the requester once each and revokes the SAS', () => {
    const { request, effects } = run(accepted().request, [
      [
        HOUR,
        {
          type: 'polled',
          attempt: 1,
          status: 'complete',
          progress: 100,
          retryAfterSeconds: undefined,
          completedAt: at(HOUR).toISOString(),
        },
      ],
    ]);
    expect(request.status).toBe('completed');
    expect(types(effects)).toEqual([
      'audit',
      'updateApprovalCard',
      'replyInThread',
      'notifyRequester',
      'revokeSas',
    ]);
    const texts = effects.flatMap(said).join(' ');
    expect(texts).toContain('contosoexports');
    expect(texts).toContain('dsr-2026-0042');
  });

  it('says when Graph completes with part of the data missing (completion rate below 100 %, issue 12)', () => {
    const { request, effects } = run(accepted().request, [
      [
        HOUR,
        {
          type: 'polled',
          attempt: 1,
          status: 'complete',
          progress: 60,
          retryAfterSeconds: undefined,
          completedAt: undefined,
        },
      ],
    ]);
    expect(request.status).toBe('completed');
    expect(request.export?.progress).toBe(60);
    const texts = effects.flatMap(said);
    expect(texts.every((t) => t.includes('only 60 % of the data exported'))).toBe(true);
  });

  it('reports five failed reads in a row once, and keeps polling', () => {
    let r = accepted().request;
    const replies: string[] = [];
    for (let i = 1; i <= 7; i++) {
      const s = run(r, [
        [
          i * HOUR,
          { type: 'pollFailed', attempt: 1, detail: 'Graph is busy.', retryAfterSeconds: undefined },
        ],
      ]);
      replies.push(...s.effects.filter((e) => e.type === 'replyInThread').map(() => String(i)));
      expect(types(s.effects)).toContain('pollExport');
      r = s.request;
    }
    expect(replies).toEqual(['5']);
  });

  it('ignores events about an older attempt', () => {
    const failed = run(started, [
      [2000, { type: 'submitRefused', attempt: 1, code: 'X', message: 'no.' }],
    ]).request;
    const second = run(failed, [[3000, { type: 'resubmit', by: megan }]]).request;
    expect(transition(second, { type: 'submitUnknown', attempt: 1, detail: 'late' }, at(4000))).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  describe('four eyes on every export (issue 11: Retry and Resubmit started exports without them)', () => {
    const failedAttempt = (request: ExportRequest, ms: number) => {
      const attempt = request.export!.attempt;
      return run(request, [
        [ms, { type: 'submitStarted', attempt, accountName: 'contosoexports' }],
        [ms + 1, { type: 'submitRefused', attempt, code: 'X', message: 'no.' }],
      ]).request;
    };
    const requester = { aadObjectId: pending.requester.aadObjectId.toUpperCase(), name: 'The requester' };

    it('refuses Retry by the requester (their id in any case)', () => {
      const failed = failedAttempt(approved, 1000);
      expect(transition(failed, { type: 'resubmit', by: requester }, at(5000))).toEqual({
        ok: false,
        reason: 'selfApproval',
      });
    });

    it('asks for a new approval after three attempts, and goes on numbering containers after it', () => {
      let r = failedAttempt(approved, 1000);
      r = failedAttempt(run(r, [[2000, { type: 'resubmit', by: megan }]]).request, 3000);
      r = failedAttempt(run(r, [[4000, { type: 'resubmit', by: megan }]]).request, 5000);
      expect(r.export?.attempt).toBe(3);
      const again = run(r, [[6000, { type: 'resubmit', by: megan }]]);
      expect(again.request.status).toBe('pendingApproval');
      expect(again.request.decision).toBeUndefined();
      expect(again.request.previousDecisions).toHaveLength(1);
      expect(types(again.effects)).toEqual(
        expect.arrayContaining(['audit', 'updateApprovalCard', 'replyInThread', 'remind', 'expire']),
      );
      expect(types(again.effects)).not.toContain('submitExport');
      const patti = { aadObjectId: 'patti-id', name: 'Patti' };
      const reapproved = run(again.request, [[7000, { type: 'approve', by: patti }]]);
      expect(reapproved.request.export).toMatchObject({ attempt: 4, containerName: 'dsr-2026-0042-r4' });
      expect(reapproved.request.decision?.firstAttempt).toBe(4);
    });

    it('follows the export a last look finds before a Resubmit after an unknown outcome', () => {
      const unknown = run(started, [
        [2000, { type: 'submitUnknown', attempt: 1, detail: 'timeout' }],
        [3000, { type: 'evidenceChecked', attempt: 1, found: false }],
        [4000, { type: 'evidenceChecked', attempt: 1, found: false }],
        [5000, { type: 'evidenceChecked', attempt: 1, found: false }],
      ]).request;
      expect(unknown.export?.unknown?.askedAt).toBeDefined();
      const operationUrl = 'https://graph.microsoft.com/v1.0/dataPolicyOperations/op-late';
      const r = run(unknown, [
        [6000, { type: 'resubmit', by: megan, evidence: { found: true, operationUrl } }],
      ]);
      expect(r.request.status).toBe('exporting');
      expect(r.request.export).toMatchObject({ attempt: 1, operationUrl });
      expect(types(r.effects)).not.toContain('submitExport');
    });
  });
});
