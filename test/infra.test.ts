import { readFileSync } from 'node:fs';
import path from 'node:path';

const infra = path.join(__dirname, '..', 'infra');
const bicep = readFileSync(path.join(infra, 'main.bicep'), 'utf8');

/** The Bicep's parameters: name → whether it has a default. (No Bicep compiler is reachable here.) */
function bicepParams(): Map<string, { hasDefault: boolean; type: string }> {
  const out = new Map<string, { hasDefault: boolean; type: string }>();
  for (const m of bicep.matchAll(/^param\s+(\w+)\s+(\w+)(\s*=.*)?$/gm)) {
    out.set(m[1]!, { type: m[2]!, hasDefault: m[3] !== undefined });
  }
  return out;
}

describe('infra/', () => {
  const params = bicepParams();
  const file = JSON.parse(readFileSync(path.join(infra, 'main.parameters.json'), 'utf8')) as {
    parameters: Record<string, { value: unknown }>;
  };

  it('gives the parameters file only parameters the Bicep declares, with matching types', () => {
    expect(params.size).toBeGreaterThan(3);
    for (const [name, { value }] of Object.entries(file.parameters)) {
      const declared = params.get(name);
      expect({ name, declared: declared !== undefined }).toEqual({ name, declared: true });
      const type = declared!.type;
      if (typeof value === 'number') expect({ name, type }).toEqual({ name, type: 'int' });
      if (typeof value === 'string') expect({ name, type }).toEqual({ name, type: 'string' });
    }
  });

  it('sets every parameter that has no default', () => {
    for (const [name, p] of params) if (!p.hasDefault) expect(Object.keys(file.parameters)).toContain(name);
  });

  it('keeps the secure defaults: HTTPS only, TLS 1.2, no public blobs, Node 20, two instances, diagnostics', () => {
    expect(bicep).toMatch(/supportsHttpsTrafficOnly: true/);
    expect(bicep).toMatch(/minimumTlsVersion: 'TLS1_2'/);
    expect(bicep).toMatch(/allowBlobPublicAccess: false/);
    expect(bicep).toMatch(/httpsOnly: true/);
    expect(bicep).toMatch(/minTlsVersion: '1\.2'/);
    expect(bicep).toMatch(/linuxFxVersion: 'NODE\|20-lts'/);
    expect(bicep).toMatch(/@minValue\(2\)\nparam instanceCount/);
    expect(bicep).toMatch(/msaAppType: 'UserAssignedMSI'/);
    expect(bicep.match(/Microsoft\.Insights\/diagnosticSettings/g)?.length).toBeGreaterThanOrEqual(3);
    // Secrets go through Key Vault references, never as plain app settings.
    expect(bicep).not.toMatch(/name: 'AZURE_STORAGE_CONNECTION_STRING'\s*,?\s*value: 'Default/);
    expect(bicep).toMatch(/@Microsoft\.KeyVault\(VaultName=/);
  });

  it('keeps storage account names within 24 characters', () => {
    expect(bicep).toMatch(/take\('\$\{namePrefix\}st\$\{suffix\}', 24\)/);
    expect(bicep).toMatch(/take\('\$\{namePrefix\}ex\$\{suffix\}', 24\)/);
  });

  it('has every parameter named in docs/deploy.md', () => {
    const doc = readFileSync(path.join(__dirname, '..', 'docs', 'deploy.md'), 'utf8');
    for (const name of params.keys())
      expect({ name, documented: doc.includes(`\`${name}\``) }).toEqual({ name, documented: true });
  });
});
