import {
  BlobServiceClient,
  ContainerSASPermissions,
  RestError,
  SASProtocol,
  type ContainerClient,
} from '@azure/storage-blob';
import { ContainerInUseError, type Clock, type ExportDestinations } from '../../domain/ports';
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
export class BlobExportDestinations implements ExportDestinations {
  private readonly service: BlobServiceClient;

  constructor(
    connectionString: string,
    private readonly clock: Clock,
  ) {
    this.service = BlobServiceClient.fromConnectionString(connectionString);
  }

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
    const container = this.container(containerName);
    try {
      await container.create();
    } catch (err) {
      if (!(err instanceof RestError && err.statusCode === 409)) throw err;
      const first = await container.listBlobsFlat().next();
      if (first.done !== true) throw new ContainerInUseError(containerName);
    }
    return this.sas(container);
  }

  private async sas(container: ContainerClient): Promise<ExportDestination> {
    const containerName = container.containerName;
    const now = this.clock.now();
    const expiresOn = new Date(now.getTime() + SAS_LIFETIME_DAYS * 24 * 3600 * 1000);
    await container.setAccessPolicy(undefined, [
      {
        id: POLICY,
        accessPolicy: {
          permissions: ContainerSASPermissions.parse('cw').toString(),
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
   * Graph's RequestInfo.json in the container, and the operation id it names when it names one (its fields
   * are not documented: `requestId`, `operationId` or `id` holding a GUID is taken as the operation).
   */
  async findEvidence(containerName: string): Promise<{ found: boolean; operationId?: string }> {
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
    const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const id = [info.operationId, info.requestId, info.id].find(
      (v): v is string => typeof v === 'string' && guid.test(v),
    );
    return id ? { found: true, operationId: id } : { found: true };
  }
}
