import type { ExportRequest } from '../../src/domain/export-request';

/** Every status a request can have, in the order of its life. */
export const ALL_STATUSES: readonly ExportRequest['status'][] = [
  'pendingApproval',
  'approved',
  'exporting',
  'outcomeUnknown',
  'completed',
  'failed',
  'delivered',
  'closed',
  'rejected',
  'cancelled',
  'expired',
];

export const alexActor = { aadObjectId: 'alex', name: 'Alex Wilber' };
export const meganActor = { aadObjectId: 'megan', name: 'Megan Bowen' };

/** A request waiting for approval, asked by Alex about Adele, for pure workflow tests. */
export function pendingRequest(id = 'DSR-2026-0001'): ExportRequest {
  return {
    id,
    status: 'pendingApproval',
    subject: {
      id: 's',
      displayName: 'Adele Vance',
      userPrincipalName: 'adelev@contoso.com',
      mail: null,
      jobTitle: null,
      department: null,
    },
    requester: alexActor,
    regime: 'GDPR',
    receivedDate: '2026-11-20',
    dueDate: '2026-12-20',
    reference: 'SR-1',
    justification: 'Subject access request.',
    createdAt: '2026-11-21T10:00:00Z',
    requestedIn: { id: 'a:1', type: 'personal' },
    identity: { method: 'corporateSignIn', note: '', by: alexActor, at: '2026-11-21T10:00:00Z' },
  };
}
