import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import selfsigned from 'selfsigned';

const root = path.resolve(__dirname, '../..');
const script = path.join(root, 'scripts', 'sandbox-ca.cjs');
const sandboxCert = () => readFileSync(path.join(root, '.local', 'sandbox', 'tls-cert.pem'), 'utf8');

/** What the command run by sandbox-ca.cjs sees: its NODE_EXTRA_CA_CERTS, that file, and an HTTPS answer. */
const PROBE = `
const fs = require('node:fs');
const https = require('node:https');
const file = process.env.NODE_EXTRA_CA_CERTS;
const report = (extra) => console.log(JSON.stringify({ file, bundle: fs.readFileSync(file, 'utf8'), ...extra }));
const url = process.env.PROBE_URL;
if (!url) report({});
else
  https
    .get(url, { agent: false, headers: { Connection: 'close' } }, (res) => {
      res.resume();
      report({ status: res.statusCode });
    })
    .on('error', (e) => report({ error: e.code }));
`;

function runWrapped(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, 'node', '-e', PROBE], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Probe {
  readonly file: string;
  readonly bundle: string;
  readonly status?: number;
  readonly error?: string;
}

describe('scripts/sandbox-ca.cjs (npm start, npm test)', () => {
  let dir: string;
  let userCaPath: string;
  let userCa: { cert: string; private: string };
  let server: Server;
  let url: string;
  const created = new Set<string>();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sandbox-ca-'));
    // Stands for a corporate proxy's CA: a self-signed certificate for 127.0.0.1, served by a local server.
    userCa = await selfsigned.generate([{ name: 'commonName', value: 'Corporate proxy CA (test)' }], {
      keySize: 2048,
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
      ],
    });
    userCaPath = path.join(dir, 'corporate-ca.pem');
    writeFileSync(userCaPath, userCa.cert);
    server = createServer({ cert: userCa.cert, key: userCa.private }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
    for (const file of created) rmSync(file, { force: true });
  });

  it('keeps a NODE_EXTRA_CA_CERTS the user set, adding the sandbox certificate beside it (defect: it was replaced)', async () => {
    const run = await runWrapped({ NODE_EXTRA_CA_CERTS: userCaPath, PROBE_URL: url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const probe = JSON.parse(run.stdout) as Probe;
    created.add(probe.file);
    expect(probe.file).not.toBe(userCaPath);
    expect(path.dirname(probe.file)).toBe(path.join(root, '.local', 'sandbox'));
    expect(probe.bundle).toContain(userCa.cert.trim());
    expect(probe.bundle).toContain(sandboxCert().trim());
    // The command trusts the user's CA: a server with that certificate answers.
    expect(probe).toMatchObject({ status: 200 });
  });

  it('points at the sandbox certificate alone when the user set none', async () => {
    const run = await runWrapped({ NODE_EXTRA_CA_CERTS: '' });
    const probe = JSON.parse(run.stdout) as Probe;
    expect(probe.file).toBe(path.join(root, '.local', 'sandbox', 'tls-cert.pem'));
  });

  it('does not grow the bundle when run inside itself (npm test from npm start)', async () => {
    const first = JSON.parse((await runWrapped({ NODE_EXTRA_CA_CERTS: userCaPath })).stdout) as Probe;
    created.add(first.file);
    const nested = JSON.parse((await runWrapped({ NODE_EXTRA_CA_CERTS: first.file })).stdout) as Probe;
    expect(nested.file).toBe(first.file);
    expect(nested.bundle).toBe(first.bundle);
  });

  it.each([
    ['cannot be read', () => path.join(dir, 'missing.pem'), /cannot be read/],
    [
      'holds no certificate',
      () => {
        const p = path.join(dir, 'empty.pem');
        writeFileSync(p, 'not a certificate\n');
        return p;
      },
      /holds no PEM certificate/,
    ],
  ])('stops, saying so, when the user’s NODE_EXTRA_CA_CERTS %s', async (_what, file, message) => {
    const p = file();
    const run = await runWrapped({ NODE_EXTRA_CA_CERTS: p });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`NODE_EXTRA_CA_CERTS=${p}`);
    expect(run.stderr).toMatch(message);
  });
});
