import { jobOf, noticeOf, type Job } from '../../src/domain/jobs';
import { requesterText, threadText } from '../../src/adapters/teams/notice-words';

describe('jobs: effects addressed to their request', () => {
  it('makes a job of an effect by addressing it, nothing else', () => {
    expect(jobOf('DSR-1', { type: 'pollExport', attempt: 2, at: '2026-11-22T09:00:00.000Z' })).toEqual({
      type: 'pollExport',
      requestId: 'DSR-1',
      attempt: 2,
      at: '2026-11-22T09:00:00.000Z',
    });
  });

  it('says a notice job by its notice', () => {
    const job: Job = {
      type: 'replyInThread',
      requestId: 'DSR-1',
      key: 'cancelled',
      notice: { kind: 'cancelled', by: 'Alex Wilber' },
    };
    expect(threadText(noticeOf(job))).toBe('Cancelled by Alex Wilber, who asked for it.');
  });

  it('still says a notice job queued in words by an earlier version, as it was worded (no notice lost to a deploy)', () => {
    const thread: Job = {
      type: 'replyInThread',
      requestId: 'DSR-1',
      key: 'approved',
      text: 'Approved by Megan.',
    };
    const requester: Job = {
      type: 'notifyRequester',
      requestId: 'DSR-1',
      key: 'approved',
      text: 'Approved.',
    };
    expect(threadText(noticeOf(thread))).toBe('Approved by Megan.');
    expect(requesterText(noticeOf(requester))).toBe('Approved.');
    expect(requesterText({ kind: 'threadRefused', notice: noticeOf(thread), code: 'Forbidden' })).toBe(
      'Approved by Megan. (I could not post this in the approvals channel: Forbidden.)',
    );
  });
});
