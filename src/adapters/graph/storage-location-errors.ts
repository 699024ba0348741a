/**
 * What the export service's refusals of the destination mean, and what to do. The service checks the SAS it
 * is given at submission (PcfProxyService.ValidateExternalStorageAsync: see
 * docs/decisions/0008-the-export-service-as-its-code-shows.md) and answers 400 with one of these codes.
 *
 * `misconfigured`: the export account or the bot's SAS is wrong: fix it, then Retry.
 * `used`: the container already served an export: Retry (it exports into a new container).
 */
export const STORAGE_LOCATION_REFUSALS: Readonly<
  Record<string, { readonly kind: 'misconfigured' | 'used'; readonly what: string }>
> = {
  SharedAccessSignatureTokenInvalid: {
    kind: 'misconfigured',
    what: 'the container address Graph was given carries no valid SAS (check that the bot host clock is right and EXPORT_STORAGE_CONNECTION_STRING names a storage account with its key)',
  },
  StorageLocationNotServiceSAS: {
    kind: 'misconfigured',
    what: 'Graph accepts only a service SAS for one container, not an account SAS (the bot makes service SAS; check that nothing rewrites the export URL)',
  },
  StorageLocationNotAzureBlob: {
    kind: 'misconfigured',
    what: 'the export address is not one blob container of Azure Blob Storage (EXPORT_STORAGE_CONNECTION_STRING must name a storage account with a blob endpoint)',
  },
  StorageLocationShouldNotAllowListAccess: {
    kind: 'misconfigured',
    what: 'the SAS allows listing the container, which Graph refuses (the container access policy must grant create and write only)',
  },
  StorageLocationNeedsWriteAddPermissions: {
    kind: 'misconfigured',
    what: "Graph could not create its RequestInfo.json in the container: the SAS must allow create and write, and the account's firewall must let Microsoft Graph in (allow public network access, or the trusted Microsoft services)",
  },
  StorageLocationShouldSupportAppendBlobs: {
    kind: 'misconfigured',
    what: 'the export account does not support append blobs (a premium block-blob account): use a standard general-purpose v2 account for EXPORT_STORAGE_CONNECTION_STRING',
  },
  StorageLocationShouldNotAllowReadAccess: {
    kind: 'misconfigured',
    what: 'the SAS allows reading the container, which Graph refuses (the container access policy must grant create and write only)',
  },
  StorageLocationInvalid: {
    kind: 'misconfigured',
    what: 'Graph could not use the export container (it may have been deleted, or the storage account refused Graph for another reason)',
  },
  StorageLocationAlreadyUsed: {
    kind: 'used',
    what: 'the container already holds the RequestInfo.json of an earlier export',
  },
};

/** An admin-readable sentence for a StorageLocation* refusal, with the next step; undefined for other codes. */
export function explainStorageLocation(code: string): string | undefined {
  const entry = STORAGE_LOCATION_REFUSALS[code];
  if (!entry) return undefined;
  return entry.kind === 'used'
    ? `Graph refused the export container: ${entry.what}. Retry exports into a new container.`
    : `Graph refused the export destination: ${entry.what}. Fix the export account, then choose Retry (it exports into a new container).`;
}
