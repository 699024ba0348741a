import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../src/domain/audit';
import { nextLink, sealOf, type ChainHead } from '../../src/domain/audit-chain';
import {
  chainHashes,
  checkAgainstSeal,
  checkSealChain,
  dayOfSealFile,
  makeSeal,
  parseSeal,
  sealFileName,
  sealHash,
  sealText,
  type AuditSeal,
  type StoredSeal,
} from '../../src/domain/audit-seal';
import type { TrailEntry, TrailHead } from '../../src/domain/ports';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const event = (n: number, detail = `entry ${n}`): AuditEvent => ({
  at: `2026-11-21T10:00:${String(n).padStart(2, '0')}.000Z`,
  action: 'request.viewed',
  actor: { aadObjectId: 'alex' },
  outcome: 'ok',
  requestId: 'DSR-1',
  detail,
});

/** The head after chaining `events` (after `unchained`), as the log computes it. */
function headOf(events: readonly AuditEvent[], unchained: readonly AuditEvent[] = []): ChainHead {
  let head: ChainHead | undefined;
  for (const e of events) {
    const link = nextLink(sha256, head, () => sealOf(sha256, unchained), e);
    head = { seq: link.seq, hash: link.hash };
  }
  return head!;
}

const entries = (events: readonly AuditEvent[], unchained: readonly AuditEvent[] = []): TrailEntry[] => [
  ...unchained.map((event) => ({ seq: undefined, event })),
  ...events.map((event, i) => ({ seq: i + 1, event })),
];

const five = [1, 2, 3, 4, 5].map((n) => event(n));

describe('the daily audit seal (pure)', () => {
  it('seals the heads sorted by trail, counts them, and hashes its own file text', () => {
    const seal = makeSeal(
      '2026-11-30',
      '2026-12-01T00:05:00.000Z',
      [
        { trail: 'no-request', seq: 4, hash: 'h4' },
        { trail: 'DSR-2026-0002', seq: 1, hash: 'h1' },
        { trail: 'DSR-2026-0001', seq: 7, hash: 'h7' },
      ],
      null,
    );
    expect(seal).toEqual({
      version: 1,
      day: '2026-11-30',
      sealedAt: '2026-12-01T00:05:00.000Z',
      heads: [
        { trail: 'DSR-2026-0001', seq: 7, hash: 'h7' },
        { trail: 'DSR-2026-0002', seq: 1, hash: 'h1' },
        { trail: 'no-request', seq: 4, hash: 'h4' },
      ],
      previous: null,
      count: 3,
    });
    expect(sealText(seal)).toMatch(/^\{"count":3,"day":"2026-11-30","heads":\[\{"hash":"h7","seq":7,/);
    expect(sealHash(sha256, seal)).toBe(sha256(sealText(seal)));
    expect(parseSeal(sealText(seal))).toEqual(seal);
  });

  it('names seal files by day and reads the day back', () => {
    expect(sealFileName('2026-11-30')).toBe('seals/2026-11-30.json');
    expect(dayOfSealFile('seals/2026-11-30.json')).toBe('2026-11-30');
    expect(dayOfSealFile('seals/2026-11-30.json.bak')).toBeUndefined();
    expect(dayOfSealFile('reports/2026-11-30.json')).toBeUndefined();
  });

  it('refuses to read as a seal what is not one', () => {
    const good = JSON.parse(
      sealText(makeSeal('2026-11-30', 'x', [{ trail: 'a', seq: 1, hash: 'h' }], null)),
    ) as Record<string, unknown>;
    expect(parseSeal('not json')).toBeUndefined();
    expect(parseSeal(JSON.stringify({ ...good, version: 2 }))).toBeUndefined();
    expect(parseSeal(JSON.stringify({ ...good, count: 2 }))).toBeUndefined();
    expect(
      parseSeal(JSON.stringify({ ...good, heads: [{ trail: 'a', seq: 0, hash: 'h' }] })),
    ).toBeUndefined();
    expect(parseSeal(JSON.stringify({ ...good, previous: 3 }))).toBeUndefined();
  });

  it('recomputes a trail’s chain hashes from its entries as the log wrote them', () => {
    const old = [event(0, 'before the chain')];
    const hashes = chainHashes(sha256, entries(five, old));
    expect([...hashes.keys()]).toEqual([1, 2, 3, 4, 5]);
    expect(hashes.get(5)).toBe(headOf(five, old).hash);
    expect(hashes.get(3)).toBe(headOf(five.slice(0, 3), old).hash);
  });
});

describe('checkAgainstSeal: the trails now against a seal', () => {
  const sealed = headOf(five);
  const seal: AuditSeal = makeSeal('2026-11-30', 't', [{ trail: 'DSR-1', ...sealed }], null);
  /** The check with DSR-1 holding `events` now (and its head after them). */
  const check = (events: readonly AuditEvent[], deleted?: ReadonlySet<string>) => {
    const heads: TrailHead[] = events.length > 0 ? [{ trail: 'DSR-1', ...headOf(events) }] : [];
    const hashes = chainHashes(sha256, entries(events));
    return checkAgainstSeal(
      seal,
      heads,
      (trail, seq) => (trail === 'DSR-1' ? hashes.get(seq) : undefined),
      deleted,
    );
  };

  it('finds an untouched trail, and one that grew since, as sealed', () => {
    expect(check(five)).toEqual({ valid: true, day: '2026-11-30', checked: 1, retired: [], problems: [] });
    expect(check([...five, event(6), event(7)]).valid).toBe(true);
  });

  it('reports a trail rewritten consistently after the seal (chain and head recomputed)', () => {
    const rewritten = five.map((e, i) =>
      i === 1 ? { ...e, detail: 'approved by the subject in person' } : e,
    );
    expect(check(rewritten).problems).toEqual([{ kind: 'rewritten', trail: 'DSR-1', seq: 5 }]);
    expect(check([...rewritten, event(6)]).valid).toBe(false);
  });

  it('reports a trail cut short, and one that vanished', () => {
    expect(check(five.slice(0, 3)).problems).toEqual([
      { kind: 'shortened', trail: 'DSR-1', sealedSeq: 5, seq: 3 },
    ]);
    expect(check([]).problems).toEqual([{ kind: 'vanished', trail: 'DSR-1' }]);
  });

  it('reports a sealed entry missing while the head still claims it', () => {
    const heads = [{ trail: 'DSR-1', ...sealed }];
    expect(checkAgainstSeal(seal, heads, () => undefined).problems).toEqual([
      { kind: 'missing', trail: 'DSR-1', seq: 5 },
    ]);
  });

  it('accepts a trail deleted by retention (tombstoned) as retired, even half-way through its deletion', () => {
    expect(check(five.slice(0, 2), new Set(['DSR-1']))).toMatchObject({ valid: true, retired: ['DSR-1'] });
    expect(check([], new Set(['DSR-1']))).toEqual({
      valid: true,
      day: '2026-11-30',
      checked: 0,
      retired: ['DSR-1'],
      problems: [],
    });
  });
});

describe('checkSealChain: each seal names the hash of the one before', () => {
  /** Seal files for `days`, each linked to the one before. */
  function sealFiles(days: readonly string[]): StoredSeal[] {
    const files: StoredSeal[] = [];
    let previous: string | null = null;
    for (const day of days) {
      const text = sealText(
        makeSeal(day, `${day}T23:59:59.000Z`, [{ trail: 'a', seq: 1, hash: 'h' }], previous),
      );
      files.push({ name: sealFileName(day), text });
      previous = sha256(text);
    }
    return files;
  }

  it('links a chain of seals day to day, and counts the days nobody sealed', () => {
    const links = checkSealChain(sha256, sealFiles(['2026-11-28', '2026-11-29', '2026-12-02']));
    expect(links.map((l) => [l.day, l.link, l.daysUnsealedBefore])).toEqual([
      ['2026-11-28', 'start', 0],
      ['2026-11-29', 'linked', 0],
      ['2026-12-02', 'linked', 2],
    ]);
    expect(links[1]!.hash).toBe(sha256(sealFiles(['2026-11-28', '2026-11-29'])[1]!.text!));
  });

  it('breaks the link after a seal that was altered, and after one that was removed', () => {
    const files = sealFiles(['2026-11-28', '2026-11-29', '2026-11-30']);
    const altered = [
      files[0]!,
      { ...files[1]!, text: files[1]!.text!.replace('"seq":1', '"seq":2') },
      files[2]!,
    ];
    expect(checkSealChain(sha256, altered).map((l) => l.link)).toEqual(['start', 'linked', 'broken']);
    expect(checkSealChain(sha256, [files[0]!, files[2]!]).map((l) => l.link)).toEqual(['start', 'broken']);
    expect(checkSealChain(sha256, [files[1]!, files[2]!]).map((l) => l.link)).toEqual(['broken', 'linked']);
  });

  it('calls a seal that cannot be read, or names another day, broken', () => {
    const files = sealFiles(['2026-11-28', '2026-11-29']);
    expect(checkSealChain(sha256, [files[0]!, { ...files[1]!, text: undefined }]).map((l) => l.link)).toEqual(
      ['start', 'broken'],
    );
    const moved = { name: sealFileName('2026-11-27'), text: files[0]!.text };
    expect(checkSealChain(sha256, [moved]).map((l) => [l.link, l.seal])).toEqual([['broken', undefined]]);
  });
});
