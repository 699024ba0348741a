import { AZURITE_ACCOUNT } from '../sandbox/embedded-azurite';
import { DEMO_TENANT_ID, DEMO_USERS } from '../sandbox/demo-tenant';
import type { ApprovalCardModel, PortalLinks } from '../src/cards/approval-card';
import type { AuditAction, AuditEvent } from '../src/domain/audit';
import { daysLate } from '../src/domain/deadline';
import type { Actor, ExportRequest, ExportState, Regime, RequestStatus } from '../src/domain/export-request';
import { dueDate } from '../src/domain/policies';

/**
 * The sample requests `npm run pictures` draws (scripts/card-pictures.ts): people of the demo tenant, Adele
 * Vance's GDPR request with its audit trail, the first page of the open requests, and the approval card of
 * Adele's request at four moments of its life.
 */

/** The day the status card and the open requests card are drawn on. */
export const TODAY = '2026-12-10';

/** A person of the demo tenant, as the directory describes them and as Teams names them. */
function person(name: string) {
  const u = DEMO_USERS.find((x) => x.displayName === name);
  if (!u) throw new Error(`${name} is not in the demo tenant`);
  const { id, displayName, userPrincipalName, mail, jobTitle, department } = u;
  const actor: Actor = { aadObjectId: id, name };
  return { actor, user: { id, displayName, userPrincipalName, mail, jobTitle, department } };
}

const ALEX = person('Alex Wilber').actor;
const MEGAN = person('Megan Bowen').actor;
const PATTI = person('Patti Fernandez').actor;

/** A request Alex Wilber entered, due when its regime says. */
function request(n: number, name: string, regime: Regime, received: string, status: RequestStatus) {
  return {
    id: `DSR-2026-${String(n).padStart(4, '0')}`,
    status,
    subject: person(name).user,
    requester: ALEX,
    regime,
    receivedDate: received,
    dueDate: dueDate(regime, received),
    reference: `SR-${1000 + n}`,
    justification: 'Access request received by email.',
    createdAt: `${received}T10:00:00Z`,
    requestedIn: { id: 'a:1', type: 'personal' },
  } satisfies ExportRequest;
}

/** Adele Vance's GDPR request: identity checked, approved, exported, then extended by a month. */
const adele = request(42, 'Adele Vance', 'GDPR', '2026-11-20', 'completed');
const extension = { by: PATTI, at: '2026-12-08T16:40:00Z', fromDue: adele.dueDate, toDue: '2027-01-20' };
const FOLDERS = [
  { name: 'Exchange', files: 31, bytes: 1_503_238_553 },
  { name: 'OneDrive', files: 18, bytes: 396_361_728 },
  { name: 'Teams', files: 11, bytes: 12_897_484 },
  { name: 'AzureAD', files: 3, bytes: 104_859 },
];
const sum = (key: 'files' | 'bytes') => FOLDERS.reduce((n, f) => n + f[key], 0);
const done = '2026-11-23T07:58:41Z';
const EXPORTED: ExportState = {
  attempt: 1,
  containerName: 'dsr-2026-0042',
  accountName: 'contosodsrexports',
  throttled: 0,
  submittedAt: '2026-11-21T09:13:04Z',
  polls: 14,
  pollErrors: 0,
  operationStatus: 'succeeded',
  progress: 100,
  lastCheckedAt: done,
  completedAt: done,
  contents: { files: sum('files'), bytes: sum('bytes'), folders: FOLDERS },
};
export const ADELE: ExportRequest = {
  ...adele,
  requester: PATTI,
  justification: 'Article 15 access request sent to privacy@contoso.com.',
  dueDate: extension.toDue,
  identity: { method: 'hrRecords', note: 'employee no. 20417', by: PATTI, at: '2026-11-20T14:05:00Z' },
  decision: { verdict: 'approved', by: MEGAN, at: '2026-11-21T09:12:00Z', firstAttempt: 1 },
  extensions: [{ ...extension, reason: 'nine years of mailbox archive to review for third-party data' }],
  export: EXPORTED,
};

function event(at: string, action: AuditAction, who?: Actor): AuditEvent {
  return { at: `2026-${at}:00Z`, action, actor: who ?? {}, outcome: 'ok', requestId: ADELE.id };
}

/** Its audit trail, noise included (the timeline leaves out the notice sent). */
export const AUDIT: AuditEvent[] = [
  event('11-20T13:52', 'request.created', PATTI),
  event('11-20T14:05', 'identity.recorded', PATTI),
  event('11-20T14:06', 'card.posted'),
  event('11-21T09:12', 'request.approved', MEGAN),
  event('11-21T09:13', 'export.submitted'),
  event('11-21T09:43', 'export.statusChanged'),
  event('11-23T07:58', 'export.completed'),
  event('11-23T07:59', 'notification.sent'),
  event('12-08T16:40', 'deadline.extended', PATTI),
];

/** The first page of the open requests, by due date: one overdue, one due within a week. */
export const OPEN: ExportRequest[] = [
  request(31, 'Diego Siciliani', 'CCPA', '2026-10-23', 'completed'),
  request(38, 'Isaiah Langer', 'GDPR', '2026-11-14', 'exporting'),
  request(44, 'Lee Gu', 'GDPR', '2026-11-28', 'failed'),
  request(49, 'Grady Archie', 'GDPR', '2026-12-09', 'pendingApproval'),
  ADELE,
  request(47, 'Johanna Lorenz', 'CCPA', '2026-12-08', 'pendingApproval'),
];

/** The Azure portal of the demo tenant, as the status card links to it. */
export const PORTAL: PortalLinks = { host: 'https://portal.azure.com', tenantId: DEMO_TENANT_ID };

/** `npm start`'s sandbox: its console shows a container, and the export lands in Azurite's account. */
const SANDBOX: PortalLinks = { ...PORTAL, localConsoleUrl: 'http://localhost:56160' };
const inSandbox: ExportState = { ...EXPORTED, accountName: AZURITE_ACCOUNT };

/** Adele's request as it was before the extension: due a month after it was received. */
const unextended: ExportRequest = { ...ADELE, dueDate: adele.dueDate, extensions: undefined };

/** Entered by Patti with the identity check recorded, waiting for a second admin. */
const pending: ExportRequest = {
  ...unextended,
  status: 'pendingApproval',
  decision: undefined,
  export: undefined,
};

/** Approved by Megan; Graph is at 40 % two and a half hours after the submission. */
const exporting: ExportRequest = {
  ...unextended,
  status: 'exporting',
  export: {
    ...inSandbox,
    polls: 5,
    operationStatus: 'running',
    progress: 40,
    lastCheckedAt: '2026-11-21T11:43:02Z',
    completedAt: undefined,
    contents: undefined,
  },
};

/** Exported: the container holds 63 files in four folders. */
const completed: ExportRequest = { ...unextended, export: inSandbox };

/** Extended to 2027-01-20, then delivered by secure link two days after it: the clock stopped. */
const deliveredOn = '2027-01-22';
const delivered: ExportRequest = {
  ...ADELE,
  status: 'delivered',
  export: inSandbox,
  delivery: {
    date: deliveredOn,
    method: 'secureLink',
    note: 'Download link sent to the address on file; it expires after seven days.',
    by: PATTI,
    at: `${deliveredOn}T15:20:00Z`,
    daysLate: daysLate(ADELE.dueDate, deliveredOn),
  },
};

/** The card everyone in the channel sees once the request is decided (each viewer's own view before). */
const shared = (r: ExportRequest, today: string): ApprovalCardModel => ({
  request: r,
  view: 'viewer',
  today,
  refreshUserIds: [],
  shared: true,
  portal: SANDBOX,
});

/** The approval card's pictures: file name and model. */
export const APPROVAL_PICTURES: readonly { readonly file: string; readonly model: ApprovalCardModel }[] = [
  {
    file: 'approval-pending.png',
    model: { request: pending, view: 'decider', today: '2026-11-20', refreshUserIds: [], portal: SANDBOX },
  },
  { file: 'approval-exporting.png', model: shared(exporting, '2026-11-21') },
  { file: 'approval-completed.png', model: shared(completed, '2026-11-23') },
  { file: 'approval-delivered.png', model: shared(delivered, deliveredOn) },
];
