import type { ExportRequest } from './export-request';
import type { Versioned } from './ports';

/*
 * The ports retention deletes through. Every deletion is safe to repeat: deleting what is gone already is not
 * an error.
 */

/** Deletes export containers (with everything in them). */
export interface ExportRemoval {
  /** Deletes the container; true when it existed. */
  removeContainer(containerName: string): Promise<boolean>;
}

/** Deletes a request's record and its audit trail (its tombstone is written first, elsewhere). */
export interface RecordRemoval {
  /** Deletes the request (only at `etag`: a request changed meanwhile stays) and its index rows. */
  removeRequest(request: Versioned<ExportRequest>): Promise<void>;
  /** Deletes every entry of the request's audit trail, its head too; how many rows went. */
  eraseTrail(requestId: string): Promise<number>;
  /** Deletes the request's trail exports (copies made for a download); how many files went. */
  eraseTrailFiles(requestId: string): Promise<number>;
}

/** Finds and deletes old intake drafts. */
export interface DraftPurge {
  /** Ids of drafts created before `cutoff` (ISO), at most `max`. */
  draftsBefore(cutoff: string, max: number): Promise<string[]>;
  /** Deletes the draft; true when it existed. */
  removeDraft(id: string): Promise<boolean>;
}

/** Deletes one-time download links long expired (they name the admin they were issued to). */
export interface LinkPurge {
  /** Deletes up to `max` links that expired before `before` (ISO); how many went. */
  purgeExpired(before: string, max: number): Promise<number>;
}

/** Whether an export destination can also delete its containers (a test's fake may not). */
export function isExportRemoval(x: object): x is ExportRemoval {
  return typeof (x as Partial<ExportRemoval>).removeContainer === 'function';
}
