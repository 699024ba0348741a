import {
  BlobServiceClient,
  ContainerSASPermissions,
  RestError,
  SASProtocol,
  type ContainerClient,
} from '@azure/storage-blob';
import {
  ContainerInUseError,
  DestinationUnfitError,
  type Clock,
  type ExportDestinations,
} from '../../domain/ports';
import type { ExportContents } from '../../domain/export-request';
import type { ExportRemoval } from '../../domain/retention-ports';
import { isGuid } from '../../domain/identity';
import { summarizeListing, type ListedBlob } from './export-contents';
import { destinationProblem } from './export-sas-check';
import { Secret } from '../../secret';

/** Where one request's export goes. The SAS is a secret: it is handed to Graph and nowhere else. */
export interface ExportDestination {
  readonly accountName: string;
  readonly containerName: string;
  readonly sasUrl: Secret;
  readonly expiresOn: string;
}

/** The container exists already: a container is used for one export only. */
export { ContainerInUseError as ContainerAlreadyExistsError } from '../../domain/ports';

const POLICY = 'export';
/** Create and write only: Graph refuses a SAS that can read or list (docs/decisions/0008). */
const PERMISSIONS = 'cw';

/** Fields of RequestInfo.json that may hold the operation's id, most likely first (lower case). */
const EVIDENCE_ID_FIELDS = ['commandid', 'operationid', 'requestguid', 'requestid', 'id'];
/** Exports take up to 30 days; the SAS outlives that a little, and is revoked when the export ends. */
const SAS_LIFETIME_DAYS = 35;

export { containerNameFor } from '../../domain/policies';

function isLoopback(url: string): boolean {
  return /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i.test(url);
}

/**
 * Export destinations in the export storage account: a fresh container per request (and per retry), a SAS
 * bound to a stored access policy on that container with create and write only (no read, list or delete),
 * HTTPS-only unless the account is a local emulator, valid for 35 days; revoking the policy ends the SAS.
 */
export class BlobExportDestinations implements ExportDestinations, ExportRemoval {
  private readonly service: BlobServiceClient;

  private accountKind: Promise<string | undefined> | undefined;

  constructor(
    connectionString: string,
    private readonly clock: Clock,
    /** The account's kind (StorageV2, BlockBlobStorage …); Azure Storage is asked once when absent. */
    accountKind?: () => Promise<string | undefined>,
  ) {
    this.service = BlobServiceClient.fromConnectionString(connectionString);
    this.readAccountKind = accountKind ?? (async () => (await this.service.getAccountInfo()).accountKind);
  }

  private readonly readAccountKind: () => Promise<string | undefined>;

  private container(name: string): ContainerClient {
    return this.service.getContainerClient(name);
  }

  /** Creates the container and its SAS. Refuses a container that exists (never reuses one). */
  async create(containerName: string): Promise<ExportDestination> {
    const container = this.container(containerName);
    try {
      await container.create();
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 409) throw new ContainerInUseError(containerName);
      throw err;
    }
    return this.sas(container);
  }

  /**
   * The container for an attempt and a SAS for it: created when missing; reused when it exists and is still
   * empty (the bot stopped after creating it, or Graph asked to wait and took nothing). A container holding
   * anything is refused: something was exported into it.
   */
  async prepare(containerName: string): Promise<ExportDestination> {
    this.accountKind ??= this.readAccountKind().catch((err: unknown) => {
      this.accountKind = undefined;
      throw err;
    });
    const accountKind = await this.accountKind;
    const container = this.container(containerName);
    try {
      await container.create();
    } catch (err) {
      if (!(err instanceof RestError && err.statusCode === 409)) throw err;
      const first = await container.listBlobsFlat().next();
      if (first.done !== true) throw new ContainerInUseError(containerName);
    }
    const destination = await this.sas(container);
    // Check what the account really holds now, as the export service will.
    const policies = (await container.getAccessPolicy()).signedIdentifiers;
    const problem = destinationProblem({
      sasUrl: destination.sasUrl.reveal(),
      permissions: policies.find((p) => p.id === POLICY)?.accessPolicy?.permissions ?? '',
      accountKind,
    });
    if (problem) throw new DestinationUnfitError(problem);
    return destination;
  }

  private async sas(container: ContainerClient): Promise<ExportDestination> {
    const containerName = container.containerName;
    const now = this.clock.now();
    const expiresOn = new Date(now.getTime() + SAS_LIFETIME_DAYS * 24 * 3600 * 1000);
    await container.setAccessPolicy(undefined, [
      {
        id: POLICY,
        accessPolicy: {
          permissions: ContainerSASPermissions.parse(PERMISSIONS).toString(),
          startsOn: new Date(now.getTime() - 5 * 60 * 1000),
          expiresOn,
        },
      },
    ]);
    const sasUrl = await container.generateSasUrl({
      identifier: POLICY,
      protocol: isLoopback(container.url) ? SASProtocol.HttpsAndHttp : SASProtocol.Https,
    });
    return {
      accountName: container.accountName,
      containerName,
      sasUrl: new Secret(sasUrl),
      expiresOn: expiresOn.toISOString(),
    };
  }

  /** Deletes the container and everything in it (retention); true when it existed. Idempotent. */
  async removeContainer(containerName: string): Promise<boolean> {
    const result = await this.container(containerName).deleteIfExists();
    return result.succeeded;
  }

  /** Ends every SAS of the container (its stored access policy is removed). Idempotent. */
  async revoke(containerName: string): Promise<void> {
    try {
      await this.container(containerName).setAccessPolicy(undefined, []);
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return;
      throw err;
    }
  }

  /**
   * Graph's RequestInfo.json in the container, and the ids it holds that may name the operation. The export
   * service writes it at submission with PascalCase fields; its `CommandId` is the operation's id (and
   * `RequestGuid` the request's). Field names are matched without regard to case, and only GUID values count.
   */
  async findEvidence(
    containerName: string,
  ): Promise<{ readonly found: boolean; readonly operationIds?: readonly string[] }> {
    const blob = this.container(containerName).getBlobClient('RequestInfo.json');
    let text: string;
    try {
      const body = await blob.downloadToBuffer();
      text = body.toString('utf8');
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return { found: false };
      throw err;
    }
    let info: Record<string, unknown> = {};
    try {
      info = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
    } catch {
      return { found: true };
    }
    const byName = new Map(Object.entries(info).map(([k, v]) => [k.toLowerCase(), v]));
    const ids = EVIDENCE_ID_FIELDS.map((k) => byName.get(k)).filter(isGuid);
    return { found: true, operationIds: [...new Set(ids.map((id) => id.toLowerCase()))] };
  }

  /**
   * What the container holds, listed with the bot's own storage credential (the SAS cannot list, and may be
   * revoked): one folder per product, files and bytes (see {@link summarizeListing} for the limits). Rejects
   * when the container does not exist (404 ContainerNotFound) or holds more than a summary may count.
   */
  summarize(containerName: string): Promise<ExportContents> {
    return summarizeListing(containerName, listed(this.container(containerName)));
  }
}

/** The container's blobs, page by page (5,000 a page): names and sizes only. */
async function* listed(container: ContainerClient): AsyncGenerator<ListedBlob> {
  for await (const page of container.listBlobsFlat().byPage({ maxPageSize: 5000 })) {
    for (const blob of page.segment.blobItems) yield { name: blob.name, size: blob.properties.contentLength };
  }
}
