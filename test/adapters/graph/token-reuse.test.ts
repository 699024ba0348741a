import type { AccessToken, TokenCredential } from '@azure/identity';
import { reusingTokens } from '../../../src/adapters/graph/token-reuse';

const HOUR = 3600_000;

function counting(now: () => number) {
  const asked: { scopes: string | string[]; claims?: string }[] = [];
  const credential: TokenCredential = {
    async getToken(scopes, options) {
      asked.push({ scopes, ...(options?.claims ? { claims: options.claims } : {}) });
      await Promise.resolve();
      const token: AccessToken = { token: `t${asked.length}`, expiresOnTimestamp: now() + HOUR };
      return token;
    },
  };
  return { credential, asked };
}

describe('reusingTokens', () => {
  it('reuses a token until five minutes before it expires, then asks again', async () => {
    let t = Date.parse('2026-11-30T10:00:00Z');
    const now = () => t;
    const fake = counting(now);
    const reusing = reusingTokens(fake.credential, now);
    expect((await reusing.getToken('https://graph.microsoft.com/.default'))?.token).toBe('t1');
    t += 54 * 60_000;
    expect((await reusing.getToken('https://graph.microsoft.com/.default'))?.token).toBe('t1');
    t += 60_000;
    expect((await reusing.getToken('https://graph.microsoft.com/.default'))?.token).toBe('t2');
    expect(fake.asked).toHaveLength(2);
  });

  it('asks once for callers at the same time, and per scope', async () => {
    const now = () => Date.parse('2026-11-30T10:00:00Z');
    const fake = counting(now);
    const reusing = reusingTokens(fake.credential, now);
    const tokens = await Promise.all(
      Array.from({ length: 5 }, () => reusing.getToken(['https://graph.microsoft.com/.default'])),
    );
    expect(new Set(tokens.map((x) => x?.token))).toEqual(new Set(['t1']));
    await reusing.getToken('https://storage.azure.com/.default');
    expect(fake.asked).toHaveLength(2);
  });

  it('always asks anew for a token with claims (a Continuous Access Evaluation challenge)', async () => {
    const now = () => Date.parse('2026-11-30T10:00:00Z');
    const fake = counting(now);
    const reusing = reusingTokens(fake.credential, now);
    await reusing.getToken('https://graph.microsoft.com/.default');
    await reusing.getToken('https://graph.microsoft.com/.default', { claims: 'e30=' });
    expect(fake.asked.map((a) => a.claims)).toEqual([undefined, 'e30=']);
  });

  it('lets a failure through to every caller waiting, and asks again next time', async () => {
    let fail = true;
    const credential: TokenCredential = {
      getToken: () =>
        fail
          ? Promise.reject(new Error('AADSTS7000215: invalid client secret'))
          : Promise.resolve({ token: 'ok', expiresOnTimestamp: Date.now() + HOUR }),
    };
    const reusing = reusingTokens(credential);
    await expect(Promise.all([reusing.getToken('s'), reusing.getToken('s')])).rejects.toThrow(
      'AADSTS7000215',
    );
    fail = false;
    expect((await reusing.getToken('s'))?.token).toBe('ok');
  });
});
