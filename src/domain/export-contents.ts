/** A summary of an export container: one folder per product, file counts and sizes. */
export interface ExportContents {
  readonly folders: readonly { readonly name: string; readonly files: number; readonly bytes: number }[];
  readonly files: number;
  readonly bytes: number;
}

/** The folder name a summary gives the files at the top of a container (Graph's RequestInfo.json among them). */
export const TOP_LEVEL_FOLDER = '(top level)';
