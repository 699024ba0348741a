import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BOT_NODE_FLAGS } from '../src/process-helpers';

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

/** The body of the resource declared as `symbol` (up to the next top-level declaration). */
function resourceBody(symbol: string): string {
  const start = bicep.search(new RegExp(`^resource ${symbol} `, 'm'));
  if (start < 0) throw new Error(`infra/main.bicep declares no resource ${symbol}`);
  const rest = bicep.slice(start + 1);
  const end = rest.search(/^(resource|param|var|output|@|\/\/)/m);
  return bicep.slice(start, end < 0 ? undefined : start + 1 + end);
}

/** The site's app settings: name → value expression, as written in the template. */
function appSettings(): Map<string, string> {
  const site = resourceBody('site');
  const out = new Map<string, string>();
  for (const m of site.matchAll(/\{\s*name: '(\w+)'\s*,?\s*value: ([^\n}]+?)\s*\}/g)) out.set(m[1]!, m[2]!);
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
      if (typeof value === 'boolean') expect({ name, type }).toEqual({ name, type: 'bool' });
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
    // The bot runs with the Node flags local runs and the bench use.
    expect(bicep).toContain(`appCommandLine: 'node ${BOT_NODE_FLAGS.join(' ')} dist/src/index.js'`);
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

  it('puts the audit container in the export account under a time-based WORM policy, unlocked, 730 days', () => {
    expect(bicep).toMatch(/^param auditContainerName string = 'audit'$/m);
    expect(bicep).toMatch(/^param auditImmutabilityDays int = 730$/m);
    const container = resourceBody('auditContainer');
    expect(container).toMatch(/'Microsoft\.Storage\/storageAccounts\/blobServices\/containers@/);
    expect(container).toMatch(/parent: exportBlobs/);
    expect(container).toMatch(/name: auditContainerName/);
    const policy = resourceBody('auditImmutability');
    expect(policy).toMatch(
      /'Microsoft\.Storage\/storageAccounts\/blobServices\/containers\/immutabilityPolicies@/,
    );
    expect(policy).toMatch(/parent: auditContainer\n/);
    expect(policy).toMatch(/name: 'default'/);
    expect(policy).toMatch(/immutabilityPeriodSinceCreationInDays: auditImmutabilityDays/);
    expect(policy).toMatch(/allowProtectedAppendWrites: false/);
    // Locking is irreversible: the template never locks, and says how and why an operator would.
    expect(bicep).not.toMatch(/immutabilityPolicies\/[^'\n]*lock/i);
    expect(bicep).toMatch(/az storage container immutability-policy lock/);
    expect(bicep).toMatch(/IRREVERSIBLE/);
  });

  it('deletes forgotten exports with a lifecycle rule, and leaves the WORM audit container alone', () => {
    expect(bicep).toMatch(/^param exportContainerPrefix string = 'dsr'$/m);
    expect(bicep).toMatch(/^param exportRetentionDays int = 30$/m);
    // Longer than any legal clock: it knows nothing of delivery or holds.
    expect(bicep).toMatch(/@minValue\(120\)\nparam exportBackstopDays int = 180$/m);
    const rule = resourceBody('exportLifecycle');
    expect(rule).toMatch(/'Microsoft\.Storage\/storageAccounts\/managementPolicies@/);
    expect(rule).toMatch(/parent: exports\n/);
    expect(rule).toMatch(/name: 'default'/);
    expect(rule).toMatch(/blobTypes: \['blockBlob', 'appendBlob'\]/);
    expect(rule).toMatch(/prefixMatch: \['\$\{exportContainerPrefix\}-'\]/);
    expect(rule).toMatch(/delete: \{ daysAfterModificationGreaterThan: exportBackstopDays \}/);
    // Two rules: the exports' backstop, and trail exports after a day; nothing in the WORM audit container.
    expect(rule.match(/prefixMatch/g)).toHaveLength(2);
    expect(rule).not.toMatch(/prefixMatch: \['\$\{auditContainerName\}\/?'\]/);
  });

  it('keeps trail exports (personal data) out of the WORM container, and deletes them a day after they were made', () => {
    const trails = resourceBody('trailsContainer');
    expect(trails).toMatch(/parent: exportBlobs/);
    expect(trails).toMatch(/name: '\$\{auditContainerName\}-trails'/);
    expect(bicep).not.toMatch(/parent: trailsContainer/);
    expect(bicep).toMatch(/@maxLength\(56\)\nparam auditContainerName/);
    const rule = resourceBody('exportLifecycle');
    expect(rule).toMatch(
      /prefixMatch: \['\$\{auditContainerName\}-trails\/'\][\s\S]*delete: \{ daysAfterCreationGreaterThan: 1 \}/,
    );
  });

  it('gives the site its records settings, and a BOT_ENDPOINT that does not depend on the site itself', () => {
    const settings = appSettings();
    expect(settings.get('EXPORT_RETENTION_DAYS')).toBe('string(exportRetentionDays)');
    expect(settings.get('RECORD_RETENTION_MONTHS')).toBe('string(recordRetentionMonths)');
    expect(settings.get('AUDIT_CONTAINER')).toBe('auditContainer.name');
    expect(settings.get('EXPORT_CONTAINER_PREFIX')).toBe('exportContainerPrefix');
    expect(settings.get('BOT_ENDPOINT')).toBe('botEndpoint');
    expect(bicep).toMatch(/^var botEndpoint = 'https:\/\/\$\{siteName\}\.\$\{webHostSuffix\}'$/m);
    expect(bicep).toMatch(/'azurewebsites\.net'/);
    expect(resourceBody('site')).not.toMatch(/value: [^\n]*site\.properties/);
    expect(bicep).toMatch(/^param recordRetentionMonths int = 24$/m);
  });
});
