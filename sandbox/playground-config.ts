import { stringify } from 'yaml';
import { DEMO_BOT_ID, DEMO_TENANT_ID, DEMO_USERS, type SandboxUser } from './demo-tenant';

/**
 * The Microsoft 365 Agents Playground configuration (`.m365agentsplayground.yml`, schema 0.1.1) for the
 * sandbox's demo tenant: same tenant id, same people, same object ids, so that what the Playground sends
 * is what the sandbox's Graph knows. `currentUser` is the person typing.
 */
export function playgroundConfig(currentUserName = 'Alex Wilber'): string {
  const inPlayground = DEMO_USERS.filter((u) => u.teamsId !== undefined);
  const current = inPlayground.find((u) => u.displayName === currentUserName);
  if (!current) {
    throw new Error(
      `"${currentUserName}" is not a Playground user; choose one of ${inPlayground.map((u) => u.displayName).join(', ')}.`,
    );
  }
  const entry = (u: SandboxUser) => ({
    id: u.teamsId,
    name: u.displayName,
    userPrincipleName: u.userPrincipalName, // sic: the Playground schema's spelling
    aadObjectId: u.id,
    givenName: u.givenName,
    surname: u.surname,
    email: u.mail,
  });
  const config = {
    version: '0.1.1',
    tenantId: DEMO_TENANT_ID,
    bot: { id: DEMO_BOT_ID, name: 'DSR Export Bot' },
    currentUser: entry(current),
    users: inPlayground.filter((u) => u !== current).map(entry),
    personalChat: { id: 'a:sandbox-personal-chat' },
    groupChat: { id: '19:sandbox-group-chat@thread.v2', name: 'Privacy team chat' },
    team: {
      id: '19:sandbox-team-general@thread.tacv2',
      name: 'Privacy',
      aadGroupId: 'c0a70500-0000-4000-8000-000000000c01',
      channels: [{ id: '19:sandbox-approvals@thread.tacv2', name: 'DSR approvals' }],
    },
  };
  return [
    '# Microsoft 365 Agents Playground configuration for `npm start`. Its people are the tenant sandbox users',
    '# (sandbox/demo-tenant.ts) with the same ids; a test keeps the two in step. Swap currentUser with one of',
    '# the users to chat as someone else, or run `npm start -- --as "Adele Vance"`.',
    stringify(config),
  ].join('\n');
}
