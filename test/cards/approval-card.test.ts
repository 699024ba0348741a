import { approvalCard, MAX_REFRESH_USERS } from '../../src/cards/approval-card';
import type { ExportRequest } from '../../src/domain/export-request';
import { cardProblems, cardText } from '../support/cards';
import {
  actionsOf,
  colorOf,
  inStatus,
  markdownTexts as markdownOf,
  PORTAL,
  STATUSES,
  titlesOf,
  WORST_CASE_BYTES,
  worstCase,
} from './request-fixtures';

const request: ExportRequest = {
  id: 'DSR-2026-0042',
  status: 'pendingApproval',
  subject: {
    id: 's',
    displayName: '${x} **Adele**',
    userPrincipalName: 'adelev@contoso.com',
    mail: null,
    jobTitle: null,
    department: null,
  },
  requester: { aadObjectId: 'alex', name: 'Alex Wilber' },
  regime: 'CCPA',
  receivedDate: '2026-11-20',
  dueDate: '2027-01-04',
  reference: 'SR-1',
  justification: '🎉'.repeat(5000),
  createdAt: '2026-11-21T10:00:00Z',
  requestedIn: { id: 'a:1', type: 'personal' },
  // Recorded: the Approve button needs it (see the identity tests below).
  identity: {
    method: 'hrRecords',
    note: '',
    by: { aadObjectId: 'm', name: 'Megan' },
    at: '2026-11-21T09:00:00Z',
  },
};

describe('the approval card', () => {
  it('asks Teams to refresh it automatically for at most 60 people', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `29:user-${i}`);
    const card = approvalCard({ request, view: 'viewer', today: '2026-11-21', refreshUserIds: ids }) as {
      refresh?: { userIds?: string[] };
    };
    expect(card.refresh?.userIds).toEqual(ids);
    const many = Array.from({ length: 75 }, (_, i) => `29:user-${i}`);
    const capped = approvalCard({ request, view: 'viewer', today: '2026-11-21', refreshUserIds: many }) as {
      refresh?: { userIds?: string[] };
    };
    expect(capped.refresh?.userIds).toHaveLength(MAX_REFRESH_USERS);
  });

  it('gives larger channels (members unknown or above 60) a manual refresh button', () => {
    const card = approvalCard({ request, view: 'viewer', today: '2026-11-21', refreshUserIds: undefined });
    expect(JSON.stringify(card)).toContain('Show my options');
    expect((card as { refresh?: { userIds?: unknown } }).refresh?.userIds).toBeUndefined();
  });

  it('is valid, small and shows hostile text literally in every view and state', () => {
    for (const status of ['pendingApproval', 'approved', 'rejected', 'cancelled', 'expired'] as const) {
      for (const view of ['decider', 'requester', 'viewer'] as const) {
        const r: ExportRequest = {
          ...request,
          status,
          ...(status === 'pendingApproval'
            ? {}
            : {
                decision: {
                  verdict: status,
                  by: { aadObjectId: 'm', name: 'Megan' },
                  at: '2026-11-22T09:00:00Z',
                  reason: '${y}',
                },
              }),
        };
        const card = approvalCard({ request: r, view, today: '2026-11-21', refreshUserIds: [] });
        expect({ status, view, problems: cardProblems(card) }).toEqual({ status, view, problems: [] });
        expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
        expect(cardText(card)).toContain('${x} **Adele**');
        const hasButtons = JSON.stringify(card).includes('"verb":"approval.approve"');
        expect(hasButtons).toBe(status === 'pendingApproval' && view === 'decider');
      }
    }
  });
});

/** What CommonMark shows for backslash-escaped ASCII punctuation. */
const rendered = (s: string) => s.replace(/\\([!-/:-@[-`{-~])/g, '$1');

describe('the approval card with hostile names', () => {
  const LINK = '[click](https://evil.example)';
  const SHOUT = '**ALL APPROVED**';
  const decided = (name: string, extra: Partial<ExportRequest> = {}): ExportRequest => ({
    ...request,
    justification: 'Subject access request.',
    status: 'completed',
    decision: { verdict: 'approved', by: { aadObjectId: 'm', name }, at: '2026-11-22T09:00:00Z' },
    export: {
      attempt: 1,
      containerName: 'dsr-2026-0042',
      accountName: 'exports',
      throttled: 0,
      polls: 3,
      pollErrors: 0,
      completedAt: '2026-11-23T09:00:00Z',
    },
    ...extra,
  });

  it.each([LINK, SHOUT])(
    'shows the decider %j literally where the card renders Markdown (defect: names went raw into the status TextBlock and the "Approved by" fact)',
    (name) => {
      for (const r of [decided(name), decided(name, { status: 'rejected', export: undefined })]) {
        const card = approvalCard({ request: r, view: 'viewer', today: '2026-11-21', refreshUserIds: [] });
        expect(cardProblems(card)).toEqual([]);
        const markdown = markdownOf(card);
        const withName = markdown.filter((t) => rendered(t).includes(name));
        expect(withName.length).toBeGreaterThan(0);
        for (const t of markdown) {
          expect(t).not.toContain(name);
          expect(t).not.toMatch(/(^|[^\\])(\*\*|\]\()/);
        }
      }
    },
  );

  it('escapes an operation status Graph adds later, shown in the status line (defect: shown raw)', () => {
    const r = decided('Megan', {
      status: 'exporting',
      export: { ...decided('Megan').export!, completedAt: undefined, operationStatus: '_new_ [x](y)' },
    });
    const card = approvalCard({ request: r, view: 'viewer', today: '2026-11-21', refreshUserIds: [] });
    const status = markdownOf(card).find((t) => t.startsWith('Exporting'));
    expect(status).toBe('Exporting: not finished (\\_new\\_ \\[x\\]\\(y\\))');
  });

  it('cleans directory and typed text in TextRuns: no direction overrides, no line breaks in a name (defect: only truncated)', () => {
    const r: ExportRequest = {
      ...decided('Megan\u202E nagem'),
      subject: { ...request.subject, displayName: 'Adele\u202E\u0000 Vance\n\n# Boss' },
      requester: { aadObjectId: 'alex', name: ' Alex\t\tWilber ' },
      reference: 'SR-1\u2066',
      justification: `Asked by mail.\r\n\r\n\r\n\r\nTwice. ${'👩‍👩‍👧‍👦'.repeat(400)}`,
    };
    const card = approvalCard({ request: r, view: 'viewer', today: '2026-11-21', refreshUserIds: [] });
    const text = cardText(card);
    expect(text).toContain('Adele Vance # Boss (adelev@contoso.com)');
    expect(text).toContain('Alex Wilber');
    for (const c of ['\u202E', '\u2066', '\u0000', '\t']) expect(text).not.toContain(c);
    expect(text).toContain('Asked by mail.\n\nTwice. 👩‍👩‍👧‍👦');
    // Bounded at a grapheme: the last family before the ellipsis is whole.
    expect(text).toMatch(/👩‍👩‍👧‍👦…/u);
  });
});

describe('the approval card and the legal clock', () => {
  const view = (r: ExportRequest, v: 'decider' | 'requester' | 'viewer' = 'viewer') =>
    approvalCard({ request: r, view: v, today: '2026-11-21', refreshUserIds: [] });

  it("shows the Approve button only once the subject's identity is recorded (Reject shows either way)", () => {
    const missing = view(inStatus('pendingApproval', { identity: undefined }), 'decider');
    expect(titlesOf(missing)).not.toContain('Approve');
    expect(titlesOf(missing)).toContain('Reject…');
    expect(titlesOf(view(inStatus('pendingApproval'), 'decider'))).toEqual(
      expect.arrayContaining(['Approve', 'Reject…']),
    );
  });

  it('says in Attention why a pending request cannot be approved while the identity is not verified', () => {
    const card = view(inStatus('pendingApproval', { identity: undefined }), 'decider');
    expect(cardText(card)).toContain(
      "Identity not verified: \nthis request cannot be approved until an admin records how the subject's identity was verified.",
    );
    expect(colorOf(card, 'Identity not verified')).toBe('Attention');
  });

  it('offers the lifecycle actions beside the decision buttons while the clock runs, and none once it stopped', () => {
    expect(titlesOf(view(inStatus('pendingApproval', { identity: undefined }), 'decider'))).toEqual([
      'Reject…',
      'Record identity check',
      'Extend the due date',
      'Close without export',
    ]);
    expect(titlesOf(view(inStatus('pendingApproval'), 'requester'))).toEqual([
      'Cancel my request',
      'Extend the due date',
      'Close without export',
    ]);
    for (const status of ['delivered', 'closed', 'rejected', 'cancelled', 'expired'] as const)
      expect({ status, titles: titlesOf(view(inStatus(status))) }).toEqual({ status, titles: [] });
  });

  it('stays valid, well under 28 KB and within 5 buttons in every status and view, even for a worst-case request', () => {
    for (const status of STATUSES) {
      for (const identified of [true, false]) {
        for (const v of ['decider', 'requester', 'viewer'] as const) {
          const card = approvalCard({
            request: worstCase(status, identified),
            view: v,
            today: '2026-11-25',
            refreshUserIds: undefined,
            note: 'A note in the bot’s words. '.repeat(20),
            portal: PORTAL,
          });
          expect({ status, v, problems: cardProblems(card) }).toEqual({ status, v, problems: [] });
          expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(WORST_CASE_BYTES);
          expect(actionsOf(card).length).toBeLessThanOrEqual(5);
          for (const t of markdownOf(card)) expect(t).not.toMatch(/(^|[^\\])(\*\*|\]\()/);
        }
      }
    }
  });
});
