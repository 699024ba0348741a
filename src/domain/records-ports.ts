import type { ExportRequest } from './export-request';
import type { Tombstone } from './request-outcome';

/*
 * The ports of the records a privacy team keeps beyond the workflow: files in the audit container (trail
 * exports, reports, daily seals) and the tombstones left when a request's record is deleted.
 */

/** A file as stored in the audit container. */
export interface StoredFile {
  /** The storage account holding the container. */
  readonly accountName: string;
  readonly containerName: string;
  /** The blob's name inside the container, e.g. `trails/DSR-2026-0042/20261130T101500Z.jsonl`. */
  readonly name: string;
  readonly bytes: number;
  readonly contentType: string;
}

/** A file name taken already: files in the audit container are never overwritten. Nothing was written. */
export class FileExistsError extends Error {
  constructor(readonly fileName: string) {
    super(`The audit file ${fileName} exists already; audit files are never overwritten.`);
    this.name = 'FileExistsError';
  }
}

/**
 * The audit container in the export account (created on first use). Files are written once and never
 * replaced; in production the container has a time-based immutability (WORM) policy, so that not even the
 * account key can change or delete a file before its period ends.
 */
export interface AuditFiles {
  /** Writes a new file; rejects with {@link FileExistsError} when the name is taken. */
  write(name: string, content: string, contentType: string): Promise<StoredFile>;
  /** A file's content, or undefined when there is none by that name. */
  read(name: string): Promise<{ readonly content: Buffer; readonly contentType: string } | undefined>;
  /** Names of the files under `prefix`, in name order. */
  list(prefix: string): Promise<string[]>;
}

/** What is left of deleted requests (no personal data), for the metrics of past years. */
export interface Tombstones {
  /** Writes the tombstone; writing the same one again does nothing (a repeated deletion is harmless). */
  put(tombstone: Tombstone): Promise<void>;
  get(id: string): Promise<Tombstone | undefined>;
  /** Tombstones of requests received from `from` to `to` (YYYY-MM-DD, both included). */
  receivedBetween(from: string, to: string): Promise<Tombstone[]>;
}

/** Every stored request, page by page (reports and retention read them all; nothing else should). */
export interface RequestScan {
  /** All requests, in id order, read a page at a time. */
  scan(): AsyncIterable<ExportRequest>;
}
