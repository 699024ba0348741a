import type { DirectoryUser } from '../../src/domain/directory-user';
import { newExportRequest, requestCreatedEvent } from '../../src/domain/intake';
import type { IntakeDraft } from '../../src/domain/intake-draft';
import { dueDate } from '../../src/domain/policies';
import { approvalRound } from '../../src/domain/workflow';

const NOW = new Date('2026-11-22T09:00:00.000Z');
const HOUR = 3600_000;
const TIMERS = { remindAfterMs: 24 * HOUR, expireAfterMs: 7 * 24 * HOUR };

const ADELE: DirectoryUser = {
  id: 'c0a70500-0000-4000-8000-000000000102',
  displayName: 'Adele Vance',
  userPrincipalName: 'adelev@contoso.com',
  mail: 'adelev@contoso.com',
  jobTitle: 'Retail Manager',
  department: 'Retail',
};

const draft: IntakeDraft = {
  id: '0b5e7c1a-1d2e-4f30-8a4b-5c6d7e8f9a0b',
  createdAt: '2026-11-22T08:00:00.000Z',
  requester: { aadObjectId: 'c0a70500-0000-4000-8000-000000000100', name: 'Alex Wilber' },
  tenantId: 'c0a70500-0000-4000-8000-00000000aaaa',
  requestedIn: { id: 'a:personal-alex', type: 'personal' },
  stage: 'submitting',
  regime: undefined,
  candidates: [],
  subject: ADELE,
  duplicateOf: undefined,
  requestId: 'DSR-2026-0042',
  form: {},
};

const form = {
  regime: 'CCPA',
  receivedDate: '2026-11-20',
  reference: 'SR-1',
  justification: 'Subject access request by email.',
} as const;

const build = (changes: Partial<IntakeDraft> = {}, timers = TIMERS) =>
  newExportRequest({
    draft: { ...draft, ...changes },
    subject: ADELE,
    form,
    requestId: 'DSR-2026-0042',
    now: NOW,
    timers,
  });

describe('newExportRequest: the request a submitted draft stands for', () => {
  it('waits for approval, with the requester, subject and conversation of the draft and the legal due date', () => {
    const request = build();
    expect(request).toMatchObject({
      id: 'DSR-2026-0042',
      status: 'pendingApproval',
      subject: ADELE,
      requester: draft.requester,
      regime: 'CCPA',
      receivedDate: '2026-11-20',
      dueDate: dueDate('CCPA', '2026-11-20'),
      reference: 'SR-1',
      justification: 'Subject access request by email.',
      createdAt: NOW.toISOString(),
      requestedIn: draft.requestedIn,
    });
    expect(request.dueDate).toBe('2027-01-04');
    expect(request).not.toHaveProperty('duplicateOf');
    expect(request).not.toHaveProperty('decision');
  });

  it('starts an approval round as approvalRound does, and keeps the card and the timers in its outbox', () => {
    const request = build();
    const round = approvalRound(NOW, TIMERS);
    expect(request.nextReminderAt).toBe(round.nextReminderAt);
    expect(request.expiresAt).toBe(round.expiresAt);
    expect(request.nextReminderAt).toBe('2026-11-23T09:00:00.000Z');
    expect(request.expiresAt).toBe('2026-11-29T09:00:00.000Z');
    // Stamped with the time they were written, so the hand-over grace applies to them too.
    const at = NOW.toISOString();
    expect(request.outbox).toEqual([
      { id: 'DSR-2026-0042:0', at, effect: { type: 'postApprovalCard' } },
      { id: 'DSR-2026-0042:1', at, effect: { type: 'remind', at: '2026-11-23T09:00:00.000Z' } },
      { id: 'DSR-2026-0042:2', at, effect: { type: 'expire', at: '2026-11-29T09:00:00.000Z' } },
      // The legal clock's first reminder: 7 days before the due date.
      { id: 'DSR-2026-0042:3', at, effect: { type: 'deadline', step: 'week', at: request.deadline?.at } },
    ]);
  });

  it('arms no reminder that would come after the expiry', () => {
    const request = build({}, { remindAfterMs: 48 * HOUR, expireAfterMs: 24 * HOUR });
    expect(request).not.toHaveProperty('nextReminderAt');
    expect(request.outbox?.map((e) => e.effect.type)).toEqual(['postApprovalCard', 'expire', 'deadline']);
  });

  it('names the open request it was knowingly created beside', () => {
    expect(build({ duplicateOf: 'DSR-2026-0001' }).duplicateOf).toBe('DSR-2026-0001');
  });

  it('is the same request however often it is built from the same draft at the same time', () => {
    expect(build()).toEqual(build());
  });
});

describe('requestCreatedEvent', () => {
  it('records who asked, for whom, when it is due and beside which open request', () => {
    const request = build({ duplicateOf: 'DSR-2026-0001' });
    expect(requestCreatedEvent(request)).toEqual({
      at: NOW.toISOString(),
      action: 'request.created',
      actor: draft.requester,
      outcome: 'ok',
      requestId: 'DSR-2026-0042',
      subjectId: ADELE.id,
      detail:
        'CCPA export for adelev@contoso.com, received 2026-11-20, due 2027-01-04, reference SR-1, beside open DSR-2026-0001',
    });
  });
});
