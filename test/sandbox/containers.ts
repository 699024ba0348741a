import { randomUUID } from 'node:crypto';
import { BlobServiceClient, ContainerSASPermissions, type ContainerClient } from '@azure/storage-blob';
import { testStorageConnectionString } from '../support/sandbox';

/** Containers in the test Azurite, and SAS URLs for them, for the sandbox's storage checks to use. */

export function blobService(): BlobServiceClient {
  return BlobServiceClient.fromConnectionString(testStorageConnectionString());
}

export async function newContainer(): Promise<ContainerClient> {
  const container = blobService().getContainerClient(`dsr-${randomUUID()}`);
  await container.create();
  return container;
}

/** A service SAS on the container with the given permissions (`rwdl…`), valid for an hour. */
export function sasFor(container: ContainerClient, permissions: string): Promise<string> {
  return container.generateSasUrl({
    permissions: ContainerSASPermissions.parse(permissions),
    expiresOn: new Date(Date.now() + 3600_000),
  });
}

/** A SAS bound to a stored access policy `export` with the given permissions, as the bot mints it. */
export async function policySasFor(container: ContainerClient, permissions: string): Promise<string> {
  await container.setAccessPolicy(undefined, [
    {
      id: 'export',
      accessPolicy: {
        permissions,
        startsOn: new Date(Date.now() - 60_000),
        expiresOn: new Date(Date.now() + 3600_000),
      },
    },
  ]);
  return container.generateSasUrl({ identifier: 'export' });
}

export async function blobNames(container: ContainerClient): Promise<string[]> {
  const names: string[] = [];
  for await (const b of container.listBlobsFlat()) names.push(b.name);
  return names.sort();
}
