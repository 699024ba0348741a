import { approvalCard, MAX_REFRESH_USERS } from '../../src/cards/approval-card';
import type { ExportRequest } from '../../src/domain/export-request';
import { cardProblems, cardText } from '../support/cards';

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
