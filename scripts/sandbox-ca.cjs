#!/usr/bin/env node
'use strict';
/**
 * Makes sure the tenant sandbox has a locally generated, self-signed TLS certificate (for 127.0.0.1 and
 * localhost) under .local/sandbox, then runs the given command with NODE_EXTRA_CA_CERTS pointing at it, so
 * Node (MSAL, the Graph client, fetch) trusts the sandbox without ever turning TLS checks off.
 *
 *   node scripts/sandbox-ca.cjs jest --ci
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { X509Certificate } = require('node:crypto');

const dir = path.resolve(__dirname, '..', '.local', 'sandbox');
const certPath = path.join(dir, 'tls-cert.pem');
const keyPath = path.join(dir, 'tls-key.pem');

function stillValid() {
  try {
    const cert = new X509Certificate(fs.readFileSync(certPath));
    return fs.existsSync(keyPath) && Date.parse(cert.validTo) > Date.now() + 7 * 24 * 3600 * 1000;
  } catch {
    return false;
  }
}

async function ensureCertificate() {
  if (stillValid()) return;
  const selfsigned = require('selfsigned');
  const notAfterDate = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'DSR bot tenant sandbox' }], {
    keySize: 2048,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(keyPath, pems.private, { mode: 0o600 });
  fs.writeFileSync(certPath, pems.cert);
}

module.exports = { certPath, keyPath, ensureCertificate };

if (require.main === module) {
  ensureCertificate()
    .then(() => {
      const [command, ...args] = process.argv.slice(2);
      if (!command) return;
      const child = spawn(command, args, {
        stdio: 'inherit',
        shell: process.platform === 'win32',
        env: {
          ...process.env,
          NODE_EXTRA_CA_CERTS: certPath,
          SANDBOX_TLS_CERT: certPath,
          SANDBOX_TLS_KEY: keyPath,
          PATH: `${path.resolve(__dirname, '..', 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
        },
      });
      for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
      child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
    })
    .catch((err) => {
      console.error(`Could not create the sandbox certificate: ${err.message}`);
      process.exit(1);
    });
}
