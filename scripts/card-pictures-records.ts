import type { AuditTrailCardModel } from '../src/cards/audit-trail-card';
import type { ReportCardModel } from '../src/cards/report-card';
import { yearMetrics } from '../src/domain/metrics';
import type { Regime } from '../src/domain/export-request';
import type { DenialReason, RequestOutcome } from '../src/domain/request-outcome';
import { ADELE, AUDIT, TODAY } from './card-pictures-samples';

/** The samples of the records' pictures: Adele's audit trail, and a year of requests for the report. */

const DETAILS: Partial<Record<string, string>> = {
  'request.created': `${ADELE.id} created for the subject (GDPR, received 2026-11-20)`,
  'identity.recorded': `identity of the subject of ${ADELE.id} verified: corporateSignIn`,
  'request.approved': 'approved by a second admin',
  'export.submitted': 'exportPersonalData accepted: operation 6a1f0c3e-2b7d-4e59-9c0a-51d4f3e2a8b7',
  'export.statusChanged': 'operation is running (was notStarted)',
  'export.completed': 'export complete: 63 files, 1.8 GB',
  'deadline.extended': 'due date extended from 2026-12-20 to 2027-01-20: data in many systems',
};

/** `audit DSR-2026-0042`: the trail, intact. */
export const TRAIL: AuditTrailCardModel = {
  requestId: ADELE.id,
  entries: AUDIT.map((event, i) => ({
    seq: i + 1,
    event: {
      ...event,
      // The bot's own steps are recorded under its name.
      actor: event.actor.name ? event.actor : { name: 'DSR export bot' },
      ...(DETAILS[event.action] ? { detail: DETAILS[event.action] } : {}),
    },
  })),
  verification: { valid: true, chained: AUDIT.length, unchained: 0, problems: [] },
  page: 0,
  pageSize: 15,
  total: AUDIT.length,
};

const REGIMES: readonly Regime[] = ['GDPR', 'GDPR', 'CCPA', 'other'];
const DENIALS: readonly DenialReason[] = ['identityNotVerified', 'rejectedAtApproval', 'manifestlyUnfounded'];

/** A year of 60 requests: most delivered, a few late, denied, withdrawn, still open. */
function outcome(i: number): RequestOutcome {
  const month = String(1 + (i % 11)).padStart(2, '0');
  const receivedDate = `2026-${month}-${String(1 + ((i * 7) % 27)).padStart(2, '0')}`;
  const regime = REGIMES[i % REGIMES.length]!;
  const base = {
    id: `DSR-2026-${String(i + 1).padStart(4, '0')}`,
    regime,
    receivedDate,
    createdAt: `${receivedDate}T09:00:00Z`,
  };
  const days = 12 + ((i * 5) % 26) + (i % 13 === 0 ? 20 : 0);
  const dueIn = regime === 'CCPA' ? 45 : 30;
  const answered = (status: RequestOutcome['status'], extra: Partial<RequestOutcome>): RequestOutcome => ({
    ...base,
    dueDate: receivedDate,
    status,
    outcome: 'complied',
    daysToRespond: days,
    daysLate: Math.max(0, days - dueIn),
    respondedDate: receivedDate,
    extensions: i % 17 === 0 ? 1 : 0,
    ...extra,
  });
  if (i % 10 === 3)
    return answered('rejected', { outcome: 'denied', denialReason: DENIALS[i % DENIALS.length]! });
  if (i % 15 === 7) return answered('closed', { outcome: 'closedWithoutExport', daysLate: 0 });
  if (i >= 56) return { ...base, dueDate: '2026-12-30', status: 'exporting', outcome: 'open', extensions: 0 };
  return answered('delivered', {});
}

/** `report 2026`, with its CSV and a one-time link. */
export const REPORT: ReportCardModel = {
  metrics: yearMetrics(
    Array.from({ length: 60 }, (_, i) => outcome(i)),
    { from: '2026-01-01', to: '2026-12-31' },
    TODAY,
  ),
  file: {
    accountName: 'contosodsrexports',
    containerName: 'audit',
    name: 'reports/2026-01-01_2026-12-31/20261210T091500Z-4f2a9c1e.csv',
    bytes: 855,
    contentType: 'text/csv; charset=utf-8',
  },
  generatedAt: `${TODAY}T09:15:00.000Z`,
  download: {
    url: 'https://contoso-dsr.azurewebsites.net/audit-files/x',
    expiresAt: `${TODAY}T09:30:00.000Z`,
  },
};
