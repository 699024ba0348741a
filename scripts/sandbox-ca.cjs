#!/usr/bin/env node
'use strict';
/**
 * Makes sure the tenant sandbox has a locally generated, self-signed TLS certificate (for 127.0.0.1 and
 * localhost) under .local/sandbox, then runs the given command with NODE_EXTRA_CA_CERTS pointing at it, so
 * Node (MSAL, the Graph client, fetch) trusts the sandbox without ever turning TLS checks off.
 *
 * A NODE_EXTRA_CA_CERTS the user set (a corporate proxy's CA) is kept: Node reads only one file from it, so
 * the command gets a bundle of the user's file and the sandbox certificate (.local/sandbox/ca-bundle-*.pem).
 * A user file that cannot be read, or holds no certificate, stops here with a message saying so.
 *
 *   node scripts/sandbox-ca.cjs jest --ci
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { createHash, X509Certificate } = require('node:crypto');

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

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/**
 * The file for the command's NODE_EXTRA_CA_CERTS: the sandbox certificate alone when `userFile` is empty,
 * otherwise the user's file when it already holds the sandbox certificate (run inside itself), otherwise a
 * bundle of both, named by its content so concurrent runs never overwrite each other's. Throws an Error
 * naming the variable when the user's file cannot be read or holds no certificate.
 */
function extraCaCertsFile(userFile) {
  if (!userFile) return certPath;
  let theirs;
  try {
    theirs = fs.readFileSync(userFile, 'utf8');
  } catch (err) {
    throw new Error(
      `NODE_EXTRA_CA_CERTS=${userFile} cannot be read (${err.code ?? err.message}). Fix the path or unset the variable: the sandbox certificate is added beside the certificates it names, never instead of them.`,
    );
  }
  if (!theirs.includes(PEM_CERTIFICATE)) {
    throw new Error(
      `NODE_EXTRA_CA_CERTS=${userFile} holds no PEM certificate (${PEM_CERTIFICATE} …). Point it at the PEM file of the CA you need, or unset it.`,
    );
  }
  const sandbox = fs.readFileSync(certPath, 'utf8');
  if (theirs.includes(sandbox.trim())) return userFile;
  const bundle = `${theirs.replace(/\s*$/, '\n')}${sandbox}`;
  const file = path.join(
    dir,
    `ca-bundle-${createHash('sha256').update(bundle).digest('hex').slice(0, 16)}.pem`,
  );
  if (!fs.existsSync(file)) {
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, bundle);
    fs.renameSync(partial, file);
  }
  return file;
}

module.exports = { certPath, keyPath, ensureCertificate, extraCaCertsFile };

if (require.main === module) {
  ensureCertificate()
    .catch((err) => {
      console.error(`Could not create the sandbox certificate: ${err.message}`);
      process.exit(1);
    })
    .then(() => {
      const [command, ...args] = process.argv.slice(2);
      if (!command) return;
      let extra;
      try {
        extra = extraCaCertsFile(process.env.NODE_EXTRA_CA_CERTS ?? '');
      } catch (err) {
        console.error(err.message);
        process.exit(1);
      }
      const child = spawn(command, args, {
        stdio: 'inherit',
        shell: process.platform === 'win32',
        env: {
          ...process.env,
          NODE_EXTRA_CA_CERTS: extra,
          SANDBOX_TLS_CERT: certPath,
          SANDBOX_TLS_KEY: keyPath,
          PATH: `${path.resolve(__dirname, '..', 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
        },
      });
      for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
      child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
    });
}
