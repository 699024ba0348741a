import type { SandboxTenant, SandboxUser } from './demo-tenant';
import { authorizeGraphCall, READ_USERS } from './graph-authorization';
import { graphError, ok, type HttpAnswer, type HttpError } from './http-answer';
import type { GraphRequest, Route } from './router';
import type { SandboxState } from './sandbox-state';
import { filterPredicate, parseSelect, searchPredicate } from './user-query';

/**
 * The Graph users room: GET /users (with $filter, $search, $select, $top and $count), GET /users/{id or UPN}
 * and POST /users/{id}/checkMemberObjects (the directory roles a user holds now, not the PIM-eligible ones).
 */
export function graphUserRoutes(state: SandboxState): Route<GraphRequest>[] {
  return [
    { method: 'GET', path: /^\/users$/, answer: (request) => listUsers(state, request) },
    { method: 'GET', path: /^\/users\/([^/]+)$/, answer: (request, id) => getUser(state, request, id) },
    {
      method: 'POST',
      path: /^\/users\/([^/]+)\/checkMemberObjects$/,
      // The body is read first: a body that is not JSON is refused before the token is looked at.
      answer: (request, id) => checkMemberObjects(state, request, id, request.json()),
    },
  ];
}

/** A user by object id or UPN (URL-encoded, any case). */
export function findUser(tenant: SandboxTenant, idOrUpn: string): SandboxUser | undefined {
  const key = decodeURIComponent(idOrUpn).toLowerCase();
  return tenant.users.find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key);
}

/** Graph's 404 for a user it does not know. */
export function userNotFound(now: Date, id: string): HttpError {
  return graphError(
    now,
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

const USER_DEFAULT_FIELDS = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

function userResource(u: SandboxUser, select: string[] | undefined): Record<string, unknown> {
  const all: Record<string, unknown> = {
    businessPhones: [],
    displayName: u.displayName,
    givenName: u.givenName,
    jobTitle: u.jobTitle,
    mail: u.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    surname: u.surname,
    userPrincipalName: u.userPrincipalName,
    id: u.id,
    department: u.department,
    accountEnabled: true,
  };
  const fields = select ?? [...USER_DEFAULT_FIELDS];
  return Object.fromEntries(fields.filter((f) => f in all).map((f) => [f, all[f]]));
}

function listUsers(state: SandboxState, request: GraphRequest): HttpAnswer {
  authorizeGraphCall(state, request.headers, READ_USERS);
  const q = request.url.searchParams;
  let users = [...state.tenant.users];
  const filter = q.get('$filter');
  const search = q.get('$search');
  if (search !== null) {
    if (String(request.headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual') {
      throw graphError(
        state.now(),
        400,
        'Request_UnsupportedQuery',
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      );
    }
    users = users.filter(searchPredicate(search, state.now));
  }
  if (filter !== null) users = users.filter(filterPredicate(filter, state.now));
  const top = Math.min(Number(q.get('$top') ?? 100) || 100, 999);
  const select = parseSelect(q);
  const body: Record<string, unknown> = {
    '@odata.context': `${state.origin}/${request.version}/$metadata#users`,
  };
  if (q.get('$count') === 'true') body['@odata.count'] = users.length;
  body.value = users.slice(0, top).map((u) => userResource(u, select));
  return ok(body);
}

function getUser(state: SandboxState, request: GraphRequest, idOrUpn: string): HttpAnswer {
  authorizeGraphCall(state, request.headers, READ_USERS);
  const user = findUser(state.tenant, idOrUpn);
  if (!user) throw userNotFound(state.now(), decodeURIComponent(idOrUpn));
  return ok({
    '@odata.context': `${state.origin}/${request.version}/$metadata#users/$entity`,
    ...userResource(user, parseSelect(request.url.searchParams)),
  });
}

function checkMemberObjects(
  state: SandboxState,
  request: GraphRequest,
  idOrUpn: string,
  body: unknown,
): HttpAnswer {
  authorizeGraphCall(state, request.headers, READ_USERS);
  const user = findUser(state.tenant, idOrUpn);
  if (!user) throw userNotFound(state.now(), idOrUpn);
  const ids = (body as { ids?: unknown })?.ids;
  if (!Array.isArray(ids) || ids.some((i) => typeof i !== 'string')) {
    throw graphError(
      state.now(),
      400,
      'Request_BadRequest',
      "Invalid value specified for property 'ids' of resource 'DirectoryObject'.",
    );
  }
  const held = new Set(user.activeRoles);
  return ok({
    '@odata.context': `${state.origin}/v1.0/$metadata#Collection(Edm.String)`,
    value: (ids as string[]).filter((i) => held.has(i.toLowerCase())),
  });
}
