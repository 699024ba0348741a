import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { containerNameFor } from '../../src/domain/policies';
import {
  ContainerInUseError,
  DestinationUnfitError,
  type ExportDestinations,
  type ExportTarget,
} from '../../src/domain/ports';
import { rejectionOf } from './fixtures';

export interface ExportDestinationsUnderTest {
  readonly destinations: ExportDestinations;
  /** The same, over an account Graph refuses (a premium block-blob account). */
  readonly premiumAccount: ExportDestinations;
  /** What Graph does with the SAS: writes a blob into the container through it. */
  graphWrites(target: ExportTarget, blobName: string, text: string): Promise<void>;
}

const freshContainer = () => containerNameFor(`DSR-2026-${randomUUID().slice(0, 8)}`);

/**
 * What every ExportDestinations promises (ports.ts): a container per attempt, created or reused while empty,
 * refused once it holds anything; a SAS for that one container that Graph can write through, until it is
 * revoked; Graph's RequestInfo.json read as evidence; what the container holds summarised with the account's
 * own credential; an account Graph would refuse is refused first.
 */
export function describeExportDestinationsContract(
  name: string,
  makeDestinations: () => ExportDestinationsUnderTest | Promise<ExportDestinationsUnderTest>,
): void {
  describe(`the ExportDestinations contract: ${name}`, () => {
    it('prepares the container with a service SAS for that one container, kept secret', async () => {
      const d = await makeDestinations();
      const name = freshContainer();
      const target = await d.destinations.prepare(name);
      expect(target.containerName).toBe(name);
      expect(target.accountName).not.toBe('');
      const sas = new URL(target.sasUrl.reveal());
      expect(sas.pathname.endsWith(`/${name}`)).toBe(true);
      expect(sas.searchParams.get('sr')).toBe('c');
      expect(sas.searchParams.get('sig')).toBeTruthy();
      expect(sas.searchParams.get('sp') ?? '').not.toMatch(/[rld]/);
      const shown = `${String(target.sasUrl)} ${JSON.stringify(target)} ${inspect(target)}`;
      expect(shown).not.toContain(sas.searchParams.get('sig')!);
    });

    it('lets Graph write into the container through the SAS', async () => {
      const d = await makeDestinations();
      const target = await d.destinations.prepare(freshContainer());
      await d.graphWrites(target, 'AzureAD/profile.json', '{}');
    });

    it('reuses a container that is still empty (the bot stopped after creating it, or Graph asked to wait)', async () => {
      const d = await makeDestinations();
      const name = freshContainer();
      await d.destinations.prepare(name);
      const again = await d.destinations.prepare(name);
      await d.graphWrites(again, 'RequestInfo.json', '{}');
    });

    it('refuses a container that holds anything with ContainerInUseError', async () => {
      const d = await makeDestinations();
      const name = freshContainer();
      await d.graphWrites(await d.destinations.prepare(name), 'RequestInfo.json', '{}');
      const err = await rejectionOf(d.destinations.prepare(name));
      expect(err).toBeInstanceOf(ContainerInUseError);
      expect((err as ContainerInUseError).containerName).toBe(name);
    });

    it('finds no evidence in an empty container, nor where there is no container', async () => {
      const d = await makeDestinations();
      const name = freshContainer();
      expect((await d.destinations.findEvidence(name)).found).toBe(false);
      await d.destinations.prepare(name);
      expect((await d.destinations.findEvidence(name)).found).toBe(false);
    });

    it('reads Graph’s RequestInfo.json as evidence: its CommandId first, then its RequestGuid, GUIDs only, in lower case', async () => {
      const d = await makeDestinations();
      const name = freshContainer();
      const command = randomUUID().toUpperCase();
      const request = randomUUID();
      const info = {
        Description: 'This file is included to ensure a tenant admin can associate the exported data …',
        CorrelationId: 'ZmFrZQ==.0',
        CommandId: command,
        Subject: { ObjectId: randomUUID(), TenantId: randomUUID() },
        RequestGuid: request,
      };
      await d.graphWrites(await d.destinations.prepare(name), 'RequestInfo.json', JSON.stringify(info));
      expect(await d.destinations.findEvidence(name)).toEqual({
        found: true,
        operationIds: [command.toLowerCase(), request],
      });
    });

    it('counts a RequestInfo.json it cannot read as evidence, naming no operation', async () => {
      const d = await makeDestinations();
      const name = freshContainer();
      await d.graphWrites(await d.destinations.prepare(name), 'RequestInfo.json', 'not json');
      const evidence = await d.destinations.findEvidence(name);
      expect(evidence.found).toBe(true);
      expect(evidence.operationIds ?? []).toEqual([]);
    });

    it('revokes every SAS of the container, idempotently, also for a container that does not exist', async () => {
      const d = await makeDestinations();
      const name = freshContainer();
      const target = await d.destinations.prepare(name);
      await d.graphWrites(target, 'before.json', '{}');
      await d.destinations.revoke(name);
      await d.destinations.revoke(name);
      await expect(d.graphWrites(target, 'after.json', '{}')).rejects.toMatchObject({ statusCode: 403 });
      await d.destinations.revoke(freshContainer());
    });

    it('summarises what Graph wrote: one folder per product, sorted by name, with its files and bytes; RequestInfo.json counts at the top level', async () => {
      const d = await makeDestinations();
      const name = freshContainer();
      const target = await d.destinations.prepare(name);
      const info = JSON.stringify({ CommandId: randomUUID() });
      await d.graphWrites(target, 'RequestInfo.json', info);
      await d.graphWrites(target, 'Teams/chats.json', '{"chats":3}');
      await d.graphWrites(target, 'Exchange/Inbox/1.json', 'x'.repeat(1000));
      await d.graphWrites(target, 'Exchange/Sent Items/2.json', 'Grüße'); // 7 bytes in UTF-8, 5 characters
      await d.graphWrites(target, 'AzureAD/profile.json', '');
      expect(await d.destinations.summarize(name)).toEqual({
        folders: [
          { name: '(top level)', files: 1, bytes: Buffer.byteLength(info) },
          { name: 'AzureAD', files: 1, bytes: 0 },
          { name: 'Exchange', files: 2, bytes: 1007 },
          { name: 'Teams', files: 1, bytes: 11 },
        ],
        files: 5,
        bytes: Buffer.byteLength(info) + 1018,
      });
    });

    it('summarises an empty container as nothing', async () => {
      const d = await makeDestinations();
      const name = freshContainer();
      await d.destinations.prepare(name);
      expect(await d.destinations.summarize(name)).toEqual({ folders: [], files: 0, bytes: 0 });
    });

    it('summarises with its own credential, after every SAS of the container was revoked', async () => {
      const d = await makeDestinations();
      const name = freshContainer();
      await d.graphWrites(await d.destinations.prepare(name), 'OneDrive/files.json', '{}');
      await d.destinations.revoke(name);
      expect(await d.destinations.summarize(name)).toEqual({
        folders: [{ name: 'OneDrive', files: 1, bytes: 2 }],
        files: 1,
        bytes: 2,
      });
    });

    it('rejects for a container that does not exist (404), rather than calling it empty', async () => {
      const d = await makeDestinations();
      await expect(d.destinations.summarize(freshContainer())).rejects.toMatchObject({ statusCode: 404 });
    });

    it('refuses an account Graph would refuse with DestinationUnfitError, saying what to change', async () => {
      const d = await makeDestinations();
      const err = await rejectionOf(d.premiumAccount.prepare(freshContainer()));
      expect(err).toBeInstanceOf(DestinationUnfitError);
      expect((err as Error).message).toMatch(/append blobs/);
    });
  });
}
