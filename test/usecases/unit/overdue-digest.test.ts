import type { ChannelNotice } from '../../../src/domain/notice';
import { sendOverdueDigest, type DigestDeps } from '../../../src/usecases/overdue-digest';
import { pendingRequest, unitWorld } from './deps';

function world(start: string) {
  const w = unitWorld(start);
  const posted: ChannelNotice[] = [];
  const deps: DigestDeps = {
    requests: w.requests,
    daily: w.daily,
    notifier: {
      tellApprovalsChannel: (n) => {
        posted.push(n);
        return Promise.resolve(true);
      },
    },
    audit: w.audit,
    clock: w.clock,
    hourUtc: 8,
    claimMs: 60_000,
  };
  return { w, deps, posted };
}

describe('sendOverdueDigest: one post a day while requests are overdue', () => {
  it('posts once a day, most overdue first, however many instances run it', async () => {
    const { w, deps, posted } = world('2026-12-22T09:00:00.000Z');
    await w.requests.create({ ...pendingRequest('DSR-2026-0001'), dueDate: '2026-12-20' });
    await w.requests.create({ ...pendingRequest('DSR-2026-0002'), dueDate: '2026-12-10' });
    await w.requests.create({ ...pendingRequest('DSR-2026-0003'), dueDate: '2027-01-10' });
    const outcomes = await Promise.all([
      sendOverdueDigest(deps),
      sendOverdueDigest(deps),
      sendOverdueDigest(deps),
    ]);
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({
      kind: 'overdueDigest',
      day: '2026-12-22',
      total: 2,
      items: [
        { requestId: 'DSR-2026-0002', daysOverdue: 12 },
        { requestId: 'DSR-2026-0001', daysOverdue: 2 },
      ],
    });
    // Ids and dates only: the channel may not be where each request was posted.
    expect(JSON.stringify(posted[0])).not.toContain('Adele');
    w.clock.advance(24 * 3600_000);
    expect(await sendOverdueDigest(deps)).toBe('sent');
    expect(posted).toHaveLength(2);
  });

  it('waits for the morning, and posts nothing when nothing is overdue', async () => {
    const { w, deps, posted } = world('2026-12-22T06:00:00.000Z');
    await w.requests.create({ ...pendingRequest('DSR-2026-0001'), dueDate: '2027-01-20' });
    expect(await sendOverdueDigest(deps)).toBe('notYet');
    w.clock.advance(3 * 3600_000);
    expect(await sendOverdueDigest(deps)).toBe('none');
    expect(posted).toHaveLength(0);
  });

  it('lets another instance post when the one that claimed the day died before posting', async () => {
    const { w, deps, posted } = world('2026-12-22T09:00:00.000Z');
    await w.requests.create({ ...pendingRequest('DSR-2026-0001'), dueDate: '2026-12-20' });
    expect(await w.daily.claim('overdue-digest', '2026-12-22', w.clock.now(), 60_000)).toBe('claimed');
    expect(await sendOverdueDigest(deps)).toBe('elsewhere');
    w.clock.advance(60_001);
    expect(await sendOverdueDigest(deps)).toBe('sent');
    expect(posted).toHaveLength(1);
  });
});
