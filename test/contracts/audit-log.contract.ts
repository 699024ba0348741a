import type { AuditEvent } from '../../src/domain/audit';
import type { AuditLog } from '../../src/domain/ports';

const actor = { aadObjectId: 'alex', name: 'Alex Wilber' };

const event = (
  at: string,
  action: AuditEvent['action'],
  requestId?: string,
  detail?: string,
): AuditEvent => ({
  at,
  action,
  actor,
  outcome: 'ok',
  ...(requestId ? { requestId, subjectId: 'adele' } : {}),
  ...(detail ? { detail } : {}),
});

/**
 * What every AuditLog promises (ports.ts): append-only, a request's events oldest first, events tied to no
 * request apart, and an event with a once-key written once however often it is appended.
 */
export function describeAuditLogContract(name: string, makeLog: () => AuditLog | Promise<AuditLog>): void {
  describe(`the AuditLog contract: ${name}`, () => {
    it('lists the events of one request oldest first, whatever order they were appended in', async () => {
      const log = await makeLog();
      await log.append(event('2026-11-21T10:00:02.000Z', 'request.approved', 'DSR-1'));
      await log.append(event('2026-11-21T10:00:00.000Z', 'request.created', 'DSR-1'));
      await log.append(event('2026-11-21T10:00:01.000Z', 'card.posted', 'DSR-1'));
      await log.append(event('2026-11-21T10:00:00.500Z', 'request.created', 'DSR-2'));
      expect((await log.list('DSR-1')).map((e) => e.action)).toEqual([
        'request.created',
        'card.posted',
        'request.approved',
      ]);
      expect(await log.list('DSR-3')).toEqual([]);
    });

    it('keeps every field of an event as it was appended', async () => {
      const log = await makeLog();
      const e: AuditEvent = {
        at: '2026-11-21T10:00:00.000Z',
        action: 'decision.refused',
        actor: { aadObjectId: 'mallory', name: 'Mallory', tenantId: 'other-tenant' },
        outcome: 'refused',
        requestId: 'DSR-1',
        subjectId: 'adele',
        detail: 'approve refused: caller is from tenant other-tenant',
      };
      await log.append(e);
      expect(await log.list('DSR-1')).toEqual([e]);
    });

    it('keeps events tied to no request apart from every request’s', async () => {
      const log = await makeLog();
      await log.append(event('2026-11-21T10:00:01.000Z', 'request.refused', undefined, 'no role'));
      await log.append(event('2026-11-21T10:00:00.000Z', 'request.created', 'DSR-1'));
      expect((await log.list()).map((e) => e.detail)).toEqual(['no role']);
      expect((await log.list('DSR-1')).map((e) => e.action)).toEqual(['request.created']);
    });

    it('keeps identical events appended without a once-key (append-only, never overwritten)', async () => {
      const log = await makeLog();
      const e = event('2026-11-21T10:00:00.000Z', 'duplicate.acknowledged', 'DSR-1');
      await log.append(e);
      await log.append(e);
      expect(await log.list('DSR-1')).toEqual([e, e]);
    });

    it('writes an event with a once-key once, the first one, however often and concurrently it is appended', async () => {
      const log = await makeLog();
      const first = event('2026-11-21T10:00:00.000Z', 'sas.revoked', 'DSR-1', 'first');
      await log.append(first, 'sas-revoked-DSR-1-1');
      await Promise.all([
        log.append({ ...first, detail: 'retried' }, 'sas-revoked-DSR-1-1'),
        log.append({ ...first, detail: 'retried again' }, 'sas-revoked-DSR-1-1'),
      ]);
      await log.append(
        event('2026-11-21T10:00:01.000Z', 'sas.revoked', 'DSR-1', 'attempt 2'),
        'sas-revoked-DSR-1-2',
      );
      expect((await log.list('DSR-1')).map((e) => e.detail)).toEqual(['first', 'attempt 2']);
    });
  });
}
