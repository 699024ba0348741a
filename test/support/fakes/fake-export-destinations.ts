import { summarizeListing } from '../../../src/adapters/storage/export-contents';
import { destinationProblem } from '../../../src/adapters/storage/export-sas-check';
import type { ExportContents } from '../../../src/domain/export-request';
import {
  ContainerInUseError,
  DestinationUnfitError,
  type ExportDestinations,
  type ExportTarget,
} from '../../../src/domain/ports';
import type { ExportRemoval } from '../../../src/domain/retention-ports';
import { Secret } from '../../../src/secret';
import { Faults } from './faults';

type DestinationOps = {
  prepare: [containerName: string];
  findEvidence: [containerName: string];
  revoke: [containerName: string];
  removeContainer: [containerName: string];
  summarize: [containerName: string];
};

interface Container {
  readonly blobs: Map<string, string>;
  /** The stored access policy every SAS of the container refers to; revoking removes it. */
  policy: boolean;
}

/** Fields of RequestInfo.json that may hold the operation's id, most likely first (as the adapter reads them). */
const EVIDENCE_ID_FIELDS = ['commandid', 'operationid', 'requestguid', 'requestid', 'id'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What Azure Storage answers for a container that does not exist. */
export class ContainerNotFoundError extends Error {
  readonly statusCode = 404;
  readonly code = 'ContainerNotFound';
  constructor(containerName: string) {
    super(`The container ${containerName} does not exist (404 ContainerNotFound).`);
    this.name = 'ContainerNotFoundError';
  }
}

/** What Azure Storage answers when a SAS no longer (or never did) grant the write. */
export class SasRefusedError extends Error {
  readonly statusCode = 403;
  constructor(containerName: string) {
    super(`The SAS for container ${containerName} grants nothing (403 AuthorizationFailure).`);
    this.name = 'SasRefusedError';
  }
}

/**
 * The export storage account in memory, with the contract of {@link BlobExportDestinations}: one container
 * per attempt, created or reused while empty (ContainerInUseError once it holds anything), a write-only SAS
 * bound to the container's access policy (checked as Graph checks it: DestinationUnfitError), evidence read
 * from Graph's RequestInfo.json, revocation that ends every SAS of the container, and a summary of what the
 * container holds (read with the account's own key, so after revocation too). What Graph writes
 * through a SAS goes through {@link FakeExportDestinations.writeThroughSas}.
 */
export class FakeExportDestinations implements ExportDestinations, ExportRemoval {
  readonly faults = new Faults<DestinationOps>();
  private readonly containers = new Map<string, Container>();
  private signatures = 0;

  constructor(
    private readonly account: { readonly name: string; readonly kind: string } = {
      name: 'fakeexports',
      kind: 'StorageV2',
    },
  ) {}

  async prepare(containerName: string): Promise<ExportTarget> {
    await this.faults.check('prepare', containerName);
    let container = this.containers.get(containerName);
    if (container && container.blobs.size > 0) throw new ContainerInUseError(containerName);
    if (!container) {
      container = { blobs: new Map(), policy: false };
      this.containers.set(containerName, container);
    }
    container.policy = true;
    const sasUrl = `https://${this.account.name}.blob.core.windows.net/${containerName}?sv=2025-05-05&spr=https&si=export&sr=c&sig=fake${++this.signatures}`;
    const problem = destinationProblem({ sasUrl, permissions: 'cw', accountKind: this.account.kind });
    if (problem) throw new DestinationUnfitError(problem);
    return { accountName: this.account.name, containerName, sasUrl: new Secret(sasUrl) };
  }

  async findEvidence(
    containerName: string,
  ): Promise<{ readonly found: boolean; readonly operationIds?: readonly string[] }> {
    await this.faults.check('findEvidence', containerName);
    const text = this.containers.get(containerName)?.blobs.get('RequestInfo.json');
    if (text === undefined) return { found: false };
    let info: Record<string, unknown>;
    try {
      info = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
    } catch {
      return { found: true };
    }
    const byName = new Map(Object.entries(info).map(([k, v]) => [k.toLowerCase(), v]));
    const ids = EVIDENCE_ID_FIELDS.map((k) => byName.get(k)).filter(
      (v): v is string => typeof v === 'string' && GUID.test(v),
    );
    return { found: true, operationIds: [...new Set(ids.map((id) => id.toLowerCase()))] };
  }

  async revoke(containerName: string): Promise<void> {
    await this.faults.check('revoke', containerName);
    const container = this.containers.get(containerName);
    if (container) container.policy = false;
  }

  /** Deletes the container (retention); true when it existed. */
  async removeContainer(containerName: string): Promise<boolean> {
    await this.faults.check('removeContainer', containerName);
    return this.containers.delete(containerName);
  }

  /** What the container holds, as the adapter counts it (sizes are the texts' UTF-8 bytes). */
  async summarize(containerName: string): Promise<ExportContents> {
    await this.faults.check('summarize', containerName);
    const container = this.containers.get(containerName);
    if (!container) throw new ContainerNotFoundError(containerName);
    const blobs = [...container.blobs].map(([name, text]) => ({ name, size: Buffer.byteLength(text) }));
    return summarizeListing(containerName, blobs);
  }

  /** A write through a SAS (what Graph does): refused with a 403 once the SAS was revoked. */
  writeThroughSas(sasUrl: Secret | string, blobName: string, text: string): Promise<void> {
    const url = new URL(typeof sasUrl === 'string' ? sasUrl : sasUrl.reveal());
    const containerName = url.pathname.split('/').filter(Boolean)[0] ?? '';
    const container = this.containers.get(containerName);
    if (!container?.policy || url.host !== `${this.account.name}.blob.core.windows.net`)
      return Promise.reject(new SasRefusedError(containerName));
    container.blobs.set(blobName, text);
    return Promise.resolve();
  }

  /** Whether the container exists, and its blobs' names (for assertions). */
  blobNames(containerName: string): string[] | undefined {
    const container = this.containers.get(containerName);
    return container ? [...container.blobs.keys()].sort() : undefined;
  }

  /** Whether any SAS of the container still grants writes (for assertions). */
  sasActive(containerName: string): boolean {
    return this.containers.get(containerName)?.policy ?? false;
  }
}
