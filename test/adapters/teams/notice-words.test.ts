import { requesterText, threadText } from '../../../src/adapters/teams/notice-words';
import { formatBytes } from '../../../src/cards/card-text';
import type { ClockNotice } from '../../../src/domain/notice';
import { CLOSURE_WORDS } from '../../../src/domain/workflow/lifecycle';

const id = 'DSR-2026-0042';
const deadline = (step: 'week' | 'day' | 'overdue', exported: boolean): ClockNotice => ({
  kind: 'deadline',
  requestId: id,
  subject: 'Adele Vance',
  step,
  dueDate: '2026-12-20',
  exported,
});
const both = (n: ClockNotice) => [threadText(n), requesterText(n)];

describe('the words of a submission (issue 15: honest timing)', () => {
  const submitted = (expectedMs?: number) =>
    threadText({
      kind: 'submitted',
      subject: 'Adele Vance',
      container: 'dsr-2026-0042',
      account: 'contosodsr',
      ...(expectedMs !== undefined ? { expectedMs } : {}),
    });
  it('says Graph\'s "a few days" unless the configured pace is known', () => {
    expect(submitted()).toMatch(/Exports usually take a few days \(up to 30\)/);
    expect(submitted(2 * 60_000)).toMatch(/Exports usually take about 2 minutes/);
    expect(submitted(3 * 24 * 3600_000)).toMatch(/about 3 days/);
  });
});

describe('the words of the legal clock', () => {
  it('counts down the deadline: 7 days, 1 day, then overdue since the due date', () => {
    expect(threadText(deadline('week', false))).toMatch(
      /^7 days left for DSR-2026-0042 \(Adele Vance\): the legal due date is 2026-12-20\./,
    );
    expect(threadText(deadline('day', false))).toMatch(/^1 day left for DSR-2026-0042 \(Adele Vance\)/);
    expect(threadText(deadline('overdue', false))).toMatch(
      /^DSR-2026-0042 \(Adele Vance\) is overdue since 2026-12-20/,
    );
    expect(requesterText(deadline('week', false))).toMatch(/^7 days left for your request DSR-2026-0042/);
    expect(requesterText(deadline('overdue', false))).toMatch(
      /^Your request DSR-2026-0042 \(Adele Vance\) is overdue since 2026-12-20/,
    );
  });

  it('says what is left once the data is exported: delivery, recorded on the card', () => {
    for (const step of ['week', 'day', 'overdue'] as const)
      for (const text of both(deadline(step, true)))
        expect(text).toContain(
          'The data is exported: what is left is delivery. Record the delivery on the card once the data reached the person.',
        );
    expect(threadText(deadline('week', false))).toContain('extend the due date on the card');
  });

  it('reminds the requester of an extension that the data subject must be told of it and why, by the end of the first period', () => {
    const n: ClockNotice = {
      kind: 'extended',
      requestId: id,
      by: 'Megan Bowen',
      fromDue: '2026-12-20',
      toDue: '2027-01-20',
      reason: 'Many mailboxes.',
      tellBy: '2026-12-20',
    };
    expect(requesterText(n)).toBe(
      'Megan Bowen extended the due date of your request DSR-2026-0042 from 2026-12-20 to 2027-01-20. Tell the data subject of the extension and its reason by 2026-12-20, the end of the first period. Reason: Many mailboxes.',
    );
    expect(threadText(n)).toContain(
      'The data subject must be told of the extension and its reason by 2026-12-20.',
    );
  });

  it('says a delivery was on time, or how many days late', () => {
    const n = (daysLate: number): ClockNotice => ({
      kind: 'delivered',
      requestId: id,
      by: 'Megan Bowen',
      date: '2026-12-19',
      method: 'a secure link',
      daysLate,
    });
    expect(threadText(n(0))).toBe(
      'Megan Bowen recorded the delivery of DSR-2026-0042 to the data subject on 2026-12-19 (a secure link), on time. The legal clock has stopped.',
    );
    expect(threadText(n(1))).toContain('(a secure link), 1 day late.');
    expect(requesterText(n(3))).toBe(
      'Your request DSR-2026-0042 was delivered to the data subject on 2026-12-19 (a secure link), 3 days late, recorded by Megan Bowen. The legal clock has stopped.',
    );
  });

  it('tells of a proposed closure, its withdrawal and its confirmation', () => {
    const proposed: ClockNotice = {
      kind: 'closureProposed',
      requestId: id,
      by: 'Alex Wilber',
      reason: 'excessive',
    };
    expect(threadText(proposed)).toBe(
      'Alex Wilber proposes to close DSR-2026-0042 without export: excessive. Another admin can confirm the closure on the card, or keep the request open.',
    );
    expect(requesterText(proposed)).toContain(
      'Another admin must confirm it; until then the legal clock runs on.',
    );
    const withdrawn: ClockNotice = { kind: 'closureWithdrawn', requestId: id, by: 'Megan Bowen' };
    expect(threadText(withdrawn)).toBe(
      'Megan Bowen kept DSR-2026-0042 open: the proposed closure is withdrawn and the legal clock runs on.',
    );
    expect(requesterText(withdrawn)).toContain('kept your request DSR-2026-0042 open');
    const closed = (reason: string): ClockNotice => ({
      kind: 'closed',
      requestId: id,
      proposedBy: 'Alex Wilber',
      by: 'Megan Bowen',
      reason,
    });
    expect(threadText(closed('excessive'))).toBe(
      'DSR-2026-0042 is closed without export (excessive): proposed by Alex Wilber, confirmed by Megan Bowen. The legal clock has stopped.',
    );
    expect(requesterText(closed('excessive'))).toContain(
      'Tell the data subject why, and that they can complain to a supervisory authority.',
    );
    expect(requesterText(closed(CLOSURE_WORDS.withdrawn))).not.toContain('complain');
  });

  it('tells how the identity was verified', () => {
    const n: ClockNotice = {
      kind: 'identityRecorded',
      requestId: id,
      by: 'Megan Bowen',
      method: 'matched against HR records',
    };
    expect(threadText(n)).toBe(
      'Megan Bowen recorded how the identity of the subject of DSR-2026-0042 was verified: matched against HR records.',
    );
    expect(requesterText(n)).toContain('the subject of your request DSR-2026-0042');
  });
});

describe('the words of a completed export', () => {
  const completed = (contents?: {
    files: number;
    bytes: number;
    folders: { name: string; files: number; bytes: number }[];
  }) =>
    ({
      kind: 'exportCompleted',
      requestId: id,
      subject: 'Adele Vance',
      dueDate: '2026-12-20',
      completionRate: undefined,
      container: 'dsr-2026-0042',
      account: 'exports',
      ...(contents ? { contents } : {}),
    }) as const;

  it('say what the export holds: files, size and the first folders', () => {
    const names = ['Exchange', 'OneDrive', 'SharePoint', 'Teams', 'Azure AD', 'Planner', 'Yammer'];
    const folders = names.map((name) => ({ name, files: 1, bytes: 100 }));
    const text = threadText(completed({ files: 12, bytes: 3_565_158, folders }));
    expect(text).toContain(
      'It holds 12 files (3.4 MB) in 7 folders: Exchange, OneDrive, SharePoint, Teams, Azure AD and 2 more.',
    );
    expect(requesterText(completed({ files: 1, bytes: 10, folders: folders.slice(0, 1) }))).toContain(
      'It holds 1 file (10 bytes) in 1 folder: Exchange.',
    );
  });

  it('warn when the container holds no files, and say nothing of contents when they could not be read', () => {
    expect(threadText(completed({ files: 0, bytes: 0, folders: [] }))).toContain(
      'The container holds no files: check it before delivery.',
    );
    expect(threadText(completed())).toBe(
      'The export for DSR-2026-0042 (Adele Vance) is complete: the data is in container dsr-2026-0042 in storage account exports. The link to the container is on the card; the write access given to Graph has been withdrawn.',
    );
  });

  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [3_565_158, '3.4 MB'],
    [1024 * 1024 - 1, '1 MB'],
    [150 * 1024 ** 3, '150 GB'],
    [2 * 1024 ** 4, '2 TB'],
  ])('says a size of %d bytes as %s', (bytes, words) => {
    expect(formatBytes(bytes)).toBe(words);
  });
});
