import { readFileSync } from 'node:fs';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import { Client, MiddlewareFactory, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { Config } from '../../config';
import { reusingTokens } from './token-reuse';

type GraphSettings = Pick<Config, 'tenantId' | 'graph' | 'auth'>;

/**
 * Builds the application credential from configuration: a client secret, a certificate, or (with neither)
 * a managed identity. A non-Microsoft authority host (the sandbox) gets `disableInstanceDiscovery`.
 */
export function createGraphCredential(config: GraphSettings): TokenCredential {
  const options = {
    authorityHost: config.auth.authorityHost,
    disableInstanceDiscovery: config.auth.disableInstanceDiscovery,
    retryOptions: { maxRetries: 2, retryDelayInMs: 500 },
  };
  const cred = config.auth.credential;
  switch (cred.kind) {
    case 'clientSecret':
      return new ClientSecretCredential(config.tenantId, cred.clientId, cred.secret.reveal(), options);
    case 'certificate': {
      // Read it now so a wrong path fails at start-up, naming the variable, not at the first Graph call.
      let certificate: string;
      try {
        certificate = readFileSync(cred.certificatePath, 'utf8');
      } catch (err) {
        throw new Error(
          `AAD_APP_CERTIFICATE_PATH: cannot read ${cred.certificatePath} (${(err as NodeJS.ErrnoException).code ?? 'error'}): it must be a PEM file holding the certificate and its private key.`,
        );
      }
      return new ClientCertificateCredential(config.tenantId, cred.clientId, { certificate }, options);
    }
    case 'managedIdentity':
      return cred.clientId
        ? new ManagedIdentityCredential({ clientId: cred.clientId })
        : new ManagedIdentityCredential();
  }
}

/** The scope for application tokens of this Graph endpoint, e.g. https://graph.microsoft.com/.default */
export function graphScope(config: Pick<Config, 'graph'>): string {
  return `${config.graph.endpoint}/.default`;
}

/**
 * The last link of the Graph client's chain. The stock HTTPMessageHandler lets fetch's "fetch failed" through
 * and the client then drops its cause; this one keeps the network error code (ECONNREFUSED, ENOTFOUND …) in
 * the message so the bot can say what is wrong.
 */
class FetchHandler implements Middleware {
  constructor(private readonly timeoutMs: number) {}

  async execute(context: Context): Promise<void> {
    try {
      // Every call has a deadline: a Graph that never answers must not hold a turn or a job forever.
      const signal = AbortSignal.timeout(this.timeoutMs);
      // The Graph client types these with DOM's RequestInfo/RequestInit, which this Node project does not load.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-argument
      context.response = await fetch(context.request, { ...context.options, signal });
    } catch (err) {
      if (err instanceof Error && err.name === 'TimeoutError') {
        throw new Error(`ETIMEDOUT: Microsoft Graph did not answer within ${this.timeoutMs / 1000} s`);
      }
      let cause: unknown = err;
      let code: string | undefined;
      for (let i = 0; i < 5 && cause && !code; i++) {
        const c = (cause as { code?: unknown }).code;
        if (typeof c === 'string') code = c;
        cause = (cause as { cause?: unknown }).cause;
      }
      throw new Error(`${code ?? 'ENETWORK'}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/**
 * A Microsoft Graph client that attaches the application token. The endpoint's host joins `customHosts`,
 * without which the client would silently send requests to a non-Microsoft host with no token.
 */
/** How long one Graph call may take before it counts as unanswered. */
export const GRAPH_CALL_TIMEOUT_MS = 30_000;

export function createGraphClient(
  config: GraphSettings,
  credential: TokenCredential,
  timeoutMs = GRAPH_CALL_TIMEOUT_MS,
): Client {
  const authProvider = new TokenCredentialAuthenticationProvider(reusingTokens(credential), {
    scopes: [graphScope(config)],
  });
  const chain = MiddlewareFactory.getDefaultMiddlewareChain(authProvider);
  chain[chain.length - 1] = new FetchHandler(timeoutMs);
  return Client.initWithMiddleware({
    middleware: chain,
    baseUrl: `${config.graph.endpoint}/`,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(config.graph.endpoint).hostname]),
  });
}
