import { randomUUID } from 'node:crypto';
import { containerNameFor } from '../../src/domain/policies';
import type { ExportDestinations, Exporter } from '../../src/domain/ports';
import { isOperationNotFound } from '../../src/usecases/run-export';
import { rejectionOf } from './fixtures';

const ADELE = 'c0a70500-0000-4000-8000-000000000102';
const NOBODY = '0badc0de-0000-4000-8000-000000000000';
const OPERATION_URL = /^https:\/\/[^/]+\/(v1\.0|beta)\/dataPolicyOperations\/([0-9a-f-]{36})$/i;

export interface ExporterUnderTest {
  readonly exporter: Exporter;
  /** The export account Graph writes into. */
  readonly destinations: ExportDestinations;
  close(): Promise<void>;
}

const freshContainer = () => containerNameFor(`DSR-2026-${randomUUID().slice(0, 8)}`);

/**
 * What every Exporter promises (ports.ts), with the export account beside it: a POST answered once, a 202
 * naming the operation by an absolute URL, RequestInfo.json in the container naming it too (the evidence the
 * bot looks for when an answer is lost), the operation readable by that URL or by one made from its id, and
 * OperationNotFound for an id Graph does not know. Over the demo tenant (Adele Vance is a known subject).
 */
export function describeExporterContract(name: string, setup: () => Promise<ExporterUnderTest>): void {
  describe(`the Exporter contract: ${name}`, () => {
    let x: ExporterUnderTest;
    beforeAll(async () => {
      x = await setup();
    });
    afterAll(() => x.close());

    it('takes an export with a 202 naming the operation and when to look, and leaves RequestInfo.json naming it', async () => {
      const container = freshContainer();
      const target = await x.destinations.prepare(container);
      const outcome = await x.exporter.submit(ADELE, target.sasUrl);
      if (outcome.kind !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(outcome)}`);
      const [, , id] = OPERATION_URL.exec(outcome.operationUrl) ?? [];
      expect(id).toBeDefined();
      expect(outcome.retryAfterSeconds).toBeGreaterThanOrEqual(0);
      const evidence = await x.destinations.findEvidence(container);
      expect(evidence.found).toBe(true);
      expect(evidence.operationIds?.[0]).toBe(id!.toLowerCase());
    });

    it('reads the operation it started, by the URL it gave and by the URL made from its id', async () => {
      const outcome = await x.exporter.submit(ADELE, (await x.destinations.prepare(freshContainer())).sasUrl);
      if (outcome.kind !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(outcome)}`);
      const id = OPERATION_URL.exec(outcome.operationUrl)?.[2] ?? '';
      const byLocation = await x.exporter.operation(outcome.operationUrl);
      expect(byLocation.id.toLowerCase()).toBe(id.toLowerCase());
      expect(['notStarted', 'running', 'complete', 'failed']).toContain(byLocation.status);
      const byId = await x.exporter.operation(x.exporter.operationUrl(id));
      expect(byId.id.toLowerCase()).toBe(id.toLowerCase());
    });

    it('answers OperationNotFound for an operation id it does not know', async () => {
      const err = await rejectionOf(x.exporter.operation(x.exporter.operationUrl(randomUUID())));
      expect(isOperationNotFound(err)).toBe(true);
    });

    it('refuses a second export into a container it already wrote into (StorageLocationAlreadyUsed)', async () => {
      const target = await x.destinations.prepare(freshContainer());
      expect((await x.exporter.submit(ADELE, target.sasUrl)).kind).toBe('accepted');
      expect(await x.exporter.submit(ADELE, target.sasUrl)).toMatchObject({
        kind: 'refused',
        status: 400,
        code: 'StorageLocationAlreadyUsed',
      });
    });

    it('refuses a container whose SAS was revoked, naming the missing write permission', async () => {
      const container = freshContainer();
      const target = await x.destinations.prepare(container);
      await x.destinations.revoke(container);
      expect(await x.exporter.submit(ADELE, target.sasUrl)).toMatchObject({
        kind: 'refused',
        status: 400,
        code: 'StorageLocationNeedsWriteAddPermissions',
      });
    });

    it('refuses an export for someone the directory does not know (404)', async () => {
      const outcome = await x.exporter.submit(
        NOBODY,
        (await x.destinations.prepare(freshContainer())).sasUrl,
      );
      expect(outcome).toMatchObject({ kind: 'refused', status: 404 });
    });
  });
}
