import type { ExportRequest } from '../../src/domain/export-request';
import { transition } from '../../src/domain/workflow';
import { alexActor, meganActor, pendingRequest } from '../support/requests';

const now = new Date('2027-01-02T09:00:00Z');

function delivered(): ExportRequest {
  return {
    ...pendingRequest(),
    status: 'delivered',
    approvalCard: {
      conversationId: '19:approvals@thread.tacv2;messageid=1',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      activityId: '1',
      postedAt: '2026-11-21T10:00:00Z',
    },
    export: { attempt: 1, containerName: 'dsr-2026-0001', throttled: 0, polls: 1, pollErrors: 0 },
    delivery: {
      date: '2026-12-05',
      method: 'secureLink',
      note: '',
      by: alexActor,
      at: '2026-12-05T12:00:00Z',
      daysLate: 0,
    },
  };
}

describe('the workflow: retention', () => {
  it('holds a request with a reason, tells the thread and records who and why', () => {
    const r = transition(
      delivered(),
      { type: 'hold', by: meganActor, reason: '  Complaint to the regulator ' },
      now,
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.request.retention?.hold).toEqual({
      by: meganActor,
      at: now.toISOString(),
      reason: 'Complaint to the regulator',
    });
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'audit', action: 'retention.held' }));
    const reply = r.effects.find((e) => e.type === 'replyInThread');
    expect(reply?.type === 'replyInThread' && reply.notice.kind).toBe('exportHeld');
  });

  it('refuses a hold without a reason, a second hold, and a hold once a deletion started', () => {
    expect(transition(delivered(), { type: 'hold', by: meganActor, reason: ' ' }, now)).toMatchObject({
      ok: false,
      reason: 'noteRequired',
    });
    const held = {
      ...delivered(),
      retention: { hold: { by: alexActor, at: '2027-01-01T00:00:00Z', reason: 'x' } },
    };
    expect(transition(held, { type: 'hold', by: meganActor, reason: 'y' }, now)).toMatchObject({
      ok: false,
      reason: 'held',
    });
    const deleting = {
      ...delivered(),
      retention: { deleting: { containers: ['dsr-2026-0001'], at: '2027-01-02T08:00:00Z' } },
    };
    expect(transition(deleting, { type: 'hold', by: meganActor, reason: 'y' }, now)).toMatchObject({
      ok: false,
      reason: 'deletionInProgress',
    });
  });

  it('refuses to start a deletion or a notice while held, and releases the hold once', () => {
    const held = {
      ...delivered(),
      retention: {
        hold: { by: alexActor, at: '2027-01-01T00:00:00Z', reason: 'x' },
        noticedFor: '2027-01-04',
      },
    };
    expect(transition(held, { type: 'deletionStarted', containers: ['dsr-2026-0001'] }, now)).toMatchObject({
      ok: false,
      reason: 'held',
    });
    expect(
      transition(held, { type: 'retentionNoticed', deleteOn: '2027-01-05', days: 30 }, now),
    ).toMatchObject({ ok: false, reason: 'held' });
    const released = transition(held, { type: 'releaseHold', by: meganActor }, now);
    if (!released.ok) throw new Error(released.reason);
    // Released: the notice is told again before the deletion.
    expect(released.request.retention).toEqual({});
    expect(transition(released.request, { type: 'releaseHold', by: meganActor }, now)).toMatchObject({
      ok: false,
      reason: 'notHeld',
    });
  });

  it('tells of a deletion date once', () => {
    const told = transition(delivered(), { type: 'retentionNoticed', deleteOn: '2027-01-04', days: 30 }, now);
    if (!told.ok) throw new Error(told.reason);
    expect(told.effects).toContainEqual({
      type: 'replyInThread',
      key: 'retention-2027-01-04',
      notice: { kind: 'exportDeletionSoon', requestId: 'DSR-2026-0001', deleteOn: '2027-01-04', days: 30 },
    });
    expect(
      transition(told.request, { type: 'retentionNoticed', deleteOn: '2027-01-04', days: 30 }, now),
    ).toMatchObject({ ok: false, reason: 'stale' });
  });

  it('records a deletion once, and says nothing when the same deletion is recorded again', () => {
    const started = transition(delivered(), { type: 'deletionStarted', containers: ['dsr-2026-0001'] }, now);
    if (!started.ok) throw new Error(started.reason);
    expect(started.request.retention?.deleting?.containers).toEqual(['dsr-2026-0001']);
    const done = transition(
      started.request,
      { type: 'containersDeleted', containers: ['dsr-2026-0001'], why: 'delivered' },
      now,
    );
    if (!done.ok) throw new Error(done.reason);
    expect(done.request.retention).toEqual({
      deleted: [{ container: 'dsr-2026-0001', at: now.toISOString() }],
    });
    expect(done.effects.map((e) => e.type)).toEqual(['audit', 'updateApprovalCard', 'replyInThread']);
    const again = transition(
      done.request,
      { type: 'containersDeleted', containers: ['dsr-2026-0001'], why: 'delivered' },
      now,
    );
    expect(again).toMatchObject({ ok: true, effects: [] });
  });
});
