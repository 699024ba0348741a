import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.join(__dirname, '..');

function envKeys(file: string): Set<string> {
  const keys = new Set<string>();
  for (const line of readFileSync(path.join(root, 'env', file), 'utf8').split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=/.exec(line);
    if (m) keys.add(m[1]!);
  }
  return keys;
}

/** Values an earlier step of the same file writes (writeToEnvironmentFile), and the Bicep's outputs. */
function written(doc: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'writeToEnvironmentFile') Object.values(x as object).forEach((n) => out.add(String(n)));
        walk(x);
      }
    }
  };
  walk(doc);
  return out;
}

interface AjvLike {
  compile(schema: object): ((data: unknown) => boolean) & {
    errors?: { instancePath: string; message?: string }[] | null;
  };
}

/**
 * Validates against the toolkit's published YAML schema for `version`, offline: the copy that ships in
 * @microsoft/teamsfx-core (installed with the toolkit CLI, @microsoft/teamsapp-cli), with Ajv 8 (draft-07).
 */
function validateAgainstToolkitSchema(doc: unknown, version: string): string[] {
  const core = path.dirname(require.resolve('@microsoft/teamsfx-core/package.json'));
  const file = path.join(core, 'resource', 'yaml-schema', version, 'yaml.schema.json');
  const schema = JSON.parse(readFileSync(file, 'utf8')) as object;
  const manifestHome = path.dirname(require.resolve('@microsoft/app-manifest'));
  const ajvPath = require.resolve('ajv', { paths: [manifestHome] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = (require(ajvPath) as { default: new (o: object) => AjvLike }).default;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

const bicepOutputs = new Set(
  [...readFileSync(path.join(root, 'infra', 'main.bicep'), 'utf8').matchAll(/^output\s+(\w+)/gm)].map(
    (m) => m[1]!,
  ),
);

describe.each([
  ['teamsapp.yml', '.env.dev', bicepOutputs],
  ['teamsapp.local.yml', '.env.local', new Set<string>()],
])('%s', (file, env, outputs) => {
  const text = readFileSync(path.join(root, file), 'utf8');
  const doc = parse(text) as { version: string; provision: unknown[]; deploy: unknown[] };

  it('declares the toolkit schema version it is written for, with provision and deploy', () => {
    expect(text).toContain(`$schema=https://aka.ms/teams-toolkit/${doc.version}/yaml.schema.json`);
    expect(doc.provision.length).toBeGreaterThan(0);
    expect(doc.deploy.length).toBeGreaterThan(0);
  });

  it("is valid against the toolkit's published YAML schema for its declared version (offline)", () => {
    expect(validateAgainstToolkitSchema(doc, doc.version)).toEqual([]);
    // The check has teeth: an unknown action is refused.
    const broken = { ...doc, provision: [...doc.provision, { uses: 'teamsApp/doesNotExist' }] };
    expect(validateAgainstToolkitSchema(broken, doc.version).length).toBeGreaterThan(0);
  });

  it('uses only ${{VARS}} that an env file, a provision step or the infrastructure defines', () => {
    const defined = new Set([...envKeys(env), ...written(doc), ...outputs]);
    const used = [...text.matchAll(/\$\{\{\s*([A-Z_][A-Z0-9_]*)\s*\}\}/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(3);
    // SECRET_* values come from the git-ignored env/.env.<env>.user (docs/deploy.md says which).
    expect(used.filter((v) => !defined.has(v) && !v.startsWith('SECRET_'))).toEqual([]);
  });

  it('keeps secrets out of the committed env file', () => {
    for (const key of envKeys(env)) expect(key.startsWith('SECRET_')).toBe(false);
    expect(readFileSync(path.join(root, '.gitignore'), 'utf8')).toMatch(/^\.env\.\*\.user$/m);
  });
});
