import { FileExistsError, type AuditFiles, type StoredFile } from '../../../src/domain/records-ports';

/** The audit container in memory, with the contract of BlobAuditFiles: write once, never overwrite. */
export class FakeAuditFiles implements AuditFiles {
  private readonly files = new Map<string, { content: Buffer; contentType: string }>();

  constructor(
    readonly accountName = 'fakeaccount',
    readonly containerName = 'audit',
  ) {}

  async write(name: string, content: string, contentType: string): Promise<StoredFile> {
    await Promise.resolve();
    if (this.files.has(name)) throw new FileExistsError(name);
    const body = Buffer.from(content, 'utf8');
    this.files.set(name, { content: body, contentType });
    return {
      accountName: this.accountName,
      containerName: this.containerName,
      name,
      bytes: body.length,
      contentType,
    };
  }

  async read(name: string): Promise<{ content: Buffer; contentType: string } | undefined> {
    await Promise.resolve();
    return this.files.get(name);
  }

  async list(prefix: string): Promise<string[]> {
    await Promise.resolve();
    return [...this.files.keys()].filter((n) => n.startsWith(prefix)).sort();
  }

  /** The text of a file (tests). */
  text(name: string): string | undefined {
    return this.files.get(name)?.content.toString('utf8');
  }
}
