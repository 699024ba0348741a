import type { ExportRequest } from '../src/domain/export-request';
import { dueDate, isoDate } from '../src/domain/policies';
import { DEMO_USERS } from './demo-tenant';

/** People the seeded requests are about (plain users of the demo tenant). */
const SUBJECTS = ['Isaiah Langer', 'Adele Vance', 'Lee Gu', 'Nestor Wilke', 'Grady Archie', 'Johanna Lorenz'];

/**
 * The i-th request of a batch, waiting for approval with its card already in `channel` (as the approval step
 * leaves it), asked by Alex Wilber in his personal chat `a:<tag>-requester-<i>`. For crash tests and
 * benchmarks that start at the export.
 */
export function seededRequest(
  i: number,
  options: { serviceUrl: string; channel: string; tag: string; now?: Date },
): ExportRequest {
  const now = options.now ?? new Date();
  const name = SUBJECTS[i % SUBJECTS.length]!;
  const s = DEMO_USERS.find((u) => u.displayName === name)!;
  const alex = DEMO_USERS.find((u) => u.displayName === 'Alex Wilber')!;
  const today = isoDate(now);
  return {
    id: `DSR-2026-${String(i + 1).padStart(5, '0')}`,
    status: 'pendingApproval',
    subject: {
      id: s.id,
      displayName: s.displayName,
      userPrincipalName: s.userPrincipalName,
      mail: s.mail ?? null,
      jobTitle: null,
      department: null,
    },
    requester: { aadObjectId: alex.id, name: alex.displayName },
    regime: 'GDPR',
    receivedDate: today,
    dueDate: dueDate('GDPR', today),
    reference: `${options.tag.toUpperCase()}-${i}`,
    justification: 'Seeded request for a crash test or a benchmark.',
    createdAt: now.toISOString(),
    requestedIn: { id: `a:${options.tag}-requester-${i}`, type: 'personal' },
    identity: {
      method: 'corporateSignIn',
      note: 'Seeded: the request came from the subject’s own work account.',
      by: { aadObjectId: alex.id, name: alex.displayName },
      at: now.toISOString(),
    },
    approvalCard: {
      conversationId: options.channel,
      serviceUrl: options.serviceUrl,
      activityId: `card-${options.tag}-${i}`,
      postedAt: now.toISOString(),
    },
  };
}
