import { ContainerClient, RestError } from '@azure/storage-blob';

/**
 * What the export service does with a `storageLocation` at submission, as its own code shows
 * (PcfProxyService.ValidateExternalStorageAsync, see docs/decisions/0008): it does not parse the SAS
 * permissions, it *uses* the SAS against the storage account, in a fixed order, and every failure has its own
 * code (all answered with 400). The sandbox does the same through the SAS against Azurite.
 */

/** The codes the export service answers, with 400, for a storage location it will not use. */
export type StorageLocationRefusal =
  | 'StorageLocationInvalid'
  | 'SharedAccessSignatureTokenInvalid'
  | 'StorageLocationNotServiceSAS'
  | 'StorageLocationNotAzureBlob'
  | 'StorageLocationShouldNotAllowListAccess'
  | 'StorageLocationAlreadyUsed'
  | 'StorageLocationNeedsWriteAddPermissions'
  | 'StorageLocationShouldSupportAppendBlobs'
  | 'StorageLocationShouldNotAllowReadAccess';

/** The messages Graph carries with each code (the service's own texts). */
export const STORAGE_LOCATION_MESSAGES = {
  StorageLocationInvalid: 'Storage Location is not valid.',
  SharedAccessSignatureTokenInvalid: 'Storage destination does not include SAS credentials.',
  StorageLocationNotServiceSAS:
    'Storage destination needs to have a Service SAS, not an Account SAS. See https://docs.microsoft.com/en-us/azure/storage/common/storage-dotnet-shared-access-signature-part-1 for more information.',
  StorageLocationNotAzureBlob: 'Storage destination must be an azure blob container.',
  StorageLocationShouldNotAllowListAccess: 'Storage destination should not allow list access.',
  StorageLocationAlreadyUsed:
    "Storage destination has already been used for an export. If this is not true, delete 'RequestInfo.json' from the container and try again.",
  StorageLocationNeedsWriteAddPermissions: 'Storage destination does not have write/add permissions.',
  StorageLocationShouldSupportAppendBlobs:
    'Storage destination should support append blobs. You might be using premium storage. See https://docs.microsoft.com/en-us/rest/api/storageservices/using-blob-service-operations-with-azure-premium-storage#premium-storage-accounts-support-page-blobs-only for more information.',
  StorageLocationShouldNotAllowReadAccess: 'Storage destination should not allow read access.',
} as const satisfies Record<StorageLocationRefusal, string>;

export const REQUEST_INFO_BLOB = 'RequestInfo.json';

/** The file the service writes into the container at submission; PascalCase, as its JSON serializer writes it. */
export interface RequestInfo {
  readonly Description: string;
  /** The request's correlation vector (a string such as `base64.0`), not a GUID. */
  readonly CorrelationId: string;
  /** The command id: the same id as the dataPolicyOperation's. */
  readonly CommandId: string;
  readonly Subject: { readonly ObjectId: string; readonly TenantId: string };
  /** When the request was made: a date-time with an offset. */
  readonly Timestamp: string;
  /** The service's activity id for the submission; not the operation id. */
  readonly RequestGuid: string;
}

export const REQUEST_INFO_DESCRIPTION =
  'This file is included to ensure a tenant admin can associate the exported data with the right user and tenant and to validate that Microsoft has write access to the Azure Storage prior to exporting data. You can ignore this file.';

export interface StorageAccountBehaviour {
  /**
   * False simulates a premium block-blob account (BlockBlobStorage), which has no append blobs: creating
   * RequestInfo.json as an append blob answers 400 BlobTypeNotSupported there. Azurite has append blobs, so
   * the sandbox answers that itself instead of calling Azurite for that step.
   */
  readonly appendBlobs: boolean;
}

/** `storageLocation` as the service first reads it: a string holding an absolute URL, else StorageLocationInvalid. */
export function parseStorageLocation(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** Emulators (Azurite) use path-style URLs, `/{account}/{container}`; Azure uses `{account}.blob…/{container}`. */
function isPathStyle(url: URL): boolean {
  return ['localhost', '[::1]'].includes(url.hostname) || /^\d{1,3}(\.\d{1,3}){3}$/.test(url.hostname);
}

function containerSegments(url: URL): string[] {
  const segments = url.pathname.split('/').filter(Boolean);
  return isPathStyle(url) ? segments.slice(1) : segments;
}

function status(err: unknown): number | undefined {
  return err instanceof RestError ? err.statusCode : undefined;
}

/** Creates RequestInfo.json as an append blob, only if absent, then writes its text (create, then append). */
async function createRequestInfo(
  container: ContainerClient,
  text: string,
  account: StorageAccountBehaviour,
): Promise<void> {
  if (!account.appendBlobs) {
    throw new RestError('Append blobs are not supported.', { statusCode: 400, code: 'BlobTypeNotSupported' });
  }
  const blob = container.getAppendBlobClient(REQUEST_INFO_BLOB);
  await blob.create({ conditions: { ifNoneMatch: '*' } });
  await blob.appendBlock(text, Buffer.byteLength(text));
}

/**
 * Checks a storage location as the export service does, and claims it by writing RequestInfo.json:
 * 1. a SAS at all (a `sig`), else SharedAccessSignatureTokenInvalid;
 * 2. a service SAS: an `ss` parameter marks an account SAS, StorageLocationNotServiceSAS;
 * 3. exactly one path segment, the container, else StorageLocationNotAzureBlob;
 * 4. listing blobs must be forbidden (403), else StorageLocationShouldNotAllowListAccess;
 * 5. RequestInfo.json is created as an append blob if absent: 409 StorageLocationAlreadyUsed, 403
 *    StorageLocationNeedsWriteAddPermissions, BlobTypeNotSupported StorageLocationShouldSupportAppendBlobs;
 * 6. reading it back must be forbidden (403); if it can be read, the file is deleted (best effort) and the
 *    answer is StorageLocationShouldNotAllowReadAccess.
 * Any other failure on the way is StorageLocationInvalid. Returns the refusal, or undefined when the location
 * was accepted (RequestInfo.json is then in the container).
 */
export async function claimStorageLocation(
  url: URL,
  info: RequestInfo,
  account: StorageAccountBehaviour,
): Promise<StorageLocationRefusal | undefined> {
  if (!url.searchParams.get('sig')) return 'SharedAccessSignatureTokenInvalid';
  if (url.searchParams.has('ss')) return 'StorageLocationNotServiceSAS';
  if (containerSegments(url).length !== 1) return 'StorageLocationNotAzureBlob';
  try {
    const container = new ContainerClient(url.toString());
    try {
      await container.listBlobsFlat().byPage({ maxPageSize: 1 }).next();
      return 'StorageLocationShouldNotAllowListAccess';
    } catch (err) {
      if (status(err) !== 403) throw err;
    }
    try {
      await createRequestInfo(container, JSON.stringify(info, null, 2), account);
    } catch (err) {
      if (status(err) === 409) return 'StorageLocationAlreadyUsed';
      if (status(err) === 403) return 'StorageLocationNeedsWriteAddPermissions';
      if (err instanceof RestError && err.code === 'BlobTypeNotSupported')
        return 'StorageLocationShouldSupportAppendBlobs';
      throw err;
    }
    const written = container.getBlobClient(REQUEST_INFO_BLOB);
    try {
      await written.downloadToBuffer(0, 1);
    } catch (err) {
      if (status(err) === 403) return undefined;
      throw err;
    }
    // It could read: the service removes its file (when the SAS may delete) so the container can be reused.
    await written.delete().catch(() => undefined);
    return 'StorageLocationShouldNotAllowReadAccess';
  } catch {
    return 'StorageLocationInvalid';
  }
}
