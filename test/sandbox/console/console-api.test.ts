import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { DEMO_TENANT } from '../../../sandbox/demo-tenant';
import type { TenantSandbox } from '../../../sandbox/tenant-sandbox';
import type { SandboxConsole } from '../../../sandbox/console/console-server';
import { escapeHtml } from '../../../sandbox/console/console-page';
import { startSandbox } from '../../support/sandbox';
import { call, startConsole } from './console-helpers';

let sandbox: TenantSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

describe('the sandbox console (local tooling)', () => {
  it('refuses to start when NODE_ENV=production, saying why', async () => {
    await expect(startConsole(sandbox, { env: { NODE_ENV: 'production' } })).rejects.toThrow(
      'The sandbox console is local tooling of `npm start` and does not start when NODE_ENV=production.',
    );
  });

  it('is never imported by the production bot (nothing under src/ names it)', () => {
    const root = path.resolve(__dirname, '..', '..', '..', 'src');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const p = path.join(dir, n);
        return statSync(p).isDirectory() ? files(p) : [p];
      });
    const importers = files(root).filter((f) => /sandbox\/console/.test(readFileSync(f, 'utf8')));
    expect(importers).toEqual([]);
  });

  describe('over HTTP', () => {
    let c: SandboxConsole;
    beforeAll(async () => {
      c = await startConsole(sandbox);
    });
    afterAll(() => c.close());

    it('listens on 127.0.0.1 only', () => {
      expect(c.url).toBe(`http://localhost:${c.port}`);
    });

    it('serves one page whose script and style come from itself (no CDN, no inline script)', async () => {
      const res = await fetch(`${c.url}/`);
      const html = await res.text();
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(html).toContain('<script src="/console.js" defer></script>');
      expect(html).not.toMatch(/<script>|https?:\/\/(?!localhost)/);
      const view = await fetch(`${c.url}/containers/dsr-2026-0001`);
      expect(await view.text()).toBe(html);
      const js = await fetch(`${c.url}/console.js`);
      expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(await js.text()).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    });

    it('escapes every value it writes into HTML', () => {
      expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe(
        '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;',
      );
    });

    it("lists the demo tenant's people with their roles", async () => {
      const { status, json } = await call(c, 'GET', '/api/people');
      expect(status).toBe(200);
      const people = json as { displayName: string; roles: string[]; eligibleRoles: string[] }[];
      expect(people).toHaveLength(DEMO_TENANT.users.length);
      expect(people.find((p) => p.displayName === 'Megan Bowen')).toMatchObject({
        userPrincipalName: 'meganb@contoso.com',
        teamsId: 'user-id-1',
        roles: ['Global Administrator'],
      });
      expect(people.find((p) => p.displayName === 'Lynne Robbins')).toMatchObject({
        roles: [],
        eligibleRoles: ['Global Administrator'],
      });
      expect(people.find((p) => p.displayName === 'Diego Siciliani')).toMatchObject({ teamsId: null });
    });

    it('answers only to its own host names (no DNS rebinding) and POSTs only from its own page, as JSON', async () => {
      const rebound = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: c.port,
            path: '/api/people',
            headers: { Host: `evil.example:${c.port}` },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(rebound).toBe(421);
      const foreign = await fetch(`${c.url}/api/controls/fail-next`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
        body: '{}',
      });
      expect(foreign.status).toBe(403);
      const form = await fetch(`${c.url}/api/controls/fail-next`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: '{}',
      });
      expect(form.status).toBe(415);
      expect(sandbox.exportControls.nextFails).toBe(false);
    });
  });
});
