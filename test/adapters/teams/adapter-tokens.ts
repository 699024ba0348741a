import { createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Bot Framework tokens for tests: what the Teams channel sends, and the forgeries it must never accept. */

/** The issuer of tokens from the Bot Framework channels in the public cloud. */
export const PUBLIC_CHANNEL_ISSUER = 'https://api.botframework.com';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** The public key as its JWKS entry (with the channel endorsement botbuilder checks). */
  readonly jwk: { kty: 'RSA'; kid: string; n: string; e: string; endorsements: string[] };
}

export function newSigningKey(kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { n, e } = publicKey.export({ format: 'jwk' });
  if (!n || !e) throw new Error('RSA key without modulus or exponent');
  return { kid, privateKey, jwk: { kty: 'RSA', kid, n, e, endorsements: ['msteams'] } };
}

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** How a test token is signed: RS256 with a key, HS256 with a shared secret, or not at all (`alg: none`). */
export type Signer = { rs256: SigningKey } | { hs256: string } | 'none';

/** A compact JWS. The header's `alg` follows the signer unless the test overrides it. */
export function makeJwt(
  payload: Record<string, unknown>,
  signer: Signer,
  header: Record<string, unknown> = {},
): string {
  const alg = signer === 'none' ? 'none' : 'rs256' in signer ? 'RS256' : 'HS256';
  const kid = signer !== 'none' && 'rs256' in signer ? signer.rs256.kid : undefined;
  const signed = `${part({ typ: 'JWT', alg, ...(kid ? { kid } : {}), ...header })}.${part(payload)}`;
  if (signer === 'none') return `${signed}.`;
  const signature =
    'rs256' in signer
      ? sign('sha256', Buffer.from(signed), signer.rs256.privateKey)
      : createHmac('sha256', signer.hs256).update(signed).digest();
  return `${signed}.${signature.toString('base64url')}`;
}

/** The claims of a token the Teams channel sends to the bot `appId` for an activity from `serviceUrl`. */
export function channelClaims(
  appId: string,
  serviceUrl: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: PUBLIC_CHANNEL_ISSUER,
    aud: appId,
    serviceurl: serviceUrl,
    nbf: now - 60,
    iat: now - 60,
    exp: now + 3600,
    ...overrides,
  };
}

export interface KeyServer {
  /** The OpenID metadata document's URL (what ToBotFromChannelOpenIdMetadataUrl points at). */
  readonly metadataUrl: string;
  /** How many times botbuilder fetched the keys. */
  readonly keyFetches: () => number;
  close(): Promise<void>;
}

/** A local stand-in for login.botframework.com: OpenID metadata and the JWKS with `keys`. */
export async function startKeyServer(keys: readonly SigningKey[]): Promise<KeyServer> {
  let fetches = 0;
  const server = createServer((req, res) => {
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') {
      res.end(JSON.stringify({ issuer: PUBLIC_CHANNEL_ISSUER, jwks_uri: `${base}/keys` }));
    } else if (req.url === '/keys') {
      fetches++;
      res.end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    metadataUrl: `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`,
    keyFetches: () => fetches,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** URLs the adapter tried to fetch outside this machine (see {@link loopbackOnlyNodeFetch}). */
export const remoteFetches: string[] = [];

/**
 * A replacement for the `node-fetch` module botbuilder fetches its signing keys with: loopback URLs go
 * through; any other URL is recorded in {@link remoteFetches} and fails as an unreachable host does, so
 * tests never depend on (or reach) the internet. Use in `jest.mock('node-fetch', …)`.
 */
export function loopbackOnlyNodeFetch(): object {
  const actual = jest.requireActual<typeof import('node-fetch')>('node-fetch');
  const fetch = (url: string, init?: object) => {
    const host = new URL(url).hostname;
    if (host === '127.0.0.1' || host === 'localhost') return actual.default(url, init);
    remoteFetches.push(url);
    return Promise.reject(
      new actual.FetchError(`request to ${url} failed, reason: getaddrinfo ENOTFOUND ${host}`, 'system', {
        code: 'ENOTFOUND',
      } as NodeJS.ErrnoException),
    );
  };
  return { ...actual, __esModule: true, default: fetch };
}
