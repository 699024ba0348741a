import type { ConversationRef } from '../../../src/domain/export-request';
import type { IntakeReply, SubjectQuery } from '../../../src/domain/intake';
import type { IntakeDraft } from '../../../src/domain/intake-draft';
import type { DirectoryUser } from '../../../src/domain/ports';
import { DEFAULT_APPROVAL_TIMERS } from '../../../src/domain/workflow';
import { startIntake, type IntakeDeps } from '../../../src/usecases/intake';
import type { Caller } from '../../../src/usecases/who-am-i';
import { demoUser, fakePorts, type FakePorts } from '../../support/fakes';

export { demoUser };
import { ALEX, ALLOWED_ROLES, caller, HOME_TENANT } from './deps';

/** Every port in memory, and intake's deps over them. Draft ids are UUIDs, numbered from 1. */
export interface IntakeWorld extends FakePorts {
  readonly deps: IntakeDeps;
  /** The id the next draft gets. */
  nextDraftId(): string;
  /** The stored draft, or a failure naming the id. */
  draft(id: string): Promise<IntakeDraft>;
}

const draftId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export function intakeWorld(
  options: { readonly approvalsChannelId?: string; readonly start?: string } = {},
): IntakeWorld {
  const ports = fakePorts(options.start ?? '2026-11-22T09:00:00.000Z');
  let drafts = 0;
  const deps: IntakeDeps = {
    directory: ports.directory,
    drafts: ports.drafts,
    requests: ports.requests,
    audit: ports.audit,
    settings: ports.settings,
    jobs: ports.jobs,
    clock: ports.clock,
    newId: () => draftId(++drafts),
    homeTenantId: HOME_TENANT,
    allowedRoleIds: ALLOWED_ROLES,
    approvalsChannelId: options.approvalsChannelId,
    approvalTimers: DEFAULT_APPROVAL_TIMERS,
  };
  return {
    ...ports,
    deps,
    nextDraftId: () => draftId(drafts + 1),
    async draft(id) {
      const found = await ports.drafts.get(id);
      if (!found) throw new Error(`No draft ${id} is stored.`);
      return found.value;
    },
  };
}

/** Each person's 1:1 chat with the bot. */
export const chatOf = (who: DirectoryUser): ConversationRef => ({
  id: `a:personal-${who.id}`,
  type: 'personal',
});

/** "export data for …" said by `who` (Alex by default) in their own chat. */
export function startWith(
  w: IntakeWorld,
  subject: SubjectQuery,
  who: Caller = caller(ALEX),
): Promise<IntakeReply> {
  return startIntake(w.deps, {
    caller: who,
    conversation: { id: `a:personal-${who.aadObjectId}`, type: 'personal' },
    subject,
    regime: undefined,
  });
}

/** "export data for <sign-in name>". */
export const askFor = (w: IntakeWorld, subject: DirectoryUser, who?: Caller): Promise<IntakeReply> =>
  startWith(w, { kind: 'text', text: subject.userPrincipalName }, who);

/** The draft id of a reply that names one. */
export function draftIdOf(reply: IntakeReply): string {
  if (!('draftId' in reply)) throw new Error(`No draft in ${JSON.stringify(reply)}`);
  return reply.draftId;
}

export const VALID_FORM = {
  regime: 'GDPR',
  receivedDate: '2026-11-20',
  reference: 'SR-1001',
  justification: 'Subject access request received by email.',
};
