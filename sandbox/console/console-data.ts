import type { ServerResponse } from 'node:http';
import { RestError, type BlobServiceClient } from '@azure/storage-blob';
import type { RequestStore } from '../../src/domain/ports';
import { ROLE, type SandboxTenant } from '../demo-tenant';

/**
 * What the sandbox console shows, read from the sandbox's own data: the demo tenant's people, the open
 * requests (through the project's own request store), and the export containers in Azurite with their files.
 */

/** A refusal the console answers with this HTTP status and message. */
export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleError';
  }
}

const ROLE_NAMES: Readonly<Record<string, string>> = {
  [ROLE.globalAdministrator]: 'Global Administrator',
  [ROLE.privilegedRoleAdministrator]: 'Privileged Role Administrator',
  [ROLE.complianceAdministrator]: 'Compliance Administrator',
  [ROLE.complianceDataAdministrator]: 'Compliance Data Administrator',
  [ROLE.userAdministrator]: 'User Administrator',
};

const roleName = (id: string) => ROLE_NAMES[id] ?? id;

export interface ConsolePerson {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly jobTitle: string | null;
  readonly department: string | null;
  /** The Teams user id the Playground gives them; null for people only in the directory. */
  readonly teamsId: string | null;
  readonly roles: readonly string[];
  readonly eligibleRoles: readonly string[];
}

export function peopleOf(tenant: SandboxTenant): ConsolePerson[] {
  return tenant.users.map((u) => ({
    id: u.id,
    displayName: u.displayName,
    userPrincipalName: u.userPrincipalName,
    jobTitle: u.jobTitle,
    department: u.department,
    teamsId: u.teamsId ?? null,
    roles: u.activeRoles.map(roleName),
    eligibleRoles: u.eligibleRoles.map(roleName),
  }));
}

export interface ConsoleRequest {
  readonly id: string;
  readonly status: string;
  readonly subject: string;
  readonly requester: string;
  readonly requesterId: string;
  readonly regime: string;
  readonly dueDate: string;
  readonly createdAt: string;
  /** The approval card is in the approvals channel: someone can act on it. */
  readonly cardPosted: boolean;
  readonly container: string | null;
  readonly progress: number | null;
}

/** How many open requests the console lists. */
export const MAX_REQUESTS = 100;

export async function openRequests(
  store: Pick<RequestStore, 'openRequests'>,
): Promise<{ items: ConsoleRequest[]; total: number }> {
  const page = await store.openRequests(0, MAX_REQUESTS);
  return {
    total: page.total,
    items: page.items.map((r) => ({
      id: r.id,
      status: r.status,
      subject: `${r.subject.displayName} (${r.subject.userPrincipalName})`,
      requester: r.requester.name,
      requesterId: r.requester.aadObjectId,
      regime: r.regime,
      dueDate: r.dueDate,
      createdAt: r.createdAt,
      cardPosted: r.approvalCard !== undefined,
      container: r.export?.containerName ?? null,
      progress: r.export?.progress ?? null,
    })),
  };
}

export interface ConsoleFile {
  readonly name: string;
  readonly size: number;
  readonly lastModified: string;
}

export interface ConsoleContainer {
  readonly name: string;
  readonly files: readonly ConsoleFile[];
}

const MAX_CONTAINERS = 200;
const MAX_FILES = 500;

/** A blob container name (3–63 lower-case letters, digits and single hyphens) that starts with `prefix`. */
export function isExportContainer(name: string, prefix: string): boolean {
  return /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/.test(name) && name.startsWith(prefix);
}

/** The export containers (names starting with `prefix`), newest first, with their files. */
export async function exportContainers(
  blobs: BlobServiceClient,
  prefix: string,
): Promise<ConsoleContainer[]> {
  const found: { name: string; at: number }[] = [];
  for await (const c of blobs.listContainers({ prefix })) {
    if (!isExportContainer(c.name, prefix)) continue;
    found.push({ name: c.name, at: c.properties.lastModified.getTime() });
    if (found.length >= MAX_CONTAINERS) break;
  }
  found.sort((a, b) => b.at - a.at || a.name.localeCompare(b.name));
  return Promise.all(
    found.map(async ({ name }) => {
      const files: ConsoleFile[] = [];
      for await (const b of blobs.getContainerClient(name).listBlobsFlat()) {
        files.push({
          name: b.name,
          size: b.properties.contentLength ?? 0,
          lastModified: b.properties.lastModified.toISOString(),
        });
        if (files.length >= MAX_FILES) break;
      }
      files.sort((a, b) => a.name.localeCompare(b.name));
      return { name, files };
    }),
  );
}

/**
 * A `Content-Disposition` that downloads the file under its last path segment, whatever the blob is called:
 * an ASCII fallback with anything but letters, digits, `.`, `-` and `_` replaced, and the exact name in
 * RFC 5987 encoding. No quote, semicolon or line break of the name reaches the header.
 */
export function contentDisposition(blobName: string): string {
  const last = blobName.split(/[\\/]/).at(-1) ?? '';
  const base = /^\.*$/.test(last) ? 'download' : last;
  const ascii = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'download';
  const exact = encodeURIComponent(base).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

/**
 * Streams one file of an export container to the browser as a download. The container must be an export
 * container, and the blob one its listing names, with no `.` or `..` path segment (a URL would resolve those
 * into another container); the stored content type is not trusted (always application/octet-stream).
 */
export async function streamBlob(
  blobs: BlobServiceClient,
  prefix: string,
  containerName: string,
  blobName: string,
  res: ServerResponse,
): Promise<void> {
  const missing = new ConsoleError(404, `No file "${blobName}" in container ${containerName}.`);
  if (!isExportContainer(containerName, prefix))
    throw new ConsoleError(404, `${containerName} is not an export container.`);
  if (
    blobName === '' ||
    blobName.length > 1024 ||
    blobName.split(/[\\/]/).some((s) => s === '.' || s === '..')
  )
    throw missing;
  const container = blobs.getContainerClient(containerName);
  let download;
  try {
    let listed = false;
    for await (const b of container.listBlobsFlat({ prefix: blobName })) {
      listed = b.name === blobName;
      if (listed) break;
    }
    if (!listed) throw missing;
    download = await container.getBlobClient(blobName).download();
  } catch (err) {
    if (err instanceof RestError && err.statusCode === 404) throw missing;
    throw err;
  }
  const body = download.readableStreamBody;
  if (!body) throw missing;
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': contentDisposition(blobName),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'no-store',
    ...(download.contentLength !== undefined ? { 'Content-Length': String(download.contentLength) } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    body.on('error', reject);
    res.on('error', reject);
    res.on('finish', resolve);
    body.pipe(res);
  });
}
