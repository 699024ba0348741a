import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { SandboxApp, SandboxTenant } from './demo-tenant';

/**
 * What the sandbox's rooms (Entra ID, Graph users, Graph exports) share: one tenant, its apps, one clock, and
 * the key Entra ID signs access tokens with and Graph checks them with. The server builds it once it listens.
 */
export interface SandboxState {
  /** `https://host:port`, the base of every absolute URL the sandbox answers with. */
  readonly origin: string;
  readonly tenant: SandboxTenant;
  /** Registered apps by client id; `setAppRoles` replaces an entry, so the next token carries the new roles. */
  readonly apps: Map<string, SandboxApp>;
  /** The injected clock: error dates, export progress; tokens live on the wall clock (see entra-id.ts). */
  readonly now: () => Date;
  readonly signing: SigningKey;
}

export interface SigningKey {
  /** The `kid` of the tokens and of the published JWK. */
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** The resource Graph's tokens are issued for (the sandbox's own origin is accepted too). */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/** A fresh RSA key pair for this sandbox's tokens. */
export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomUUID(), privateKey, publicKey };
}
