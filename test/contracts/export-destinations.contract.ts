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
 * revoked; Graph's RequestInfo.json read as evidence; an account Graph would refuse is refused first.
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

    it('refuses an account Graph would refuse with DestinationUnfitError, saying what to change', async () => {
      const d = await makeDestinations();
      const err = await rejectionOf(d.premiumAccount.prepare(freshContainer()));
      expect(err).toBeInstanceOf(DestinationUnfitError);
      expect((err as Error).message).toMatch(/append blobs/);
    });
  });
}
