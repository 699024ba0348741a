import { BlobServiceClient, RestError, type ContainerClient } from '@azure/storage-blob';
import { FileExistsError, type AuditFiles, type StoredFile } from '../../domain/records-ports';

const statusOf = (err: unknown) => (err instanceof RestError ? err.statusCode : undefined);

/**
 * The audit container in the export account (`audit` by default): trail exports, reports and daily seals.
 * Every file is created only if absent (`If-None-Match: *`), so nothing here ever overwrites a file; the
 * container's immutability policy (infra/main.bicep) makes that hold against the account key too. Azurite does
 * not enforce immutability: locally the write-once rule is this class's alone.
 */
export class BlobAuditFiles implements AuditFiles {
  private readonly container: ContainerClient;
  private ready: Promise<void> | undefined;

  constructor(
    connectionString: string,
    readonly containerName = 'audit',
  ) {
    this.container =
      BlobServiceClient.fromConnectionString(connectionString).getContainerClient(containerName);
  }

  private ensureContainer(): Promise<void> {
    this.ready ??= this.container.createIfNotExists().then(
      () => undefined,
      (err: unknown) => {
        this.ready = undefined;
        throw err;
      },
    );
    return this.ready;
  }

  async write(name: string, content: string, contentType: string): Promise<StoredFile> {
    await this.ensureContainer();
    const body = Buffer.from(content, 'utf8');
    try {
      await this.container.getBlockBlobClient(name).upload(body, body.length, {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: contentType },
      });
    } catch (err) {
      if (statusOf(err) === 409 || statusOf(err) === 412) throw new FileExistsError(name);
      throw err;
    }
    return {
      accountName: this.container.accountName,
      containerName: this.containerName,
      name,
      bytes: body.length,
      contentType,
    };
  }

  async read(name: string): Promise<{ content: Buffer; contentType: string } | undefined> {
    await this.ensureContainer();
    try {
      const blob = this.container.getBlobClient(name);
      const props = await blob.getProperties();
      const content = await blob.downloadToBuffer();
      return { content, contentType: props.contentType ?? 'application/octet-stream' };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    await this.ensureContainer();
    const names: string[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix })) names.push(blob.name);
    return names.sort();
  }

  /** Deletes every file under `prefix`; how many went (a container under a WORM policy refuses: it throws). */
  async removeAll(prefix: string): Promise<number> {
    await this.ensureContainer();
    let removed = 0;
    for await (const blob of this.container.listBlobsFlat({ prefix }))
      if ((await this.container.getBlobClient(blob.name).deleteIfExists()).succeeded) removed++;
    return removed;
  }
}

/** Names under this prefix are trail exports (copies for download), kept apart from the records. */
export const TRAILS_PREFIX = 'trails/';

/**
 * The audit files as the bot sees them, in two containers: trail exports (`trails/…`: personal data, copies for
 * a download, no WORM, deleted with the request's record and by the lifecycle rule after a day) and everything
 * else (`seals/…`, `reports/…`: the records, in the WORM container).
 */
export class RoutedAuditFiles implements AuditFiles {
  constructor(
    private readonly records: AuditFiles,
    private readonly trails: AuditFiles,
  ) {}

  private of(name: string): AuditFiles {
    return name.startsWith(TRAILS_PREFIX) ? this.trails : this.records;
  }

  write(name: string, content: string, contentType: string): Promise<StoredFile> {
    return this.of(name).write(name, content, contentType);
  }

  read(name: string): Promise<{ content: Buffer; contentType: string } | undefined> {
    return this.of(name).read(name);
  }

  list(prefix: string): Promise<string[]> {
    return this.of(prefix).list(prefix);
  }
}
