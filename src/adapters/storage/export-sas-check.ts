/**
 * The export service's own checks of a destination, made by the bot before it hands a SAS to Graph, so that a
 * destination Graph would refuse fails early and in words (docs/decisions/0008). Pure: it reads the SAS URL,
 * the permissions of the container's stored access policy and the account's kind.
 */
export interface DestinationFacts {
  /** The SAS URL for the container (read here only; never logged or returned). */
  readonly sasUrl: string;
  /** The permissions the SAS grants (its `sp`, or its stored access policy's), e.g. `cw`. */
  readonly permissions: string;
  /** The account kind Azure Storage reports (StorageV2, BlobStorage, BlockBlobStorage …). */
  readonly accountKind: string | undefined;
}

/** Why Graph would refuse this destination, in an admin's words; undefined when it would take it. */
export function destinationProblem(facts: DestinationFacts): string | undefined {
  if (facts.accountKind === 'BlockBlobStorage') {
    return 'The export account is a premium block-blob account, which has no append blobs; Graph writes its files as append blobs. Use a standard general-purpose v2 account for EXPORT_STORAGE_CONNECTION_STRING.';
  }
  let url: URL;
  try {
    url = new URL(facts.sasUrl);
  } catch {
    return 'The export container address is not a URL.';
  }
  const q = url.searchParams;
  if (!q.get('sig')) return 'The export container address carries no SAS signature.';
  if (q.has('ss') || q.has('srt'))
    return 'The export SAS is an account SAS; Graph takes a service SAS for one container only.';
  // Path style (emulator): /account/container; host style (Azure): /container.
  const parts = url.pathname.split('/').filter(Boolean);
  const containerParts = /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname) ? parts.slice(1) : parts;
  if (q.get('sr') !== 'c' || containerParts.length !== 1)
    return 'The export SAS does not name exactly one blob container.';
  const p = facts.permissions;
  if (p.includes('r'))
    return 'The export SAS allows reading; Graph refuses a destination it could read back.';
  if (p.includes('l')) return 'The export SAS allows listing; Graph refuses a destination it could list.';
  if (!p.includes('c') || !p.includes('w'))
    return 'The export SAS must allow create and write, so that Graph can write its files.';
  return undefined;
}
