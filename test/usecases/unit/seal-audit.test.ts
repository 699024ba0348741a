import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../../src/domain/audit';
import { parseSeal } from '../../../src/domain/audit-seal';
import type { Tombstone } from '../../../src/domain/request-outcome';
import { SEAL_TASK, sealAudit, verifySeals, type SealAuditDeps } from '../../../src/usecases/seal-audit';
import { FakeAuditFiles, FakeTombstones, fakePorts, unavailable } from '../../support/fakes';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const DAY_MS = 24 * 3600_000;

const viewed = (requestId: string, n: number): AuditEvent => ({
  at: `2026-11-30T10:00:${String(n).padStart(2, '0')}.000Z`,
  action: 'request.viewed',
  actor: { aadObjectId: 'alex', name: 'Alex Wilber' },
  outcome: 'ok',
  requestId,
  detail: `view ${n}`,
});

/** What retention records among the events tied to no request when it deletes a request's trail. */
const tombstoned = (requestId: string): AuditEvent => ({
  at: '2026-12-01T01:00:00.000Z',
  action: 'record.tombstoned',
  actor: { name: 'DSR export bot' },
  outcome: 'ok',
  detail: `${requestId} deleted after 24 months (record and 3 audit entries); its tombstone keeps the figures`,
});

/** Three trails on the fakes, just after midnight UTC on 1 December. */
async function world() {
  const ports = fakePorts('2026-12-01T00:10:00.000Z');
  const files = new FakeAuditFiles();
  const tombstones = new FakeTombstones();
  for (let n = 1; n <= 3; n++) await ports.audit.append(viewed('DSR-2026-0001', n));
  await ports.audit.append(viewed('DSR-2026-0002', 1));
  await ports.audit.append({ ...viewed('x', 1), requestId: undefined, action: 'request.refused' });
  const deps: SealAuditDeps = {
    audit: ports.audit,
    files,
    tombstones,
    daily: ports.daily,
    clock: ports.clock,
    hash: sha256,
    claimMs: 60_000,
  };
  const verify = () => verifySeals({ audit: ports.audit, files, tombstones, hash: sha256 });
  return { ports, files, tombstones, deps, verify };
}

describe('sealAudit: once a day, every trail’s head into a write-once seal file', () => {
  it('seals the previous UTC day, records audit.sealed with the hash and count, and marks the day done', async () => {
    const { ports, files, deps } = await world();
    const outcome = await sealAudit(deps);
    expect(outcome).toMatchObject({ kind: 'sealed', day: '2026-11-30', count: 3 });
    const text = files.text('seals/2026-11-30.json')!;
    expect(outcome).toMatchObject({ hash: sha256(text) });
    expect(parseSeal(text)).toMatchObject({
      day: '2026-11-30',
      sealedAt: '2026-12-01T00:10:00.000Z',
      previous: null,
      count: 3,
      heads: [
        { trail: 'DSR-2026-0001', seq: 3 },
        { trail: 'DSR-2026-0002', seq: 1 },
        { trail: 'no-request', seq: 1 },
      ],
    });
    const sealed = ports.audit.all().filter((e) => e.action === 'audit.sealed');
    expect(sealed).toEqual([
      expect.objectContaining({
        outcome: 'ok',
        actor: { name: 'DSR export bot' },
        detail: `sealed 2026-11-30: 3 trails in seals/2026-11-30.json, seal sha256 ${sha256(text)}`,
      }),
    ]);
    expect(sealed[0]!.requestId).toBeUndefined();
    expect(ports.daily.doneAt(SEAL_TASK, '2026-11-30')).toBe('2026-12-01T00:10:00.000Z');
  });

  it('writes one seal however many instances run it the same day', async () => {
    const { ports, files, deps } = await world();
    const outcomes = await Promise.all([sealAudit(deps), sealAudit(deps), sealAudit(deps)]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['elsewhere', 'elsewhere', 'sealed']);
    ports.clock.advance(3600_000);
    expect(await sealAudit(deps)).toEqual({ kind: 'elsewhere', day: '2026-11-30' });
    expect(await files.list('seals/')).toEqual(['seals/2026-11-30.json']);
    expect(ports.audit.actions().filter((a) => a === 'audit.sealed')).toHaveLength(1);
  });

  it('finishes a round that stopped after writing the file: found written, recorded once, marked done', async () => {
    const { ports, files, deps } = await world();
    ports.daily.faults.inject('complete', unavailable('table'), { times: 1 });
    await expect(sealAudit(deps)).rejects.toThrow();
    const text = files.text('seals/2026-11-30.json')!;
    ports.clock.advance(120_000); // the claim ran out
    expect(await sealAudit(deps)).toEqual({ kind: 'alreadySealed', day: '2026-11-30', hash: sha256(text) });
    expect(files.text('seals/2026-11-30.json')).toBe(text);
    expect(ports.audit.actions().filter((a) => a === 'audit.sealed')).toHaveLength(1);
    expect(ports.daily.doneAt(SEAL_TASK, '2026-11-30')).toBeDefined();
  });

  it('treats a seal file written by another instance meanwhile as sealed already', async () => {
    const { files, deps } = await world();
    const slow: SealAuditDeps = {
      ...deps,
      daily: { claim: () => Promise.resolve('claimed'), complete: () => Promise.resolve() },
    };
    const [a, b] = await Promise.all([sealAudit(slow), sealAudit(slow)]);
    expect([a.kind, b.kind].sort()).toEqual(['alreadySealed', 'sealed']);
    expect(await files.list('seals/')).toEqual(['seals/2026-11-30.json']);
  });

  it('links each day’s seal to the latest one before it, across a day nobody sealed', async () => {
    const { ports, files, deps, verify } = await world();
    await sealAudit(deps);
    ports.clock.advance(2 * DAY_MS);
    await ports.audit.append(viewed('DSR-2026-0003', 1));
    expect(await sealAudit(deps)).toMatchObject({ kind: 'sealed', day: '2026-12-02', count: 4 });
    const first = files.text('seals/2026-11-30.json')!;
    expect(parseSeal(files.text('seals/2026-12-02.json')!)?.previous).toBe(sha256(first));
    const report = await verify();
    expect(report.seals.map((s) => [s.day, s.link, s.daysUnsealedBefore])).toEqual([
      ['2026-11-30', 'start', 0],
      ['2026-12-02', 'linked', 1],
    ]);
    expect(report.chained).toBe(true);
    expect(report.latest).toMatchObject({ valid: true, day: '2026-12-02', checked: 4 });
  });
});

describe('verifySeals: the chain of seals, and the trails against the latest one', () => {
  it('says nothing is sealed yet', async () => {
    const { verify } = await world();
    expect(await verify()).toEqual({ seals: [], chained: true, latest: undefined });
  });

  it('finds a trail rewritten after the seal, though its own chain verifies', async () => {
    const { ports, deps, verify } = await world();
    await sealAudit(deps);
    await ports.audit.rewrite('DSR-2026-0001', 2, [viewed('DSR-2026-0001', 8), viewed('DSR-2026-0001', 9)]);
    expect((await ports.audit.trail('DSR-2026-0001')).verification.valid).toBe(true);
    const report = await verify();
    expect(report.latest).toMatchObject({
      valid: false,
      problems: [{ kind: 'rewritten', trail: 'DSR-2026-0001', seq: 3 }],
    });
  });

  it('accepts a trail deleted by retention (tombstone and its record) as retired, and reports one deleted without', async () => {
    const { ports, tombstones, deps, verify } = await world();
    await sealAudit(deps);
    ports.audit.drop('DSR-2026-0001');
    ports.audit.drop('DSR-2026-0002');
    await tombstones.put({ id: 'DSR-2026-0001', deletedAt: '2026-12-01T01:00:00.000Z' } as Tombstone);
    await ports.audit.append(tombstoned('DSR-2026-0001'));
    const report = await verify();
    expect(report.latest).toMatchObject({
      valid: false,
      checked: 2,
      retired: ['DSR-2026-0001'],
      problems: [{ kind: 'vanished', trail: 'DSR-2026-0002' }],
    });
  });

  it('does not take a tombstone row alone as a deletion: a forged one hides nothing', async () => {
    const { ports, tombstones, deps, verify } = await world();
    await sealAudit(deps);
    ports.audit.drop('DSR-2026-0001');
    await tombstones.put({ id: 'DSR-2026-0001', deletedAt: '2026-12-01T01:00:00.000Z' } as Tombstone);
    expect((await verify()).latest).toMatchObject({
      valid: false,
      retired: [],
      problems: [{ kind: 'vanished', trail: 'DSR-2026-0001' }],
    });
  });
});

describe('sealAudit: never seals a trail changed behind the bot’s back', () => {
  it('refuses the next seal when a trail no longer holds what the seal before recorded, and records why', async () => {
    const { ports, files, deps } = await world();
    expect(await sealAudit(deps)).toMatchObject({ kind: 'sealed', day: '2026-11-30' });
    await ports.audit.rewrite('DSR-2026-0001', 2, [viewed('DSR-2026-0001', 8), viewed('DSR-2026-0001', 9)]);
    ports.clock.advance(24 * 3600_000);
    const outcome = await sealAudit(deps);
    expect(outcome).toMatchObject({
      kind: 'tampered',
      day: '2026-12-01',
      check: { problems: [{ kind: 'rewritten', trail: 'DSR-2026-0001', seq: 3 }] },
    });
    expect(await files.list('seals/')).toEqual(['seals/2026-11-30.json']);
    const refused = (await ports.audit.list()).filter(
      (e) => e.action === 'audit.sealed' && e.outcome === 'refused',
    );
    expect(refused).toHaveLength(1);
    expect(refused[0]?.detail).toContain('rewritten DSR-2026-0001');
  });

  it("catches the change even when the attacker also wrote the day's seal file", async () => {
    const { ports, files, deps } = await world();
    await sealAudit(deps);
    await ports.audit.rewrite('DSR-2026-0001', 2, [viewed('DSR-2026-0001', 8), viewed('DSR-2026-0001', 9)]);
    await files.write('seals/2026-12-01.json', '{"version":1}', 'application/json');
    ports.clock.advance(24 * 3600_000);
    expect(await sealAudit(deps)).toMatchObject({ kind: 'tampered', day: '2026-12-01' });
  });
});
