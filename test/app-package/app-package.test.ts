import { readFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

// The packaging scripts are plain CommonJS (they run before any build).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const png = require('../../scripts/png.cjs') as {
  decodePng(buf: Buffer): { width: number; height: number; colorType: number; rgba: Buffer | undefined };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require('../../scripts/package-app.cjs') as {
  packageApp(env: string, extra?: Record<string, string>): string;
  fillPlaceholders(text: string, values: Record<string, string>): string;
};

const IDS = {
  TEAMS_APP_ID: '11111111-2222-4333-8444-555555555555',
  BOT_ID: '66666666-7777-4888-8999-000000000000',
  BOT_DOMAIN: 'dsrbot-bot-abc123.azurewebsites.net',
};

/** The manifest as the toolkit would fill it. */
function filledManifest(values: Record<string, string> = IDS): Record<string, unknown> {
  return JSON.parse(
    pkg.fillPlaceholders(readFileSync(path.join(dir, 'manifest.json'), 'utf8'), values),
  ) as Record<string, unknown>;
}

/**
 * Validates against the official schema for the manifest's version as bundled in @microsoft/app-manifest,
 * offline, the way its validateManifestAgainstSchema does (draft-04 Ajv with uri/email/regex formats). The
 * package's own entry point cannot be loaded here: it pulls ESM-only modules (strip-bom, node-fetch 3) and
 * fetches the schema over the network.
 */
function validateOffline(manifest: Record<string, unknown>): string[] {
  const home = path.dirname(require.resolve('@microsoft/app-manifest'));
  const from = (name: string) => require.resolve(name, { paths: [home] });
  /* eslint-disable @typescript-eslint/no-require-imports */
  const AjvDraft04 = (require(from('ajv-draft-04')) as { default: new (o: object) => AjvLike }).default;
  const addFormats = (require(from('ajv-formats')) as { default: (ajv: AjvLike, f: string[]) => void })
    .default;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const version = String(manifest.manifestVersion);
  const file = path.join(home, 'json-schemas', 'teams', `v${version}`, 'MicrosoftTeams.schema.json');
  // The clean-up the package applies to the published schema (one pattern holds an invalid "\a").
  const schema = JSON.parse(readFileSync(file, 'utf8').replace(/\\\\a/g, '\\\\x07')) as object;
  const ajv = new AjvDraft04({ allErrors: true, strictTypes: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

interface AjvLike {
  compile(schema: object): ((data: unknown) => boolean) & {
    errors?: { instancePath: string; message?: string }[] | null;
  };
}

const dir = path.join(__dirname, '..', '..', 'appPackage');

/** Reads a ZIP's entries (name → contents) from its central directory. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30);
    const comment = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataAt, dataAt + size);
    out.set(name, method === 8 ? zlib.inflateRawSync(data) : data);
    at += 46 + nameLength + extra + comment;
  }
  return out;
}

describe('the Teams app package', () => {
  it('is valid against the official manifest schema for its version (offline, bundled in @microsoft/app-manifest)', () => {
    expect(validateOffline(filledManifest())).toEqual([]);
    // The check has teeth: an app id that is not a GUID is refused.
    expect(validateOffline(filledManifest({ ...IDS, TEAMS_APP_ID: 'not-a-guid' })).join(' ')).toMatch(
      /^\/id /,
    );
  });

  it('says what the bot does with personal data, and where it may be used', () => {
    const manifest = filledManifest() as {
      description: { short: string; full: string };
      bots: { scopes: string[] }[];
      validDomains: string[];
    };
    expect(manifest.description.full).toMatch(/export/i);
    expect(manifest.description.full).toMatch(/personal data|directory data/i);
    expect(manifest.bots[0]!.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(manifest.validDomains).toEqual([IDS.BOT_DOMAIN]);
  });

  it('has a 192×192 colour icon, fully opaque', () => {
    const icon = png.decodePng(readFileSync(path.join(dir, 'color.png')));
    expect([icon.width, icon.height, icon.colorType]).toEqual([192, 192, 6]);
    for (let i = 3; i < icon.rgba!.length; i += 4) expect(icon.rgba![i]).toBe(255);
  });

  it('has a 32×32 outline icon: white on a transparent background, nothing else', () => {
    const icon = png.decodePng(readFileSync(path.join(dir, 'outline.png')));
    expect([icon.width, icon.height, icon.colorType]).toEqual([32, 32, 6]);
    const rgba = icon.rgba!;
    let transparent = 0;
    let drawn = 0;
    for (let i = 0; i < rgba.length; i += 4) {
      if (rgba[i + 3] === 0) transparent += 1;
      else {
        drawn += 1;
        expect([rgba[i], rgba[i + 1], rgba[i + 2]]).toEqual([255, 255, 255]);
      }
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.4);
    expect(drawn).toBeGreaterThan(32 * 4);
  });

  it('npm run package writes a zip holding exactly the filled manifest and the two icons', () => {
    const ids = {
      ...IDS,
      TEAMS_APP_ID: '11111111-2222-4333-8444-555555555555',
      BOT_ID: '66666666-7777-4888-8999-000000000000',
    };
    const out = pkg.packageApp('dev', ids);
    expect(path.basename(out)).toBe('appPackage.dev.zip');
    const entries = unzip(readFileSync(out));
    expect([...entries.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as {
      id: string;
      bots: { botId: string }[];
    };
    expect(manifest.id).toBe(ids.TEAMS_APP_ID);
    expect(manifest.bots[0]!.botId).toBe(ids.BOT_ID);
    expect(entries.get('manifest.json')!.toString('utf8')).not.toContain('${{');
    expect(entries.get('color.png')!.equals(readFileSync(path.join(dir, 'color.png')))).toBe(true);
  });

  it('refuses to package with a placeholder left unfilled, naming it', () => {
    expect(() => pkg.packageApp('dev', { TEAMS_APP_ID: '11111111-2222-4333-8444-555555555555' })).toThrow(
      /BOT_ID/,
    );
    expect(() => pkg.packageApp('nope')).toThrow(/env\/\.env\.nope/);
  });
});
