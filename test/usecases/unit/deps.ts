import { DEMO_TENANT_ID, ROLE } from '../../../sandbox/demo-tenant';
import type { ExportRequest } from '../../../src/domain/export-request';
import type { DirectoryUser } from '../../../src/domain/ports';
import type { ApplyEventDeps } from '../../../src/usecases/apply-event';
import type { DecideDeps } from '../../../src/usecases/decide-approval';
import type { ExportDeps } from '../../../src/usecases/run-export';
import type { Caller } from '../../../src/usecases/who-am-i';
import { demoUser, fakePorts, type FakePorts } from '../../support/fakes';

export const ALEX = demoUser('Alex Wilber'); // Global Administrator; the requester here
export const MEGAN = demoUser('Megan Bowen'); // Global Administrator
export const PATTI = demoUser('Patti Fernandez'); // Compliance Administrator
export const ISAIAH = demoUser('Isaiah Langer'); // no admin role
export const ADELE = demoUser('Adele Vance'); // the data subject

export const HOME_TENANT = DEMO_TENANT_ID;
export const ALLOWED_ROLES = [ROLE.globalAdministrator, ROLE.complianceAdministrator];
export const APPROVALS = '19:approvals@thread.tacv2';
/** The approval card's thread, where its buttons are clicked. */
export const CARD_THREAD = `${APPROVALS};messageid=1700000000001`;

/** Who clicks, as Teams says: home tenant unless told otherwise. */
export function caller(user: DirectoryUser, tenantId: string | undefined = HOME_TENANT): Caller {
  return { aadObjectId: user.id, name: user.displayName, tenantId };
}

export const actor = (user: DirectoryUser) => ({ aadObjectId: user.id, name: user.displayName });

/** A request by Alex about Adele, waiting for a decision, its approval card in the approvals channel. */
export function pendingRequest(id = 'DSR-2026-0001', createdAt = '2026-11-22T08:00:00.000Z'): ExportRequest {
  return {
    id,
    status: 'pendingApproval',
    subject: ADELE,
    requester: actor(ALEX),
    regime: 'GDPR',
    receivedDate: '2026-11-20',
    dueDate: '2026-12-20',
    reference: 'SR-1',
    justification: 'Subject access request.',
    createdAt,
    requestedIn: { id: 'a:alex', type: 'personal' },
    identity: { method: 'corporateSignIn', note: '', by: actor(ALEX), at: createdAt },
    approvalCard: {
      conversationId: CARD_THREAD,
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      activityId: '1700000000001',
      postedAt: createdAt,
    },
  };
}

/** Every port in memory, and the deps of every use case over them. */
export interface UnitWorld extends FakePorts {
  readonly applyDeps: ApplyEventDeps;
  readonly decideDeps: DecideDeps;
  readonly exportDeps: ExportDeps;
}

export const ROLE_CHECK_BUDGET_MS = 2000;

export function unitWorld(start = '2026-11-22T09:00:00.000Z'): UnitWorld {
  const ports = fakePorts(start);
  const applyDeps: ApplyEventDeps = {
    requests: ports.requests,
    audit: ports.audit,
    jobs: ports.jobs,
    clock: ports.clock,
    newId: ports.newId,
  };
  return {
    ...ports,
    applyDeps,
    decideDeps: {
      ...applyDeps,
      directory: ports.directory,
      homeTenantId: HOME_TENANT,
      allowedRoleIds: ALLOWED_ROLES,
      roleCheckBudgetMs: ROLE_CHECK_BUDGET_MS,
      after: (ms) => ports.clock.sleep(ms),
    },
    exportDeps: {
      ...applyDeps,
      exporter: ports.exporter,
      destinations: ports.destinations,
      submissions: ports.submissions,
    },
  };
}

/** The types of the jobs waiting in the queue, in due order. */
export function waitingJobTypes(world: FakePorts): string[] {
  return world.jobs.waiting().map((w) => w.job.type);
}

/** Lets pending promise callbacks run until `done()` holds (no timers; fails after many turns). */
export async function until(done: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 1000; turn++) {
    if (done()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`Never happened: ${what}`);
}
