import { createPublicKey, generateKeyPairSync, randomUUID, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  DEMO_APP_CLIENT_ID,
  DEMO_APP_CLIENT_SECRET,
  DEMO_TENANT,
  DEMO_TENANT_ID,
  type SandboxApp,
  type SandboxTenant,
  type SandboxUser,
} from './demo-tenant';
import { createExportService, type DataPolicyOperation, type ExportServiceOptions } from './export-service';
import { graphError as graphErrorAt, HttpAnswer } from './http-answer';
import { decodeJwt, signJwt, verifyJwtSignature, type JwtPayload } from './jwt';

export type {
  DataPolicyOperation,
  ExportServiceOptions,
  LocationHeader,
  OperationStep,
  OperationVariant,
} from './export-service';
export type { PostThrottleOptions } from './post-throttle';

/**
 * The tenant sandbox: one HTTPS server that answers as Entra ID (token endpoint, OpenID metadata) and as
 * Microsoft Graph (users, checkMemberObjects, exportPersonalData, dataPolicyOperations) for a seeded tenant,
 * with the status codes, headers and error bodies the real services use, plus fault injection for tests.
 * The export part (exportPersonalData, dataPolicyOperations) lives in ./export-service.ts.
 */

export interface SandboxOptions extends ExportServiceOptions {
  readonly tls: { readonly cert: string; readonly key: string };
  readonly host?: string;
  readonly port?: number;
  readonly tenant?: SandboxTenant;
  readonly now?: () => Date;
}

export interface FaultRule {
  readonly method?: string;
  /** Matched against the path (no query string): a RegExp, or a substring. */
  readonly path: RegExp | string;
  /** How many requests it applies to; unlimited when absent. */
  times?: number;
  /** Answer with this Graph error instead of the real answer. */
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterSeconds?: number;
  /** Wait this long before answering (or before the fault). */
  readonly delayMs?: number;
  /** Destroy the connection without answering: before handling, or after the request took effect. */
  readonly drop?: 'before' | 'after';
}

export interface RecordedRequest {
  readonly time: Date;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  status: number;
}

export interface TenantSandbox {
  readonly origin: string;
  readonly authorityHost: string;
  readonly graphEndpoint: string;
  readonly tenant: SandboxTenant;
  readonly requests: RecordedRequest[];
  readonly operations: Map<string, DataPolicyOperation>;
  /** Adds a fault rule; returns a function that removes it. */
  inject(rule: FaultRule): () => void;
  clearFaults(): void;
  /** Changes the granted application permissions of an app (by client id) from now on. */
  setAppRoles(clientId: string, roles: readonly string[]): void;
  close(): Promise<void>;
}

/** The environment a bot needs to use this sandbox as its tenant: Entra ID, Graph and the demo app's credential. */
export function botEnvFor(
  sandbox: Pick<TenantSandbox, 'authorityHost' | 'graphEndpoint'>,
): Record<string, string> {
  return {
    AAD_APP_TENANT_ID: DEMO_TENANT_ID,
    AAD_APP_CLIENT_ID: DEMO_APP_CLIENT_ID,
    AAD_APP_CLIENT_SECRET: DEMO_APP_CLIENT_SECRET,
    AAD_APP_OAUTH_AUTHORITY_HOST: sandbox.authorityHost,
    GRAPH_ENDPOINT: sandbox.graphEndpoint,
  };
}

const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
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

export async function startTenantSandbox(options: SandboxOptions): Promise<TenantSandbox> {
  const tenant = options.tenant ?? DEMO_TENANT;
  const apps = new Map<string, SandboxApp>(tenant.apps.map((a) => [a.clientId, { ...a }]));
  const now = options.now ?? (() => new Date());
  const signingKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const faults: FaultRule[] = [];
  const requests: RecordedRequest[] = [];
  const exports = createExportService({ ...options, tenant, now });
  const sockets = new Set<Socket>();
  let origin = '';

  const graphError = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
    graphErrorAt(now(), status, code, message, headers);

  const aadError = (status: number, error: string, code: number, description: string) => {
    const trace = randomUUID();
    const correlation = randomUUID();
    const timestamp = now().toISOString().replace('T', ' ').replace('Z', 'Z');
    return new HttpAnswer(status, {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `${origin}/error?code=${code}`,
    });
  };

  const findUser = (idOrUpn: string): SandboxUser | undefined => {
    const key = decodeURIComponent(idOrUpn).toLowerCase();
    return tenant.users.find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key);
  };

  // ---------- Entra ID ----------

  function openIdConfiguration(tenantId: string) {
    const base = `${origin}/${tenantId}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${origin}/${tenantId}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${origin}/${tenantId}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${GRAPH_AUDIENCE}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'roles'],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'sandbox.local',
      cloud_graph_host_name: 'graph.sandbox.local',
      msgraph_host: new URL(origin).host,
      rbac_url: origin,
    };
  }

  function authenticateClient(tenantId: string, form: URLSearchParams): SandboxApp {
    const clientId = form.get('client_id') ?? '';
    const app = apps.get(clientId.toLowerCase());
    if (!app) {
      throw aadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (secret !== null) {
      if (!app.secrets.includes(secret)) {
        throw aadError(
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
        );
      }
      return app;
    }
    if (assertion !== null) {
      const jwt = decodeJwt(assertion);
      const tokenEndpoint = `${origin}/${tenantId}/oauth2/v2.0/token`;
      const signedByKnownCert =
        jwt !== undefined &&
        app.certificates.some((pem) => verifyJwtSignature(jwt, new X509Certificate(pem).publicKey));
      if (!jwt || !signedByKnownCert) {
        throw aadError(
          401,
          'invalid_client',
          700027,
          'The certificate with identifier used to sign the client assertion is not registered on application.',
        );
      }
      const p = jwt.payload;
      const expired = typeof p.exp !== 'number' || p.exp * 1000 < Date.now();
      if (expired || p.iss !== app.clientId || p.sub !== app.clientId || p.aud !== tokenEndpoint) {
        throw aadError(
          401,
          'invalid_client',
          700027,
          'Client assertion failed signature validation or is expired.',
        );
      }
      return app;
    }
    throw aadError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }

  function issueToken(tenantId: string, form: URLSearchParams) {
    if (tenantId.toLowerCase() !== tenant.id) {
      throw aadError(
        400,
        'invalid_tenant',
        90002,
        `Tenant '${tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    if (form.get('grant_type') !== 'client_credentials') {
      throw aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    const app = authenticateClient(tenantId, form);
    const scope = form.get('scope') ?? '';
    if (!scope.endsWith('/.default')) {
      throw aadError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const audience = scope.slice(0, -'/.default'.length);
    // Tokens live on the wall clock: @azure/identity caches them by real time, whatever `now` says.
    const iat = Math.floor(Date.now() / 1000);
    const payload: JwtPayload = {
      aud: audience,
      iss: `https://sts.windows.net/${tenant.id}/`,
      iat,
      nbf: iat,
      exp: iat + 3599,
      appid: app.clientId,
      app_displayname: app.displayName,
      idtyp: 'app',
      oid: app.clientId,
      sub: app.clientId,
      tid: tenant.id,
      roles: [...app.roles],
      ver: '1.0',
    };
    return {
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: signJwt(payload, signingKeys.privateKey, kid),
    };
  }

  // ---------- Graph ----------

  function authorize(req: IncomingMessage, anyOf: readonly string[][]): JwtPayload {
    const header = req.headers.authorization ?? '';
    const token = header.replace(/^Bearer\s+/i, '');
    if (token === '' || token === header) {
      throw graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    }
    const jwt = decodeJwt(token);
    if (!jwt || !verifyJwtSignature(jwt, signingKeys.publicKey)) {
      throw graphError(
        401,
        'InvalidAuthenticationToken',
        'IDX14100: JWT is not well formed or its signature is invalid.',
      );
    }
    const p = jwt.payload;
    if (typeof p.exp !== 'number' || p.exp * 1000 < Date.now()) {
      throw graphError(
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is expired.',
      );
    }
    if (p.aud !== GRAPH_AUDIENCE && p.aud !== origin) {
      throw graphError(
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure. Invalid audience.',
      );
    }
    if (p.tid !== tenant.id) {
      throw graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid tenant.');
    }
    const roles = Array.isArray(p.roles) ? (p.roles as unknown[]) : [];
    if (!anyOf.some((needed) => needed.every((r) => roles.includes(r)))) {
      throw graphError(
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );
    }
    return p;
  }

  const READ_USERS = [
    ['User.Read.All'],
    ['User.ReadWrite.All'],
    ['Directory.Read.All'],
    ['Directory.ReadWrite.All'],
  ];

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

  function parseSelect(q: URLSearchParams): string[] | undefined {
    const s = q.get('$select');
    return s === null
      ? undefined
      : s
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean);
  }

  const FILTERABLE = ['id', 'displayName', 'givenName', 'surname', 'userPrincipalName', 'mail'] as const;
  type Filterable = (typeof FILTERABLE)[number];
  type Token =
    | { readonly kind: 'string'; readonly value: string }
    | { readonly kind: 'word'; readonly value: string }
    | { readonly kind: '(' | ')' | ',' };

  const invalidFilter = (filter: string, why: string) =>
    graphError(400, 'BadRequest', `Invalid filter clause: ${why} in '${filter}'.`);

  /** OData tokens of a (URL-decoded) $filter: string literals with '' for a quote, words, ( ) and commas. */
  function filterTokens(filter: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < filter.length) {
      const c = filter[i]!;
      if (/\s/.test(c)) {
        i += 1;
      } else if (c === '(' || c === ')' || c === ',') {
        tokens.push({ kind: c });
        i += 1;
      } else if (c === "'") {
        let value = '';
        i += 1;
        for (;;) {
          if (i >= filter.length) throw invalidFilter(filter, 'unterminated string literal');
          if (filter[i] === "'") {
            if (filter[i + 1] !== "'") break;
            value += "'";
            i += 2;
          } else {
            value += filter[i];
            i += 1;
          }
        }
        i += 1;
        tokens.push({ kind: 'string', value });
      } else {
        const m = /^[A-Za-z0-9_.$/-]+/.exec(filter.slice(i));
        if (!m) throw invalidFilter(filter, `unexpected '${c}' at position ${i}`);
        tokens.push({ kind: 'word', value: m[0] });
        i += m[0].length;
      }
    }
    return tokens;
  }

  /**
   * Parses a URL-decoded $filter as OData, as Graph does, for what the bot uses on users: `prop eq 'text'`
   * and `startswith(prop,'text')` on id, displayName, givenName, surname, userPrincipalName and mail
   * (case-insensitive), combined with `and`, `or` and parentheses. Anything else is a 400.
   */
  function filterPredicate(filter: string): (u: SandboxUser) => boolean {
    const tokens = filterTokens(filter);
    let at = 0;
    const peek = () => tokens[at];
    const isWord = (t: Token | undefined, w: string): boolean =>
      t?.kind === 'word' && t.value.toLowerCase() === w;
    const expect = (kind: Token['kind']): Token => {
      const t = tokens[at];
      if (t?.kind !== kind) throw invalidFilter(filter, `expected '${kind}'`);
      at += 1;
      return t;
    };
    const property = (t: Token): Filterable => {
      const name = t.kind === 'word' ? t.value : '';
      const known = FILTERABLE.find((p) => p.toLowerCase() === name.toLowerCase());
      if (!known) {
        throw graphError(
          400,
          'Request_UnsupportedQuery',
          `Unsupported or invalid query filter clause specified for property '${name}' of resource 'User'.`,
        );
      }
      return known;
    };
    const literal = (): string => {
      const t = expect('string');
      return t.kind === 'string' ? t.value.toLowerCase() : '';
    };
    type Predicate = (u: SandboxUser) => boolean;
    const primary = (): Predicate => {
      const t = peek();
      if (t === undefined) throw invalidFilter(filter, 'unexpected end');
      if (t.kind === '(') {
        at += 1;
        const inner = orExpression();
        expect(')');
        return inner;
      }
      if (isWord(t, 'startswith')) {
        at += 1;
        expect('(');
        const prop = property(tokens[at++] ?? { kind: ',' });
        expect(',');
        const v = literal();
        expect(')');
        return (u) => u[prop].toLowerCase().startsWith(v);
      }
      const prop = property(t);
      at += 1;
      if (!isWord(peek(), 'eq')) throw invalidFilter(filter, `expected 'eq' after ${prop}`);
      at += 1;
      const v = literal();
      return (u) => u[prop].toLowerCase() === v;
    };
    const andExpression = (): Predicate => {
      const parts = [primary()];
      while (isWord(peek(), 'and')) {
        at += 1;
        parts.push(primary());
      }
      return (u) => parts.every((p) => p(u));
    };
    const orExpression = (): Predicate => {
      const parts = [andExpression()];
      while (isWord(peek(), 'or')) {
        at += 1;
        parts.push(andExpression());
      }
      return (u) => parts.some((p) => p(u));
    };
    const predicate = orExpression();
    if (at !== tokens.length) throw invalidFilter(filter, 'unexpected text after the expression');
    return predicate;
  }

  /**
   * `$search="displayName:adele"`: quoted `property:words` clauses joined with AND or OR (AND binds first);
   * a clause matches when every word starts a word of the property, as Graph's tokenized search. Anything
   * else is a 400, as Graph answers a $search it cannot parse.
   */
  function searchPredicate(search: string): (u: SandboxUser) => boolean {
    const syntaxError = () =>
      graphError(400, 'Request_UnsupportedQuery', `Syntax error: '${search}' is not a valid $search clause.`);
    const clause = /^\s*"([^":]+):([^"]*)"\s*/;
    const groups: { prop: string; words: string[] }[][] = [[]];
    let rest = search;
    for (;;) {
      const m = clause.exec(rest);
      if (!m) throw syntaxError();
      groups[groups.length - 1]!.push({ prop: m[1]!, words: m[2]!.toLowerCase().trim().split(/\s+/) });
      rest = rest.slice(m[0].length);
      if (rest === '') break;
      const op = /^(AND|OR)\s+/.exec(rest);
      if (!op) throw syntaxError();
      if (op[1] === 'OR') groups.push([]);
      rest = rest.slice(op[0].length);
    }
    const matches = (u: SandboxUser, { prop, words }: { prop: string; words: string[] }) => {
      const key = (['displayName', 'mail', 'userPrincipalName', 'givenName', 'surname'] as const).find(
        (k) => k.toLowerCase() === prop.toLowerCase(),
      );
      if (!key) return false;
      const own = u[key].toLowerCase().split(/[\s@._-]+/);
      return words.every((t) => own.some((w) => w.startsWith(t)));
    };
    return (u) => groups.some((group) => group.every((c) => matches(u, c)));
  }

  /** Graph (OData) refuses a system query option given more than once. */
  function refuseRepeatedOptions(q: URLSearchParams): void {
    const seen = new Set<string>();
    for (const key of q.keys()) {
      const option = key.toLowerCase();
      if (option.startsWith('$') && seen.has(option)) {
        throw graphError(
          400,
          'BadRequest',
          `Query option '${key}' was specified more than once, but it must be specified at most once.`,
        );
      }
      seen.add(option);
    }
  }

  function listUsers(req: IncomingMessage, q: URLSearchParams, version: string) {
    authorize(req, READ_USERS);
    let users = [...tenant.users];
    const filter = q.get('$filter');
    const search = q.get('$search');
    if (search !== null) {
      if (String(req.headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual') {
        throw graphError(
          400,
          'Request_UnsupportedQuery',
          "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
        );
      }
      users = users.filter(searchPredicate(search));
    }
    if (filter !== null) users = users.filter(filterPredicate(filter));
    const top = Math.min(Number(q.get('$top') ?? 100) || 100, 999);
    const select = parseSelect(q);
    const body: Record<string, unknown> = { '@odata.context': `${origin}/${version}/$metadata#users` };
    if (q.get('$count') === 'true') body['@odata.count'] = users.length;
    body.value = users.slice(0, top).map((u) => userResource(u, select));
    return body;
  }

  function notFound(id: string) {
    return graphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }

  function checkMemberObjects(req: IncomingMessage, idOrUpn: string, body: unknown) {
    authorize(req, READ_USERS);
    const user = findUser(idOrUpn);
    if (!user) throw notFound(idOrUpn);
    const ids = (body as { ids?: unknown })?.ids;
    if (!Array.isArray(ids) || ids.some((i) => typeof i !== 'string')) {
      throw graphError(
        400,
        'Request_BadRequest',
        "Invalid value specified for property 'ids' of resource 'DirectoryObject'.",
      );
    }
    const held = new Set(user.activeRoles);
    return {
      '@odata.context': `${origin}/v1.0/$metadata#Collection(Edm.String)`,
      value: (ids as string[]).filter((i) => held.has(i.toLowerCase())),
    };
  }

  // ---------- routing ----------

  async function route(req: IncomingMessage, url: URL, rawBody: string): Promise<HttpAnswer> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const json = (): unknown => {
      try {
        return rawBody === '' ? {} : JSON.parse(rawBody);
      } catch {
        throw graphError(
          400,
          'BadRequest',
          'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
        );
      }
    };
    let m: RegExpExecArray | null;
    if (method === 'GET' && (m = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path))) {
      return new HttpAnswer(200, openIdConfiguration(m[1]!));
    }
    if (method === 'GET' && (m = /^\/([^/]+)\/discovery\/v2\.0\/keys$/.exec(path))) {
      const jwk = createPublicKey(signingKeys.publicKey).export({ format: 'jwk' });
      return new HttpAnswer(200, { keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e }] });
    }
    if (method === 'POST' && (m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path))) {
      return new HttpAnswer(200, issueToken(m[1]!, new URLSearchParams(rawBody)));
    }
    m = /^\/(v1\.0|beta)(\/.*)$/.exec(path);
    if (m) {
      const version = m[1]!;
      const rest = m[2]!;
      refuseRepeatedOptions(url.searchParams);
      let r: RegExpExecArray | null;
      if (method === 'GET' && rest === '/users')
        return new HttpAnswer(200, listUsers(req, url.searchParams, version));
      if (method === 'GET' && (r = /^\/users\/([^/]+)$/.exec(rest))) {
        authorize(req, READ_USERS);
        const user = findUser(r[1]!);
        if (!user) throw notFound(decodeURIComponent(r[1]!));
        return new HttpAnswer(200, {
          '@odata.context': `${origin}/${version}/$metadata#users/$entity`,
          ...userResource(user, parseSelect(url.searchParams)),
        });
      }
      if (method === 'POST' && (r = /^\/users\/([^/]+)\/checkMemberObjects$/.exec(rest))) {
        return new HttpAnswer(200, checkMemberObjects(req, r[1]!, json()));
      }
      if (method === 'POST' && (r = /^\/users\/([^/]+)\/exportPersonalData$/.exec(rest))) {
        const caller = authorize(req, [['User.Export.All']]);
        const user = findUser(r[1]!);
        if (!user) throw notFound(decodeURIComponent(r[1]!));
        return exports.submit({ origin, version, tenantId: String(caller.tid) }, user, json());
      }
      if (method === 'GET' && (r = /^\/dataPolicyOperations\/([^/]+)$/.exec(rest))) {
        const caller = authorize(req, [
          ['User.Export.All', 'User.Read.All'],
          ['User.Export.All', 'Directory.Read.All'],
        ]);
        return exports.read({ origin, version, tenantId: String(caller.tid) }, decodeURIComponent(r[1]!));
      }
      throw graphError(
        400,
        'BadRequest',
        `Resource not found for the segment '${rest.split('/')[1] ?? ''}'.`,
      );
    }
    throw new HttpAnswer(404, {
      error: { code: 'NotFound', message: `No sandbox endpoint at ${method} ${path}` },
    });
  }

  function matchFault(method: string, path: string): FaultRule | undefined {
    const rule = faults.find(
      (f) =>
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path)) &&
        (f.times === undefined || f.times > 0),
    );
    if (rule && rule.times !== undefined) rule.times -= 1;
    return rule;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const record: RecordedRequest = { time: now(), method, path: url.pathname, query: url.search, status: 0 };
    requests.push(record);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');

    const fault = matchFault(method, url.pathname);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.drop === 'before') {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    let answer: HttpAnswer;
    if (fault?.status !== undefined) {
      const code =
        fault.code ??
        (fault.status === 429
          ? 'TooManyRequests'
          : fault.status >= 500
            ? 'ServiceUnavailable'
            : 'BadRequest');
      const message =
        fault.status === 429
          ? 'Too many requests.'
          : fault.status >= 500
            ? 'The service is temporarily unavailable.'
            : 'Injected fault.';
      answer = graphError(
        fault.status,
        code,
        message,
        fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {},
      );
    } else {
      try {
        answer = await route(req, url, rawBody);
      } catch (err) {
        answer =
          err instanceof HttpAnswer
            ? err
            : graphError(500, 'InternalServerError', err instanceof Error ? err.message : String(err));
      }
    }
    if (fault?.drop === 'after') {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    record.status = answer.status;
    const headers: Record<string, string> = {
      'request-id': randomUUID(),
      'client-request-id': String(req.headers['client-request-id'] ?? randomUUID()),
      ...answer.headers,
    };
    if (answer.body === undefined) {
      // No chaining: restify (when loaded in the same process) replaces writeHead with one that returns nothing.
      res.writeHead(answer.status, { ...headers, 'Content-Length': '0' });
      res.end();
    } else {
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        ...headers,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': String(Buffer.byteLength(text)),
      });
      res.end(text);
    }
  }

  const server: Server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  origin = `https://${options.host ?? '127.0.0.1'}:${address.port}`;

  return {
    origin,
    authorityHost: origin,
    graphEndpoint: origin,
    tenant,
    requests,
    operations: exports.operations,
    inject(rule) {
      const copy = { ...rule };
      faults.push(copy);
      return () => {
        const i = faults.indexOf(copy);
        if (i >= 0) faults.splice(i, 1);
      };
    },
    clearFaults() {
      faults.length = 0;
    },
    setAppRoles(clientId, roles) {
      const app = apps.get(clientId);
      if (!app) throw new Error(`No sandbox app ${clientId}`);
      apps.set(clientId, { ...app, roles: [...roles] });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
