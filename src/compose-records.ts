import { sha256 } from './adapters/storage/audit-log';
import { TableAuditEraser } from './adapters/storage/audit-eraser';
import { BlobAuditFiles, RoutedAuditFiles, TRAILS_PREFIX } from './adapters/storage/audit-files';
import { newDownloadToken, TableDownloadLinks } from './adapters/storage/download-links';
import { TableDraftStore } from './adapters/storage/draft-store';
import { BlobExportDestinations } from './adapters/storage/export-destination';
import type { TableRequestStore } from './adapters/storage/request-store';
import { TableTombstones } from './adapters/storage/tombstones';
import type { RetentionParts } from './compose-worker';
import type { Config } from './config';
import { systemClock, type AuditLog, type Clock, type ExportDestinations } from './domain/ports';
import { isExportRemoval } from './domain/retention-ports';

/** What the records part needs from the rest of the composition. */
export interface RecordsInputs {
  readonly config: Config;
  readonly storageConnectionString: string;
  readonly exportConnectionString: string;
  /** A table's name with the deployment's prefix. */
  readonly table: (name: 'audit' | 'drafts' | 'tombstones' | 'downloadLinks') => string;
  readonly requests: TableRequestStore;
  readonly destinations: ExportDestinations;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/**
 * The records' part of the composition root: the audit containers (reports and seals; trail exports apart), the one-time
 * download links, the tombstones and what retention deletes through. No logic.
 */
export function composeRecords(inputs: RecordsInputs) {
  const { config, storageConnectionString, table } = inputs;
  const trailFiles = new BlobAuditFiles(inputs.exportConnectionString, config.records.trailsContainer);
  const files = new RoutedAuditFiles(
    new BlobAuditFiles(inputs.exportConnectionString, config.records.auditContainer),
    trailFiles,
  );
  const links = new TableDownloadLinks(storageConnectionString, table('downloadLinks'));
  const tombstones = new TableTombstones(storageConnectionString, table('tombstones'));
  const eraser = new TableAuditEraser(storageConnectionString, table('audit'));
  const linkDeps = {
    links,
    files,
    newToken: newDownloadToken,
    hashToken: sha256,
    audit: inputs.audit,
    clock: inputs.clock,
    publicUrl: config.records.publicUrl,
  };
  const retention: RetentionParts = {
    policy: {
      exportDays: config.records.exportRetentionDays,
      unusedExportDays: config.records.failedExportRetentionDays,
      draftHours: config.records.draftRetentionHours,
      recordMonths: config.records.recordRetentionMonths,
      noticeDays: 3,
    },
    scan: inputs.requests,
    drafts: new TableDraftStore(storageConnectionString, table('drafts')),
    links,
    exports: isExportRemoval(inputs.destinations)
      ? inputs.destinations
      : new BlobExportDestinations(inputs.exportConnectionString, systemClock),
    records: {
      removeRequest: (stored) => inputs.requests.removeRequest(stored),
      eraseTrail: (requestId) => eraser.eraseTrail(requestId),
      eraseTrailFiles: (requestId) => trailFiles.removeAll(`${TRAILS_PREFIX}${requestId}/`),
    },
    tombstones,
  };
  return { files, links, linkDeps, tombstones, retention };
}
