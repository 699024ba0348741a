import { createPublicKey, randomUUID, X509Certificate } from 'node:crypto';
import type { SandboxApp } from './demo-tenant';
import { HttpError, ok } from './http-answer';
import { decodeJwt, signJwt, verifyJwtSignature, type JwtPayload } from './jwt';
import type { Route, SandboxRequest } from './router';
import { GRAPH_AUDIENCE, type SandboxState, type SigningKey } from './sandbox-state';

/**
 * The Entra ID room: OpenID metadata, the signing keys, and the token endpoint for the client credentials
 * flow, authenticating the app by client secret or by a client assertion signed with a registered
 * certificate. Refusals carry Entra ID's error shape and AADSTS codes.
 */
export function entraIdRoutes(state: SandboxState): Route<SandboxRequest>[] {
  return [
    {
      method: 'GET',
      path: /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/,
      answer: (_request, tenantId) => ok(openIdConfiguration(state.origin, tenantId)),
    },
    {
      method: 'GET',
      path: /^\/([^/]+)\/discovery\/v2\.0\/keys$/,
      answer: () => ok(jsonWebKeys(state.signing)),
    },
    {
      method: 'POST',
      path: /^\/([^/]+)\/oauth2\/v2\.0\/token$/,
      answer: (request, tenantId) => ok(issueToken(state, tenantId, new URLSearchParams(request.body))),
    },
  ];
}

function openIdConfiguration(origin: string, tenantId: string) {
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

function jsonWebKeys(signing: SigningKey) {
  const jwk = createPublicKey(signing.publicKey).export({ format: 'jwk' });
  return { keys: [{ kty: 'RSA', use: 'sig', kid: signing.kid, n: jwk.n, e: jwk.e }] };
}

/** A refusal in Entra ID's shape: `AADSTS{code}: …` with trace and correlation ids and a timestamp. */
function aadError(state: SandboxState, status: number, error: string, code: number, description: string) {
  const trace = randomUUID();
  const correlation = randomUUID();
  const timestamp = state.now().toISOString().replace('T', ' ').replace('Z', 'Z');
  return new HttpError({
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `${state.origin}/error?code=${code}`,
    },
    headers: {},
  });
}

function authenticateClient(state: SandboxState, tenantId: string, form: URLSearchParams): SandboxApp {
  const clientId = form.get('client_id') ?? '';
  const app = state.apps.get(clientId.toLowerCase());
  if (!app) {
    throw aadError(
      state,
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${state.tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret !== null) {
    if (!app.secrets.includes(secret)) {
      throw aadError(
        state,
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
    const tokenEndpoint = `${state.origin}/${tenantId}/oauth2/v2.0/token`;
    const signedByKnownCert =
      jwt !== undefined &&
      app.certificates.some((pem) => verifyJwtSignature(jwt, new X509Certificate(pem).publicKey));
    if (!jwt || !signedByKnownCert) {
      throw aadError(
        state,
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
        state,
        401,
        'invalid_client',
        700027,
        'Client assertion failed signature validation or is expired.',
      );
    }
    return app;
  }
  throw aadError(
    state,
    401,
    'invalid_client',
    7000218,
    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  );
}

function issueToken(state: SandboxState, tenantId: string, form: URLSearchParams) {
  const { tenant } = state;
  if (tenantId.toLowerCase() !== tenant.id) {
    throw aadError(
      state,
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  }
  if (form.get('grant_type') !== 'client_credentials') {
    throw aadError(
      state,
      400,
      'unsupported_grant_type',
      70003,
      'The app requested an unsupported grant type.',
    );
  }
  const app = authenticateClient(state, tenantId, form);
  const scope = form.get('scope') ?? '';
  if (!scope.endsWith('/.default')) {
    throw aadError(
      state,
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
    access_token: signJwt(payload, state.signing.privateKey, state.signing.kid),
  };
}
