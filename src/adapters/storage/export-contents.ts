import { TOP_LEVEL_FOLDER } from '../../domain/export-contents';
import type { ExportContents } from '../../domain/export-request';

/** The folder that files outside any folder count under (Graph's RequestInfo.json is one). */
export { TOP_LEVEL_FOLDER };

/**
 * How much a summary may read and hold. It is stored in the request record and sent in notices, so it stays
 * small; past a limit no summary is made (an {@link ExportSummaryLimitError} says which), never a wrong one.
 */
export interface SummaryLimits {
  /** Blobs listed at most: the listing stops at the first one past this. */
  readonly maxFiles: number;
  /** Distinct folders at most (Graph writes one per product: a handful). */
  readonly maxFolders: number;
  /** Longest folder name kept (a blob name may be 1,024 characters long). */
  readonly maxFolderNameLength: number;
}

export const DEFAULT_SUMMARY_LIMITS: SummaryLimits = {
  maxFiles: 100_000,
  maxFolders: 50,
  maxFolderNameLength: 100,
};

/** The container holds more than a summary may count: it was not summarised. */
export class ExportSummaryLimitError extends Error {
  constructor(
    readonly containerName: string,
    what: string,
  ) {
    super(`The export container ${containerName} was not summarised: it holds ${what}.`);
    this.name = 'ExportSummaryLimitError';
  }
}

/** One listed blob: its name and size in bytes (undefined counts as 0). */
export interface ListedBlob {
  readonly name: string;
  readonly size: number | undefined;
}

/**
 * Folds a listing into a summary: the first path segment is the folder (a name without one counts under
 * {@link TOP_LEVEL_FOLDER}), files and bytes are summed, folders are sorted by name (ordinal). Only counters
 * are kept; the listing is left (and, for Azure's paged listing, stops fetching) at the first blob past a limit.
 */
export async function summarizeListing(
  containerName: string,
  blobs: AsyncIterable<ListedBlob> | Iterable<ListedBlob>,
  limits: SummaryLimits = DEFAULT_SUMMARY_LIMITS,
): Promise<ExportContents> {
  const folders = new Map<string, { files: number; bytes: number }>();
  let files = 0;
  let bytes = 0;
  for await (const blob of blobs) {
    if (files >= limits.maxFiles)
      throw new ExportSummaryLimitError(containerName, `more than ${limits.maxFiles} files`);
    const slash = blob.name.indexOf('/');
    if (slash > limits.maxFolderNameLength)
      throw new ExportSummaryLimitError(
        containerName,
        `a folder name longer than ${limits.maxFolderNameLength} characters`,
      );
    const name = slash > 0 ? blob.name.slice(0, slash) : TOP_LEVEL_FOLDER;
    let folder = folders.get(name);
    if (!folder) {
      if (folders.size >= limits.maxFolders)
        throw new ExportSummaryLimitError(containerName, `more than ${limits.maxFolders} folders`);
      folder = { files: 0, bytes: 0 };
      folders.set(name, folder);
    }
    const size = blob.size ?? 0;
    folder.files += 1;
    folder.bytes += size;
    files += 1;
    bytes += size;
  }
  return {
    folders: [...folders]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, f]) => ({ name, files: f.files, bytes: f.bytes })),
    files,
    bytes,
  };
}
