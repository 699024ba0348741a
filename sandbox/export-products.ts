import { randomBytes } from 'node:crypto';
import { ContainerClient } from '@azure/storage-blob';
import type { SandboxUser } from './demo-tenant';

/**
 * What the export service writes besides RequestInfo.json: one folder per product, as each product's agent
 * delivers it at the end of an export (./export-service.ts), and the small formats the service's records use.
 */

/** A correlation vector as the service records it: a base64 base and a counter. */
export function correlationVector(): string {
  return `${randomBytes(12).toString('base64')}.0`;
}

/** A DateTimeOffset as .NET's JSON writes it: seven fractional digits and an offset. */
export function dateTimeOffset(d: Date): string {
  return d.toISOString().replace('Z', '0000+00:00');
}

/**
 * What each product's agent writes: JSON of a plausible shape and size (from 100 bytes to 13 KB a product,
 * some 20 KB in all; only the profile's size depends on the subject, none on the day).
 */
export function productFiles(user: SandboxUser | undefined, at: Date): Record<string, unknown> {
  const daysAgo = (n: number) => new Date(at.getTime() - n * 86_400_000).toISOString();
  const list = <T>(n: number, item: (i: number) => T) => Array.from({ length: n }, (_, i) => item(i));
  return {
    'AzureAD/profile.json': { displayName: user?.displayName, mail: user?.mail, jobTitle: user?.jobTitle },
    'Exchange/mailbox-summary.json': {
      items: 42,
      folders: ['Inbox', 'Sent Items'],
      messages: list(42, (i) => ({
        folder: i % 3 === 0 ? 'Sent Items' : 'Inbox',
        subject: `Project update ${i + 10}`,
        receivedDateTime: daysAgo(i),
        size: 20_480 + i * 512,
      })),
    },
    'OneDrive/files.json': {
      files: list(12, (i) => ({ name: `Review ${i + 10}.docx`, size: 18_211 + 1024 * i })),
    },
    'Teams/chats.json': {
      chats: 3,
      messages: list(128, (i) => ({ chat: i % 3, sentDateTime: daysAgo(i % 30), characters: 40 + (i % 50) })),
    },
  };
}

/**
 * Writes one folder per product into the container through its SAS URL; returns the share of files written
 * (the service's completion success rate): a product that cannot deliver lowers it, it does not fail the export.
 */
export async function writeProducts(
  storageLocation: string,
  user: SandboxUser | undefined,
  at: Date,
): Promise<number> {
  const client = new ContainerClient(storageLocation);
  const files = productFiles(user, at);
  let written = 0;
  for (const [name, content] of Object.entries(files)) {
    const text = JSON.stringify(content, null, 2);
    try {
      await client.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), {
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      written += 1;
    } catch {
      // The agent for this product could not deliver: it lowers the success rate, it does not fail the export.
    }
  }
  return written / Object.keys(files).length;
}
