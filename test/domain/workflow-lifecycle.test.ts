import type { ExportRequest } from '../../src/domain/export-request';
import { transition, type WorkflowEvent } from '../../src/domain/workflow';
import { alexActor, meganActor, pendingRequest } from '../support/requests';

const patti = { aadObjectId: 'patti', name: 'Patti Fernandez' };
const at = (iso: string) => new Date(iso);

function apply(request: ExportRequest, event: WorkflowEvent, now = '2026-12-01T10:00:00Z') {
  const result = transition(request, event, at(now));
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result;
}

const completed = (over: Partial<ExportRequest> = {}): ExportRequest => ({
  ...pendingRequest(),
  status: 'completed',
  decision: { verdict: 'approved', by: meganActor, at: '2026-11-22T10:00:00Z', firstAttempt: 1 },
  export: {
    attempt: 1,
    containerName: 'dsr-2026-0001',
    accountName: 'devstoreaccount1',
    throttled: 0,
    polls: 3,
    pollErrors: 0,
    completedAt: '2026-11-25T10:00:00Z',
    progress: 100,
  },
  approvalCard: {
    conversationId: '19:a@thread.tacv2',
    serviceUrl: 'https://s/',
    activityId: '1',
    postedAt: '2026-11-21T10:00:00Z',
  },
  ...over,
});

describe('the legal clock in the workflow', () => {
  describe('identity of the data subject', () => {
    it('refuses an approval while the identity is not verified, and takes it once recorded', () => {
      const unverified: ExportRequest = { ...pendingRequest(), identity: undefined };
      const refused = transition(unverified, { type: 'approve', by: meganActor }, at('2026-11-22T10:00:00Z'));
      expect(refused).toMatchObject({ ok: false, reason: 'identityNotVerified' });
      const recorded = apply(unverified, {
        type: 'recordIdentity',
        by: alexActor,
        method: 'hrRecords',
        note: 'HR file 42',
      });
      expect(recorded.request.identity).toMatchObject({
        method: 'hrRecords',
        note: 'HR file 42',
        by: alexActor,
      });
      expect(recorded.effects).toContainEqual(
        expect.objectContaining({ type: 'audit', action: 'identity.recorded' }),
      );
      expect(
        transition(recorded.request, { type: 'approve', by: meganActor }, at('2026-12-01T11:00:00Z')).ok,
      ).toBe(true);
    });

    it('never overwrites a recorded identity check (it is the evidence an approval relied on)', () => {
      const again = transition(
        pendingRequest(),
        { type: 'recordIdentity', by: meganActor, method: 'other', note: 'just because' },
        at('2026-12-01T10:00:00Z'),
      );
      expect(again).toMatchObject({ ok: false, reason: 'identityRecorded' });
    });

    it('refuses a slow approval claim too', () => {
      const unverified: ExportRequest = { ...pendingRequest(), identity: undefined };
      const claim = {
        claimId: 'c',
        verdict: 'approved' as const,
        by: meganActor,
        at: '2026-12-01T10:00:00Z',
      };
      expect(
        transition(unverified, { type: 'claimDecision', claim }, at('2026-12-01T10:00:00Z')),
      ).toMatchObject({
        ok: false,
        reason: 'identityNotVerified',
      });
    });
  });

  describe('extension', () => {
    it('moves the due date, records why, re-arms the reminders and tells the requester to tell the subject', () => {
      const { request, effects } = apply(pendingRequest(), {
        type: 'extend',
        by: meganActor,
        reason: 'Many systems',
        months: 1,
      });
      expect(request.dueDate).toBe('2027-01-20');
      expect(request.extensions).toEqual([
        expect.objectContaining({ fromDue: '2026-12-20', toDue: '2027-01-20', reason: 'Many systems' }),
      ]);
      expect(request.deadline).toEqual({ step: 'week', at: '2027-01-13T08:00:00.000Z' });
      expect(effects).toContainEqual({ type: 'deadline', step: 'week', at: '2027-01-13T08:00:00.000Z' });
      const told = effects.find((e) => e.type === 'notifyRequester');
      expect(told).toMatchObject({ notice: { kind: 'extended', tellBy: '2026-12-20' } });
    });

    it('needs a reason, and does not extend twice for one click delivered twice', () => {
      expect(
        transition(
          pendingRequest(),
          { type: 'extend', by: meganActor, reason: ' ' },
          at('2026-12-01T10:00:00Z'),
        ),
      ).toMatchObject({
        ok: false,
        reason: 'noteRequired',
      });
      const once = apply(pendingRequest(), {
        type: 'extend',
        by: meganActor,
        reason: 'Complex',
        months: 1,
      }).request;
      expect(
        transition(
          once,
          { type: 'extend', by: meganActor, reason: 'Complex', months: 1 },
          at('2026-12-01T10:00:05Z'),
        ),
      ).toMatchObject({
        ok: false,
        reason: 'stale',
      });
    });

    it('refuses a third GDPR month', () => {
      const one = apply(pendingRequest(), {
        type: 'extend',
        by: meganActor,
        reason: 'Complex',
        months: 1,
      }).request;
      const two = apply(one, { type: 'extend', by: patti, reason: 'Still complex', months: 1 }).request;
      expect(two.dueDate).toBe('2027-02-20');
      expect(
        transition(
          two,
          { type: 'extend', by: meganActor, reason: 'More', months: 1 },
          at('2026-12-02T10:00:00Z'),
        ),
      ).toMatchObject({
        ok: false,
        reason: 'extensionRefused',
        why: 'limitReached',
      });
    });
  });

  describe('deadline reminders', () => {
    const armed = (): ExportRequest => ({
      ...completed(),
      deadline: { step: 'week', at: '2026-12-13T08:00:00.000Z' },
    });

    it('says it once per step and due date, in the thread, and arms the next', () => {
      const { request, effects } = apply(
        armed(),
        { type: 'deadlineDue', step: 'week', at: '2026-12-13T08:00:00.000Z' },
        '2026-12-13T08:00:01Z',
      );
      expect(request.deadline).toEqual({ step: 'day', at: '2026-12-19T08:00:00.000Z' });
      const said = effects.find((e) => e.type === 'replyInThread');
      expect(said).toMatchObject({ key: 'deadline-week-2026-12-20', notice: { exported: true } });
    });

    it('ignores a timer the request no longer waits for', () => {
      const result = transition(
        armed(),
        { type: 'deadlineDue', step: 'week', at: '2026-12-01T08:00:00.000Z' },
        at('2026-12-13T08:00:00Z'),
      );
      expect(result).toMatchObject({ ok: false, reason: 'stale' });
      const delivered = { ...armed(), status: 'delivered' as const };
      expect(
        transition(
          delivered,
          { type: 'deadlineDue', step: 'week', at: '2026-12-13T08:00:00.000Z' },
          at('2026-12-13T08:00:00Z'),
        ).ok,
      ).toBe(false);
    });

    it('tells the requester when the request has no thread', () => {
      const noCard: ExportRequest = { ...armed(), approvalCard: undefined };
      const { effects } = apply(noCard, {
        type: 'deadlineDue',
        step: 'week',
        at: '2026-12-13T08:00:00.000Z',
      });
      expect(effects.map((e) => e.type)).toContain('notifyRequester');
      expect(effects.map((e) => e.type)).not.toContain('replyInThread');
    });
  });

  describe('delivery', () => {
    it('stops the clock and says how late it was', () => {
      const { request, effects } = apply(
        completed(),
        { type: 'deliver', by: alexActor, date: '2026-12-22', method: 'secureLink', note: 'Sent' },
        '2026-12-23T10:00:00Z',
      );
      expect(request.status).toBe('delivered');
      expect(request.delivery).toMatchObject({ date: '2026-12-22', daysLate: 2, method: 'secureLink' });
      expect(request.deadline).toBeUndefined();
      expect(effects).toContainEqual(expect.objectContaining({ type: 'audit', action: 'request.delivered' }));
    });

    it('only once the export completed, and on a sensible day', () => {
      expect(
        transition(
          pendingRequest(),
          { type: 'deliver', by: alexActor, date: '2026-12-01', method: 'post', note: '' },
          at('2026-12-01T10:00:00Z'),
        ),
      ).toMatchObject({ ok: false, reason: 'notDeliverable' });
      expect(
        transition(
          completed(),
          { type: 'deliver', by: alexActor, date: '2026-12-09', method: 'post', note: '' },
          at('2026-12-01T10:00:00Z'),
        ),
      ).toMatchObject({ ok: false, reason: 'badDate' });
      expect(
        transition(
          completed(),
          { type: 'deliver', by: alexActor, date: '2026-11-01', method: 'post', note: '' },
          at('2026-12-01T10:00:00Z'),
        ),
      ).toMatchObject({ ok: false, reason: 'badDate' });
    });
  });

  describe('closure without export (four eyes)', () => {
    it('needs a second admin to confirm, and ends a pending approval round', () => {
      const proposed = apply(pendingRequest(), {
        type: 'proposeClosure',
        by: meganActor,
        reason: 'withdrawn',
        note: 'Subject withdrew by email',
      }).request;
      expect(proposed.status).toBe('pendingApproval');
      expect(
        transition(proposed, { type: 'confirmClosure', by: meganActor }, at('2026-12-01T11:00:00Z')),
      ).toMatchObject({ ok: false, reason: 'sameAdmin' });
      const closed = apply(proposed, { type: 'confirmClosure', by: patti }).request;
      expect(closed).toMatchObject({
        status: 'closed',
        closure: { confirmedBy: patti, reason: 'withdrawn' },
      });
      expect(closed.expiresAt).toBeUndefined();
      expect(transition(closed, { type: 'approve', by: patti }, at('2026-12-01T12:00:00Z')).ok).toBe(false);
    });

    it('confirms only the proposal the second admin was shown', () => {
      const first = apply(pendingRequest(), {
        type: 'proposeClosure',
        by: meganActor,
        reason: 'withdrawn',
        note: 'Withdrawn by email',
      }).request;
      const shown = first.closure!.proposedAt;
      const reopened = apply(first, { type: 'withdrawClosure', by: meganActor, proposedAt: shown }).request;
      const second = apply(
        reopened,
        { type: 'proposeClosure', by: meganActor, reason: 'excessive', note: 'Too many' },
        '2026-12-01T10:05:00Z',
      ).request;
      const stale = transition(
        second,
        { type: 'confirmClosure', by: patti, proposedAt: shown },
        at('2026-12-01T10:06:00Z'),
      );
      expect(stale).toMatchObject({ ok: false, reason: 'stale' });
      const keepOld = transition(
        second,
        { type: 'withdrawClosure', by: patti, proposedAt: shown },
        at('2026-12-01T10:06:00Z'),
      );
      expect(keepOld).toMatchObject({ ok: false, reason: 'stale' });
      expect(
        apply(second, { type: 'confirmClosure', by: patti, proposedAt: second.closure!.proposedAt }).request
          .status,
      ).toBe('closed');
    });

    it('can be kept open, and is refused while the export runs', () => {
      const proposed = apply(pendingRequest(), {
        type: 'proposeClosure',
        by: meganActor,
        reason: 'excessive',
        note: 'Fifth request this month',
      }).request;
      expect(apply(proposed, { type: 'withdrawClosure', by: patti }).request.closure).toBeUndefined();
      const exporting = { ...completed(), status: 'exporting' as const };
      expect(
        transition(
          exporting,
          { type: 'proposeClosure', by: meganActor, reason: 'withdrawn', note: 'x' },
          at('2026-12-01T10:00:00Z'),
        ),
      ).toMatchObject({ ok: false, reason: 'notClosable' });
    });
  });
});
