import { alexActor, meganActor, pendingRequest } from '../support/requests';
import { transition, type Effect } from '../../src/domain/workflow';

const alex = alexActor;
const megan = meganActor;
const now = new Date('2026-11-22T09:00:00Z');

const pending = pendingRequest();

const types = (effects: readonly Effect[]) => effects.map((e) => e.type);

describe('the approval workflow', () => {
  it('lets a second admin approve, recording who and when, and asks for the export', () => {
    const r = transition(pending, { type: 'approve', by: megan }, now);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.request.status).toBe('approved');
    expect(r.request.decision).toEqual({ verdict: 'approved', by: megan, at: now.toISOString() });
    expect(types(r.effects)).toEqual([
      'audit',
      'updateApprovalCard',
      'replyInThread',
      'notifyRequester',
      'submitExport',
    ]);
    expect(pending.status).toBe('pendingApproval'); // pure: the input is untouched
  });

  it('refuses self-approval and self-rejection (four eyes)', () => {
    expect(transition(pending, { type: 'approve', by: alex }, now)).toEqual({
      ok: false,
      reason: 'selfApproval',
    });
    expect(transition(pending, { type: 'reject', by: alex, reason: 'x' }, now)).toEqual({
      ok: false,
      reason: 'selfApproval',
    });
  });

  it('rejects only with a reason, bounded', () => {
    expect(transition(pending, { type: 'reject', by: megan, reason: '   ' }, now)).toEqual({
      ok: false,
      reason: 'reasonRequired',
    });
    const r = transition(pending, { type: 'reject', by: megan, reason: 'x'.repeat(900) }, now);
    expect(r.ok && r.request.decision?.reason?.length).toBe(500);
    expect(r.ok && types(r.effects)).not.toContain('submitExport');
  });

  it('lets only the requester cancel before a decision', () => {
    expect(transition(pending, { type: 'cancel', by: megan }, now)).toEqual({
      ok: false,
      reason: 'notRequester',
      requester: alex,
    });
    const r = transition(pending, { type: 'cancel', by: alex }, now);
    expect(r.ok && r.request.status).toBe('cancelled');
  });

  it('decides once: any later event says who decided and when', () => {
    const approved = transition(pending, { type: 'approve', by: megan }, now);
    if (!approved.ok) throw new Error('expected approval');
    for (const event of [
      { type: 'approve' as const, by: { aadObjectId: 'patti', name: 'Patti' } },
      { type: 'reject' as const, by: megan, reason: 'late' },
      { type: 'cancel' as const, by: alex },
      { type: 'expire' as const },
      { type: 'remind' as const },
    ]) {
      expect(transition(approved.request, event, now)).toEqual({
        ok: false,
        reason: 'alreadyDecided',
        decision: { verdict: 'approved', by: megan, at: now.toISOString() },
      });
    }
  });

  it('expires a pending request and tells the requester; reminds without changing the status', () => {
    const expired = transition(pending, { type: 'expire' }, now);
    expect(expired.ok && expired.request.status).toBe('expired');
    expect(expired.ok && types(expired.effects)).toContain('notifyRequester');
    const reminded = transition(pending, { type: 'remind' }, now);
    expect(reminded.ok && reminded.request).toMatchObject({
      status: 'pendingApproval',
      remindedAt: now.toISOString(),
    });
  });

  it('records where the approval card was posted', () => {
    const r = transition(
      pending,
      {
        type: 'cardPosted',
        conversationId: '19:c@thread.tacv2',
        activityId: '1700',
        serviceUrl: 'https://smba.trafficmanager.net/emea/',
      },
      now,
    );
    expect(r.ok && r.request.approvalCard).toEqual({
      conversationId: '19:c@thread.tacv2',
      activityId: '1700',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      postedAt: now.toISOString(),
    });
  });
});
