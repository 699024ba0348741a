import { randomUUID } from 'node:crypto';
import type { ExportRequest } from '../../src/domain/export-request';
import type { IntakeDraft } from '../../src/domain/intake-draft';
import { pendingRequest } from '../support/requests';

/** A name Azure accepts for a table or a queue (letters and digits, starting with a letter), unique per call. */
export const uniqueName = (prefix: string): string =>
  `${prefix}${randomUUID().replace(/-/g, '').slice(0, 20)}`;

/** A request about `subjectId`, made at `createdAt`, in `status`. */
export function requestAbout(
  id: string,
  subjectId: string,
  createdAt: string,
  status: ExportRequest['status'] = 'pendingApproval',
): ExportRequest {
  const base = pendingRequest(id);
  return { ...base, status, createdAt, subject: { ...base.subject, id: subjectId } };
}

/** A draft being put together by Alex in a 1:1 chat. */
export function draft(id: string, stage: IntakeDraft['stage'] = 'choosing'): IntakeDraft {
  return {
    id,
    createdAt: '2026-11-22T09:00:00.000Z',
    requester: { aadObjectId: 'alex', name: 'Alex Wilber' },
    tenantId: 'tenant',
    requestedIn: { id: 'a:1', type: 'personal' },
    stage,
    regime: 'GDPR',
    candidates: [],
    subject: undefined,
    duplicateOf: undefined,
    requestId: undefined,
    form: {},
  };
}

/** Resolves with the rejection of `p` (fails the test when it resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection, but it resolved');
    },
    (err: unknown) => err,
  );
}
