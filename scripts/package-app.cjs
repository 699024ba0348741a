'use strict';
// npm run package [-- --env dev]: fills the manifest's ${{VAR}} placeholders from env/.env.<env> (then
// env/.env.<env>.user, then the process environment) and writes appPackage/build/appPackage.<env>.zip with
// exactly manifest.json, color.png and outline.png. A placeholder without a value stops it, naming the variable.
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { crc32 } = require('./png.cjs');

const root = path.join(__dirname, '..');

function parseEnvFile(file) {
  const values = {};
  if (!existsSync(file)) return values;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    values[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

/** Replaces every ${{NAME}} in `text`; throws naming the first variable without a value. */
function fillPlaceholders(text, values) {
  const missing = new Set();
  const filled = text.replace(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name) => {
    const v = values[name];
    if (v === undefined || v === '') missing.add(name);
    return v ?? '';
  });
  if (missing.size > 0) {
    throw new Error(
      `No value for ${[...missing].join(', ')}: set ${missing.size > 1 ? 'them' : 'it'} in env/.env.<env> (or .env.<env>.user), or run the toolkit's provision first.`,
    );
  }
  return filled;
}

/** A ZIP archive (deflated entries) from name → contents. */
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBuf = Buffer.from(name, 'utf8');
    const deflated = zlib.deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, deflated);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function packageApp(envName, extra = process.env) {
  if (!/^[a-z0-9-]+$/i.test(envName))
    throw new Error(`"${envName}" is not an environment name (env/.env.<name>).`);
  const envFile = path.join(root, 'env', `.env.${envName}`);
  if (!existsSync(envFile)) throw new Error(`There is no env/.env.${envName}.`);
  const values = { ...parseEnvFile(envFile), ...parseEnvFile(`${envFile}.user`), ...extra };
  const dir = path.join(root, 'appPackage');
  const manifest = JSON.parse(
    fillPlaceholders(readFileSync(path.join(dir, 'manifest.json'), 'utf8'), values),
  );
  const files = [
    ['manifest.json', Buffer.from(JSON.stringify(manifest, null, 2))],
    [manifest.icons.color, readFileSync(path.join(dir, manifest.icons.color))],
    [manifest.icons.outline, readFileSync(path.join(dir, manifest.icons.outline))],
  ];
  mkdirSync(path.join(dir, 'build'), { recursive: true });
  const out = path.join(dir, 'build', `appPackage.${envName}.zip`);
  writeFileSync(out, zip(files));
  return out;
}

module.exports = { packageApp, fillPlaceholders, parseEnvFile, zip };

if (require.main === module) {
  const i = process.argv.indexOf('--env');
  const envName = i >= 0 ? process.argv[i + 1] : (process.env.TEAMSFX_ENV ?? 'dev');
  try {
    const out = packageApp(envName);
    process.stdout.write(`Wrote ${path.relative(root, out)}\n`);
  } catch (err) {
    process.stderr.write(`npm run package: ${err.message}\n`);
    process.exit(1);
  }
}
