/** A summary of an export container: one folder per product, file counts and sizes. */
export interface ExportContents {
  readonly folders: readonly { readonly name: string; readonly files: number; readonly bytes: number }[];
  readonly files: number;
  readonly bytes: number;
}
