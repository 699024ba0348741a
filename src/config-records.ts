/** The records part of the configuration: how long each class of data is kept, and where audit files go. */
import { ConfigError, isLoopbackHost, positiveNumber, value, type Env } from './config-readers';

export interface RecordsConfig {
  /** Days an export container is kept after the data was delivered (EXPORT_RETENTION_DAYS). */
  readonly exportRetentionDays: number;
  /** Days a failed or unused attempt's container is kept after the attempt ended (FAILED_EXPORT_RETENTION_DAYS). */
  readonly failedExportRetentionDays: number;
  /** Hours an unfinished intake draft is kept (DRAFT_RETENTION_HOURS). */
  readonly draftRetentionHours: number;
  /**
   * Months a finished request's record and audit trail are kept before only a tombstone is left
   * (RECORD_RETENTION_MONTHS; CCPA regulations §7101 ask for at least 24).
   */
  readonly recordRetentionMonths: number;
  /** The container in the export account for reports and seals, WORM in Azure (AUDIT_CONTAINER). */
  readonly auditContainer: string;
  /** Trail exports (copies for a download, personal data, no WORM): AUDIT_CONTAINER with `-trails`. */
  readonly trailsContainer: string;
  /**
   * The bot's public base URL (BOT_ENDPOINT, e.g. https://contoso-dsr.azurewebsites.net): one-time download
   * links point at it. Local mode: http://localhost:PORT. Undefined in production when not set (no links then).
   */
  readonly publicUrl: string | undefined;
}

function wholeMonths(env: Env, name: string, fallback: number): number {
  const v = value(env, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 120)
    throw new ConfigError(name, `"${v}" is not a whole number of months from 1 to 120.`);
  return n;
}

function readAuditContainer(env: Env): string {
  const v = value(env, 'AUDIT_CONTAINER') ?? 'audit';
  if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,54}[a-z0-9]$/.test(v))
    throw new ConfigError(
      'AUDIT_CONTAINER',
      `"${v}" is not a blob container name of 3–56 lower-case letters, digits and single hyphens (the trail exports' container adds "-trails").`,
    );
  return v;
}

function readPublicUrl(env: Env, production: boolean, port: number): string | undefined {
  const v = value(env, 'BOT_ENDPOINT');
  if (v === undefined) return production ? undefined : `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new ConfigError(
      'BOT_ENDPOINT',
      `"${v}" is not a URL (e.g. https://contoso-dsr.azurewebsites.net).`,
    );
  }
  const local = isLoopbackHost(url.hostname.replace(/^\[|\]$/g, ''));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local && !production))
    throw new ConfigError(
      'BOT_ENDPOINT',
      `"${v}" must be an https URL: download links carry a one-time token (http is for localhost in local mode only).`,
    );
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** Reads the records settings; throws a ConfigError naming the first wrong variable. */
export function readRecords(env: Env, production: boolean, port: number): RecordsConfig {
  const auditContainer = readAuditContainer(env);
  return {
    exportRetentionDays: positiveNumber(env, 'EXPORT_RETENTION_DAYS', 30, 'days'),
    failedExportRetentionDays: positiveNumber(env, 'FAILED_EXPORT_RETENTION_DAYS', 7, 'days'),
    draftRetentionHours: positiveNumber(env, 'DRAFT_RETENTION_HOURS', 24, 'hours'),
    recordRetentionMonths: wholeMonths(env, 'RECORD_RETENTION_MONTHS', 24),
    auditContainer,
    trailsContainer: `${auditContainer}-trails`,
    publicUrl: readPublicUrl(env, production, port),
  };
}
