import { createSign, createVerify, constants, type KeyObject } from 'node:crypto';

/** Minimal JWS (compact) signing and verification for the sandbox's tokens and client assertions. */

export type JwtPayload = Record<string, unknown>;
export interface JwtHeader {
  alg: string;
  typ?: string;
  kid?: string;
  x5t?: string;
  'x5t#S256'?: string;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export function signJwt(payload: JwtPayload, key: KeyObject, kid: string): string {
  const header: JwtHeader = { alg: 'RS256', typ: 'JWT', kid };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key);
  return `${input}.${b64url(signature)}`;
}

export interface DecodedJwt {
  header: JwtHeader;
  payload: JwtPayload;
  signingInput: string;
  signature: Buffer;
}

/** Splits and parses a compact JWT without checking anything; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as JwtHeader;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as JwtPayload;
    if (typeof header !== 'object' || header === null || typeof payload !== 'object' || payload === null) {
      return undefined;
    }
    return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
  } catch {
    return undefined;
  }
}

/** Verifies an RS256 or PS256 signature. */
export function verifyJwtSignature(jwt: DecodedJwt, key: KeyObject): boolean {
  const verifier = createVerify('RSA-SHA256').update(jwt.signingInput);
  if (jwt.header.alg === 'RS256') return verifier.verify(key, jwt.signature);
  if (jwt.header.alg === 'PS256') {
    return verifier.verify(
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
      jwt.signature,
    );
  }
  return false;
}
