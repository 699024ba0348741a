import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../src/domain/audit';
import { chainHashes } from '../../src/domain/audit-seal';
import type { AuditLog } from '../../src/domain/ports';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

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
 * request apart, and an event with a once-key written once however often it is appended. A trail is one
 * gap-free hash chain in the order written, however many instances append to it at once; `heads()` names the
 * last entry of every trail.
 *
 * `makeStorage` makes fresh storage and returns a function that opens an instance over it (instances of the
 * same storage stand for the bot's instances).
 */
export function describeAuditLogContract(name: string, makeStorage: () => () => AuditLog): void {
  /** One instance over fresh storage. */
  const makeLog = () => makeStorage()();
  describe(`the AuditLog contract: ${name}`, () => {
    it('lists the events of one request oldest first, whatever order they were appended in', async () => {
      const log = makeLog();
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
      const log = makeLog();
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
      const log = makeLog();
      await log.append(event('2026-11-21T10:00:01.000Z', 'request.refused', undefined, 'no role'));
      await log.append(event('2026-11-21T10:00:00.000Z', 'request.created', 'DSR-1'));
      expect((await log.list()).map((e) => e.detail)).toEqual(['no role']);
      expect((await log.list('DSR-1')).map((e) => e.action)).toEqual(['request.created']);
    });

    it('keeps identical events appended without a once-key (append-only, never overwritten)', async () => {
      const log = makeLog();
      const e = event('2026-11-21T10:00:00.000Z', 'duplicate.acknowledged', 'DSR-1');
      await log.append(e);
      await log.append(e);
      expect(await log.list('DSR-1')).toEqual([e, e]);
    });

    it('writes an event with a once-key once, the first one, however often and concurrently it is appended', async () => {
      const log = makeLog();
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

    it('numbers a trail 1, 2, 3 in the order written and finds its chain whole', async () => {
      const log = makeLog();
      await log.append(event('2026-11-21T10:00:02.000Z', 'request.approved', 'DSR-1'));
      await log.append(event('2026-11-21T10:00:00.000Z', 'request.created', 'DSR-1'));
      await log.append(event('2026-11-21T10:00:01.000Z', 'card.posted', 'DSR-1', 'second'), 'posted-1');
      await log.append(event('2026-11-21T10:00:03.000Z', 'request.created', 'DSR-2'));
      const trail = await log.trail('DSR-1');
      expect(trail.entries.map((e) => [e.seq, e.event.action])).toEqual([
        [1, 'request.approved'],
        [2, 'request.created'],
        [3, 'card.posted'],
      ]);
      expect(trail.verification).toEqual({ valid: true, chained: 3, unchained: 0, problems: [] });
      expect((await log.trail('DSR-3')).entries).toEqual([]);
      expect((await log.trail('DSR-3')).verification.valid).toBe(true);
    });

    it('chains the events tied to no request apart, and keeps a once-key entry once in the chain', async () => {
      const log = makeLog();
      const refusal = event('2026-11-21T10:00:00.000Z', 'request.refused', undefined, 'no role');
      await Promise.all([log.append(refusal, 'k'), log.append(refusal, 'k'), log.append(refusal, 'k')]);
      await log.append(event('2026-11-21T10:00:01.000Z', 'request.refused', undefined, 'again'));
      const trail = await log.trail();
      expect(trail.entries.map((e) => [e.seq, e.event.detail])).toEqual([
        [1, 'no role'],
        [2, 'again'],
      ]);
      expect(trail.verification.valid).toBe(true);
    });

    it('makes one gap-free chain of 20 appends racing from two instances', async () => {
      const open = makeStorage();
      const [a, b] = [open(), open()];
      const details = Array.from({ length: 20 }, (_, i) => `event ${i}`);
      await Promise.all(
        details.map((d, i) =>
          (i % 2 === 0 ? a : b).append(event('2026-11-21T10:00:00.000Z', 'request.viewed', 'DSR-1', d)),
        ),
      );
      const trail = await a.trail('DSR-1');
      expect(trail.verification).toEqual({ valid: true, chained: 20, unchained: 0, problems: [] });
      expect(trail.entries.map((e) => e.seq)).toEqual(details.map((_, i) => i + 1));
      expect(trail.entries.map((e) => e.event.detail).sort()).toEqual([...details].sort());
    });

    it('writes a once-key entry once when two instances race to append it', async () => {
      const open = makeStorage();
      const [a, b] = [open(), open()];
      const e = event('2026-11-21T10:00:00.000Z', 'sas.revoked', 'DSR-1', 'once');
      await Promise.all([a.append(e, 'key'), b.append(e, 'key'), a.append(e, 'key'), b.append(e, 'key')]);
      await b.append(event('2026-11-21T10:00:01.000Z', 'sas.revoked', 'DSR-1', 'after'));
      const trail = await b.trail('DSR-1');
      expect(trail.entries.map((x) => [x.seq, x.event.detail])).toEqual([
        [1, 'once'],
        [2, 'after'],
      ]);
      expect(trail.verification.valid).toBe(true);
    });

    it('lists the head of every trail, by trail: its last sequence number and that entry’s hash', async () => {
      const log = makeLog();
      expect(await log.heads()).toEqual([]);
      for (let n = 0; n < 3; n++)
        await log.append(event(`2026-11-21T10:00:0${n}.000Z`, 'request.viewed', 'DSR-1', `view ${n}`));
      await log.append(event('2026-11-21T10:00:00.000Z', 'request.created', 'DSR-2'));
      await log.append(event('2026-11-21T10:00:00.000Z', 'request.created', 'DSR/2026 #7?'));
      await log.append(event('2026-11-21T10:00:00.000Z', 'request.refused', undefined, 'no role'), 'k');
      await log.append(event('2026-11-21T10:00:01.000Z', 'request.refused', undefined, 'again'));
      const lastHash = async (requestId: string | undefined, seq: number) =>
        chainHashes(sha256, (await log.trail(requestId)).entries).get(seq);
      expect(await log.heads()).toEqual([
        { trail: 'DSR-1', seq: 3, hash: await lastHash('DSR-1', 3) },
        { trail: 'DSR-2', seq: 1, hash: await lastHash('DSR-2', 1) },
        { trail: 'DSR/2026 #7?', seq: 1, hash: await lastHash('DSR/2026 #7?', 1) },
        { trail: 'no-request', seq: 2, hash: await lastHash(undefined, 2) },
      ]);
    });

    it('moves a trail’s head with every append, from any instance', async () => {
      const open = makeStorage();
      const [a, b] = [open(), open()];
      await a.append(event('2026-11-21T10:00:00.000Z', 'request.created', 'DSR-1'));
      const before = await b.heads();
      await Promise.all([
        a.append(event('2026-11-21T10:00:01.000Z', 'card.posted', 'DSR-1')),
        b.append(event('2026-11-21T10:00:02.000Z', 'request.approved', 'DSR-1')),
      ]);
      const after = await a.heads();
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({ trail: 'DSR-1', seq: 3 });
      expect(after[0]!.hash).not.toBe(before[0]!.hash);
      expect(after[0]!.hash).toBe(chainHashes(sha256, (await b.trail('DSR-1')).entries).get(3));
    });
  });
}
