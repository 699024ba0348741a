/**
 * The seeded demo tenant of the tenant sandbox. Its people are those the Microsoft 365 Agents Playground
 * shows (Alex Wilber, Megan Bowen, Adele Vance …) with the same ids as `.m365agentsplayground.yml`, so a
 * message typed in the Playground arrives from a user the sandbox's Graph knows. A test keeps both in step.
 */

export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  complianceAdministrator: '17315797-102d-40b4-93e0-432062caca18',
  complianceDataAdministrator: 'e6d1a23a-da11-4be4-9570-befc86d067a7',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
} as const;

export interface SandboxUser {
  readonly id: string;
  readonly displayName: string;
  readonly givenName: string;
  readonly surname: string;
  readonly userPrincipalName: string;
  readonly mail: string;
  readonly jobTitle: string | null;
  readonly department: string | null;
  /** The Teams user id the Playground gives this person, when the Playground shows them. */
  readonly teamsId?: string;
  /** Directory role template ids the user holds now (active assignments). */
  readonly activeRoles: readonly string[];
  /** PIM-eligible roles: not active, so Graph's checkMemberObjects does not return them. */
  readonly eligibleRoles: readonly string[];
}

export interface SandboxApp {
  readonly clientId: string;
  readonly displayName: string;
  /** Client secrets accepted for this app. */
  readonly secrets: readonly string[];
  /** PEM certificates whose private keys may sign client assertions for this app. */
  readonly certificates: readonly string[];
  /** Application permissions granted with admin consent (the token's `roles` claim). */
  readonly roles: readonly string[];
}

export interface SandboxTenant {
  readonly id: string;
  readonly displayName: string;
  readonly users: readonly SandboxUser[];
  readonly apps: readonly SandboxApp[];
}

export const DEMO_TENANT_ID = 'c0a70500-0000-4000-8000-000000000001';
export const DEMO_APP_CLIENT_ID = 'c0a70500-0000-4000-8000-0000000000a1';
/** The demo app's client secret: a sandbox value with no meaning outside this repository. */
export const DEMO_APP_CLIENT_SECRET = 'sandbox-client-secret-not-a-real-secret';
export const DEMO_BOT_ID = 'c0a70500-0000-4000-8000-0000000000b0';

const user = (
  n: number,
  displayName: string,
  alias: string,
  extra: Partial<SandboxUser> = {},
): SandboxUser => {
  const [givenName = displayName, ...rest] = displayName.split(' ');
  return {
    id: `c0a70500-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`,
    displayName,
    givenName,
    surname: rest.join(' '),
    userPrincipalName: `${alias}@contoso.com`,
    mail: `${alias}@contoso.com`,
    jobTitle: null,
    department: null,
    activeRoles: [],
    eligibleRoles: [],
    ...extra,
  };
};

export const DEMO_USERS: readonly SandboxUser[] = [
  user(0, 'Alex Wilber', 'alexw', {
    teamsId: 'user-id-0',
    jobTitle: 'IT Administrator',
    department: 'IT',
    activeRoles: [ROLE.globalAdministrator],
  }),
  user(1, 'Megan Bowen', 'meganb', {
    teamsId: 'user-id-1',
    jobTitle: 'Security Lead',
    department: 'IT',
    activeRoles: [ROLE.globalAdministrator],
  }),
  user(2, 'Adele Vance', 'adelev', {
    teamsId: 'user-id-2',
    jobTitle: 'Retail Manager',
    department: 'Retail',
  }),
  user(3, 'Isaiah Langer', 'isaiahl', { teamsId: 'user-id-3', jobTitle: 'Sales Rep', department: 'Sales' }),
  user(4, 'Patti Fernandez', 'pattif', {
    teamsId: 'user-id-4',
    jobTitle: 'Privacy Officer',
    department: 'Legal',
    activeRoles: [ROLE.complianceAdministrator],
  }),
  user(5, 'Lynne Robbins', 'lynner', {
    teamsId: 'user-id-5',
    jobTitle: 'Helpdesk Lead',
    department: 'IT',
    eligibleRoles: [ROLE.globalAdministrator],
  }),
  user(6, 'Diego Siciliani', 'diegos', { jobTitle: 'HR Manager', department: 'HR' }),
  user(7, 'Adele Varga', 'adelevarga', { jobTitle: 'Accountant', department: 'Finance' }),
  user(8, 'Lee Gu', 'leeg', { jobTitle: 'Director', department: 'Manufacturing' }),
  user(9, 'Nestor Wilke', 'nestorw', { jobTitle: 'Director', department: 'Operations' }),
  user(10, 'Johanna Lorenz', 'johannal', { jobTitle: 'Senior Engineer', department: 'Engineering' }),
  user(11, 'Grady Archie', 'gradya', { jobTitle: 'Designer', department: 'R&D' }),
];

export const DEMO_APP: SandboxApp = {
  clientId: DEMO_APP_CLIENT_ID,
  displayName: 'DSR Export Bot (sandbox)',
  secrets: [DEMO_APP_CLIENT_SECRET],
  certificates: [],
  roles: ['User.Export.All', 'User.Read.All'],
};

export const DEMO_TENANT: SandboxTenant = {
  id: DEMO_TENANT_ID,
  displayName: 'Contoso (sandbox)',
  users: DEMO_USERS,
  apps: [DEMO_APP],
};
