import { alexActor, meganActor, pendingRequest } from '../support/requests';
import { approvalRound, transition, type Effect } from '../../src/domain/workflow';

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
    expect(r.request.decision).toEqual({
      verdict: 'approved',
      by: megan,
      at: now.toISOString(),
      firstAttempt: 1,
    });
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

  it('cleans the rejection reason like any typed text, and never cuts a character in half (issue 11)', () => {
    const r = transition(
      pending,
      { type: 'reject', by: megan, reason: `  No\u0000 ticket\u202e yet.${'😀'.repeat(600)}` },
      now,
    );
    const reason = r.ok ? (r.request.decision?.reason ?? '') : '';
    expect(reason.startsWith('No ticket yet.')).toBe(true);
    expect(reason.includes('\u0000') || reason.includes('\u202e')).toBe(false);
    expect([...reason].length).toBeLessThanOrEqual(500);
    expect(reason).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no half of a surrogate pair
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
        decision: { verdict: 'approved', by: megan, at: now.toISOString(), firstAttempt: 1 },
      });
    }
  });

  describe('timers and claims (issue 11: two submits of one draft gave two reminder chains)', () => {
    const timers = { remindAfterMs: 3600_000, expireAfterMs: 3 * 3600_000 };
    const round = approvalRound(now, timers);
    const waiting = {
      ...pending,
      nextReminderAt: round.nextReminderAt,
      expiresAt: round.expiresAt,
    };

    it('arms one reminder and one expiry for a new approval round', () => {
      expect(round.effects).toEqual([
        { type: 'remind', at: new Date(now.getTime() + 3600_000).toISOString() },
        { type: 'expire', at: new Date(now.getTime() + 3 * 3600_000).toISOString() },
      ]);
    });

    it('acts only on the reminder the request waits for, and arms the next one itself', () => {
      const later = new Date(Date.parse(round.nextReminderAt!));
      const first = transition(
        waiting,
        { type: 'remind', at: round.nextReminderAt },
        later,
        undefined,
        timers,
      );
      if (!first.ok) throw new Error('expected a reminder');
      const next = new Date(later.getTime() + 3600_000).toISOString();
      expect(first.request.nextReminderAt).toBe(next);
      expect(first.effects).toContainEqual({ type: 'remind', at: next });
      // The same timer delivered again (or a second chain's) is stale: no second reminder, no second chain.
      expect(
        transition(first.request, { type: 'remind', at: round.nextReminderAt }, later, undefined, timers),
      ).toEqual({
        ok: false,
        reason: 'stale',
      });
    });

    it('stops reminding at the expiry, and ignores an expiry timer of an earlier round', () => {
      const nearEnd = new Date(Date.parse(round.expiresAt) - 1800_000);
      const last = transition(
        { ...waiting, nextReminderAt: nearEnd.toISOString() },
        { type: 'remind', at: nearEnd.toISOString() },
        nearEnd,
        undefined,
        timers,
      );
      expect(last.ok && last.request.nextReminderAt).toBeUndefined();
      expect(last.ok && last.effects.map((e) => e.type)).not.toContain('remind');
      expect(transition(waiting, { type: 'expire', at: '2000-01-01T00:00:00.000Z' }, now)).toEqual({
        ok: false,
        reason: 'stale',
      });
    });

    it('lets one job at a time claim the approval card post; a claim that ran out lets the next post', () => {
      const until = new Date(now.getTime() + 60_000).toISOString();
      const claimed = transition(pending, { type: 'cardPostClaimed', claimId: 'a', until }, now);
      if (!claimed.ok) throw new Error('expected a claim');
      expect(transition(claimed.request, { type: 'cardPostClaimed', claimId: 'b', until }, now)).toEqual({
        ok: false,
        reason: 'stale',
      });
      const afterwards = new Date(now.getTime() + 61_000);
      expect(
        transition(claimed.request, { type: 'cardPostClaimed', claimId: 'b', until }, afterwards).ok,
      ).toBe(true);
    });

    it('stores a slow decision claim together with the job that verifies it', () => {
      const claim = { claimId: 'c1', verdict: 'approved' as const, by: megan, at: now.toISOString() };
      const r = transition(pending, { type: 'claimDecision', claim }, now);
      expect(r.ok && r.effects).toContainEqual({ type: 'verifyDecision', claimId: 'c1' });
    });
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
