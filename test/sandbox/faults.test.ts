import type { TenantSandbox } from '../../sandbox/tenant-sandbox';
import { startSandbox, waitFor } from '../support/sandbox';
import { newContainer, sasFor } from './containers';
import { accessToken, ADELE, callGraph } from './sandbox-calls';

describe('the tenant sandbox', () => {
  let sandbox: TenantSandbox;
  let bearer: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ retryAfterSeconds: 7 });
    bearer = await accessToken(sandbox);
  });
  afterAll(() => sandbox.close());

  const graph = (path: string, init: RequestInit = {}) => callGraph(sandbox, bearer, path, init);

  describe('fault injection', () => {
    it('answers 429 with Retry-After for the chosen calls, a given number of times', async () => {
      const remove = sandbox.inject({
        method: 'GET',
        path: '/users/',
        status: 429,
        retryAfterSeconds: 3,
        times: 1,
      });
      const first = await graph(`/v1.0/users/${ADELE}`);
      expect(first.status).toBe(429);
      expect(first.headers.get('Retry-After')).toBe('3');
      expect(((await first.json()) as { error: { code: string } }).error.code).toBe('TooManyRequests');
      expect((await graph(`/v1.0/users/${ADELE}`)).status).toBe(200);
      remove();
    });

    it('answers 503 in Graph’s error shape until the rule is removed', async () => {
      const remove = sandbox.inject({ path: /checkMemberObjects$/, status: 503 });
      const call = () =>
        graph(`/v1.0/users/${ADELE}/checkMemberObjects`, {
          method: 'POST',
          body: JSON.stringify({ ids: [] }),
        });
      for (let i = 0; i < 2; i++) {
        const res = await call();
        expect(res.status).toBe(503);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ServiceUnavailable');
      }
      remove();
      expect((await call()).status).toBe(200);
    });

    it('can drop the connection after the export was accepted (the caller cannot know)', async () => {
      const container = await newContainer();
      const before = sandbox.operations.size;
      sandbox.inject({ method: 'POST', path: /exportPersonalData$/, drop: 'after', times: 1 });
      await expect(
        graph(`/v1.0/users/${ADELE}/exportPersonalData`, {
          method: 'POST',
          body: JSON.stringify({ storageLocation: await sasFor(container, 'cw') }),
        }),
      ).rejects.toThrow();
      await waitFor(() => sandbox.operations.size === before + 1, 'the operation to exist');
      expect(sandbox.requests.at(-1)?.status).toBe(-1);
    });

    it('can slow an answer down', async () => {
      sandbox.inject({ method: 'GET', path: `/users/${ADELE}`, delayMs: 300, times: 1 });
      const started = Date.now();
      expect((await graph(`/v1.0/users/${ADELE}`)).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });
  });
});
