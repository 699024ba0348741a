import type { SubmissionLog } from '../../src/domain/ports';

const op = (n: number) => `https://graph.example/v1.0/dataPolicyOperations/op-${n}`;

/** What every SubmissionLog promises: Graph's 202 for a request's attempt, found again by request and attempt. */
export function describeSubmissionLogContract(
  name: string,
  makeLog: () => SubmissionLog | Promise<SubmissionLog>,
): void {
  describe(`the SubmissionLog contract: ${name}`, () => {
    it('finds nothing for an attempt whose 202 was not recorded', async () => {
      const log = await makeLog();
      expect(await log.find('DSR-2026-0001', 1)).toBeUndefined();
    });

    it('finds the operation recorded for a request’s attempt, and keeps attempts and requests apart', async () => {
      const log = await makeLog();
      await log.record('DSR-2026-0001', 1, op(1), '2026-11-22T09:00:00.000Z');
      await log.record('DSR-2026-0001', 2, op(2), '2026-11-22T10:00:00.000Z');
      expect(await log.find('DSR-2026-0001', 1)).toBe(op(1));
      expect(await log.find('DSR-2026-0001', 2)).toBe(op(2));
      expect(await log.find('DSR-2026-0001', 3)).toBeUndefined();
      expect(await log.find('DSR-2026-0002', 1)).toBeUndefined();
    });

    it('keeps the operation recorded last when an attempt is recorded again', async () => {
      const log = await makeLog();
      await log.record('DSR-2026-0001', 1, op(1), '2026-11-22T09:00:00.000Z');
      await log.record('DSR-2026-0001', 1, op(7), '2026-11-22T09:00:01.000Z');
      expect(await log.find('DSR-2026-0001', 1)).toBe(op(7));
    });
  });
}
