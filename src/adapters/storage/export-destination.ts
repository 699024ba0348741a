import {
  BlobServiceClient,
  ContainerSASPermissions,
  RestError,
  SASProtocol,
  type ContainerClient,
} from '@azure/storage-blob';
import type { Clock } from '../../domain/ports';
import { Secret } from '../../secret';

/** Where one request's export goes. The SAS is a secret: it is handed to Graph and nowhere else. */
export interface ExportDestination {
  readonly accountName: string;
  readonly containerName: string;
  readonly sasUrl: Secret;
  readonly expiresOn: string;
}

/** The container exists already: a container is used for one export only. */
export class ContainerAlreadyExistsError extends Error {
  constructor(readonly containerName: string) {
    super(
      `The export container ${containerName} exists already; each export needs a fresh, empty container.`,
    );
    this.name = 'ContainerAlreadyExistsError';
  }
}

const POLICY = 'export';
/** Exports take up to 30 days; the SAS outlives that a little, and is revoked when the export ends. */
const SAS_LIFETIME_DAYS = 35;

/** Container names: 3–63 lower-case letters, digits and single hyphens. */
export function containerNameFor(requestId: string, attempt = 1): string {
  const slug = requestId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const base = slug.startsWith('dsr-') ? slug : `dsr-${slug}`;
  return (attempt > 1 ? `${base}-r${attempt}` : base).slice(0, 63);
}

function isLoopback(url: string): boolean {
  return /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i.test(url);
}

/**
 * Export destinations in the export storage account: a fresh container per request (and per retry), a SAS
 * bound to a stored access policy on that container with create and write only (no read, list or delete),
 * HTTPS-only unless the account is a local emulator, valid for 35 days; revoking the policy ends the SAS.
 */
export class BlobExportDestinations {
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
      if (err instanceof RestError && err.statusCode === 409)
        throw new ContainerAlreadyExistsError(containerName);
      throw err;
    }
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
   * Evidence that Graph accepted an export into this container: it writes RequestInfo.json there. Read with
   * the account's own credentials (the SAS cannot read).
   */
  async hasExportEvidence(containerName: string): Promise<boolean> {
    try {
      return await this.container(containerName).getBlobClient('RequestInfo.json').exists();
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return false;
      throw err;
    }
  }
}
