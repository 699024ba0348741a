import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../src/domain/audit';
import {
  canonicalJson,
  entryHash,
  nextLink,
  sealOf,
  verifyChain,
  type ChainHead,
  type StoredAuditRow,
} from '../../src/domain/audit-chain';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const event = (n: number): AuditEvent => ({
  at: `2026-11-21T10:00:0${n}.000Z`,
  action: 'request.viewed',
  actor: { aadObjectId: 'alex' },
  outcome: 'ok',
  requestId: 'DSR-1',
  detail: `entry ${n}`,
});

/** A trail of `count` chained entries after `unchained`, as the store writes it, and its head. */
function chain(count: number, unchained: AuditEvent[] = []): { rows: StoredAuditRow[]; head: ChainHead } {
  const rows: StoredAuditRow[] = unchained.map((e, i) => ({ rowKey: `old-${i}`, event: e }));
  let head: ChainHead | undefined;
  for (let n = 1; n <= count; n++) {
    const link = nextLink(sha256, head, () => sealOf(sha256, unchained), event(n));
    rows.push({ rowKey: `c~${n}`, event: event(n), link });
    head = { seq: link.seq, hash: link.hash };
  }
  return { rows, head: head ?? { seq: 0, hash: '' } };
}

const without = (rows: StoredAuditRow[], rowKey: string) => rows.filter((r) => r.rowKey !== rowKey);

describe('the audit chain (pure verification)', () => {
  it('serialises content canonically: key order and undefined fields do not matter', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: undefined } })).toBe('{"a":{"d":[1,"x"]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('finds a clean chain whole, with unchained entries before it', () => {
    const { rows, head } = chain(5, [event(0)]);
    expect(verifyChain(sha256, rows, head)).toEqual({ valid: true, chained: 5, unchained: 1, problems: [] });
  });

  it('finds an empty trail and one of only unchained entries whole', () => {
    expect(verifyChain(sha256, [], undefined).valid).toBe(true);
    expect(verifyChain(sha256, [{ rowKey: 'old', event: event(0) }], undefined)).toEqual({
      valid: true,
      chained: 0,
      unchained: 1,
      problems: [],
    });
  });

  it('reports an entry whose content was altered, by its sequence number', () => {
    const { rows, head } = chain(4);
    const altered = rows.map((r) =>
      r.rowKey === 'c~2' ? { ...r, event: { ...r.event, detail: 'edited' } } : r,
    );
    expect(verifyChain(sha256, altered, head).problems).toEqual([{ kind: 'altered', seq: 2 }]);
  });

  it('reports an entry altered with its hash recomputed as breaking the link of the next one', () => {
    const { rows, head } = chain(4);
    const forged = rows.map((r) => {
      if (r.rowKey !== 'c~2' || !r.link) return r;
      const e = { ...r.event, detail: 'edited' };
      return { ...r, event: e, link: { ...r.link, hash: entryHash(sha256, 2, r.link.prevHash, e) } };
    });
    expect(verifyChain(sha256, forged, head).problems).toEqual([{ kind: 'unlinked', seq: 3 }]);
  });

  it('reports a removed entry in the middle as a gap', () => {
    const { rows, head } = chain(5);
    expect(verifyChain(sha256, without(without(rows, 'c~2'), 'c~3'), head).problems).toEqual([
      { kind: 'removed', from: 2, to: 3 },
    ]);
  });

  it('reports removed last entries (the end cut off below the head)', () => {
    const { rows, head } = chain(5);
    expect(verifyChain(sha256, without(rows, 'c~5'), head).problems).toEqual([
      { kind: 'removed', from: 5, to: 5 },
    ]);
  });

  it('reports a replaced last entry that the head does not name', () => {
    const { rows, head } = chain(3);
    const replaced = rows.map((r) => {
      if (r.rowKey !== 'c~3' || !r.link) return r;
      const e = { ...r.event, detail: 'forged' };
      return { ...r, event: e, link: { ...r.link, hash: entryHash(sha256, 3, r.link.prevHash, e) } };
    });
    expect(verifyChain(sha256, replaced, head).problems).toEqual([{ kind: 'headMismatch', seq: 3 }]);
  });

  it('reports an inserted row: a second entry for a number, even a well-forged one, and one past the head', () => {
    const { rows, head } = chain(4);
    const second = rows[1];
    if (!second?.link) throw new Error('no entry 2');
    const e = { ...event(9), detail: 'forged' };
    const forged: StoredAuditRow = {
      rowKey: 'c~3-forged',
      event: e,
      link: { seq: 3, prevHash: second.link.hash, hash: entryHash(sha256, 3, second.link.hash, e) },
    };
    const beyond: StoredAuditRow = { rowKey: 'c~9', event: e, link: { seq: 9, prevHash: 'x', hash: 'y' } };
    expect(verifyChain(sha256, [...rows, forged, beyond], head).problems).toEqual([
      { kind: 'inserted', seq: 3, rowKey: 'c~3-forged' },
      { kind: 'inserted', seq: 9, rowKey: 'c~9' },
    ]);
  });

  it('reports an unchained entry inserted, altered or removed after the chain sealed them', () => {
    const { rows, head } = chain(2, [event(0)]);
    const problems = [{ kind: 'unchainedChanged' }];
    expect(verifyChain(sha256, [{ rowKey: 'old-x', event: event(7) }, ...rows], head).problems).toEqual(
      problems,
    );
    expect(verifyChain(sha256, without(rows, 'old-0'), head).problems).toEqual(problems);
  });

  it('reports chained entries without a head row', () => {
    const { rows } = chain(2);
    expect(verifyChain(sha256, rows, undefined).problems).toEqual([{ kind: 'headMissing' }]);
  });
});
