import { ConfigError, readConfig } from '../src/config';

const TENANT = '11111111-2222-4333-8444-555555555555';
const APP = '66666666-7777-4888-8999-000000000000';
const base = { AAD_APP_TENANT_ID: TENANT };
const production = {
  ...base,
  NODE_ENV: 'production',
  BOT_ID: APP,
  BOT_PASSWORD: 'p',
  BOT_TENANT_ID: TENANT,
  AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
};

function configError(env: Record<string, string>): ConfigError {
  try {
    readConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('readConfig: records and retention (issue 16)', () => {
  it('keeps exports 30 days after delivery, unused ones 7, drafts a day and records 24 months by default', () => {
    expect(readConfig(base).records).toEqual({
      exportRetentionDays: 30,
      failedExportRetentionDays: 7,
      draftRetentionHours: 24,
      recordRetentionMonths: 24,
      auditContainer: 'audit',
      trailsContainer: 'audit-trails',
      publicUrl: 'http://localhost:3978',
    });
  });

  it('reads each lifetime, the audit container and the public URL', () => {
    const c = readConfig({
      ...base,
      PORT: '4000',
      EXPORT_RETENTION_DAYS: '14',
      FAILED_EXPORT_RETENTION_DAYS: '2',
      DRAFT_RETENTION_HOURS: '6',
      RECORD_RETENTION_MONTHS: '36',
      AUDIT_CONTAINER: 'dsr-audit',
      BOT_ENDPOINT: 'https://contoso-dsr.azurewebsites.net/',
    });
    expect(c.records).toEqual({
      exportRetentionDays: 14,
      failedExportRetentionDays: 2,
      draftRetentionHours: 6,
      recordRetentionMonths: 36,
      auditContainer: 'dsr-audit',
      trailsContainer: 'dsr-audit-trails',
      publicUrl: 'https://contoso-dsr.azurewebsites.net',
    });
  });

  it.each([
    ['EXPORT_RETENTION_DAYS', '0'],
    ['EXPORT_RETENTION_DAYS', 'month'],
    ['FAILED_EXPORT_RETENTION_DAYS', '-1'],
    ['DRAFT_RETENTION_HOURS', 'x'],
    ['RECORD_RETENTION_MONTHS', '0'],
    ['RECORD_RETENTION_MONTHS', '1.5'],
    ['RECORD_RETENTION_MONTHS', '121'],
    ['AUDIT_CONTAINER', 'Audit'],
    ['AUDIT_CONTAINER', 'a--b'],
    ['AUDIT_CONTAINER', 'a'.repeat(57)],
    ['BOT_ENDPOINT', 'not a url'],
    ['BOT_ENDPOINT', 'http://contoso.example'],
  ])('refuses %s=%s, naming it', (name, value) => {
    const err = configError({ ...base, [name]: value });
    expect(err.variable).toBe(name);
  });

  it('offers no download links in production without BOT_ENDPOINT, and refuses a plain-http one there', () => {
    expect(readConfig(production).records.publicUrl).toBeUndefined();
    expect(configError({ ...production, BOT_ENDPOINT: 'http://localhost:3978' }).variable).toBe(
      'BOT_ENDPOINT',
    );
    expect(readConfig({ ...production, BOT_ENDPOINT: 'https://bot.contoso.com' }).records.publicUrl).toBe(
      'https://bot.contoso.com',
    );
  });
});
