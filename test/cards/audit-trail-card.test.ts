import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  auditTrailCard,
  describeVerdict,
  MAX_PROBLEMS_SHOWN,
  problemWords,
  verdictHeadline,
  type AuditTrailCardModel,
} from '../../src/cards/audit-trail-card';
import { VERB, VERBS } from '../../src/cards/verbs';
import type { AuditEvent } from '../../src/domain/audit';
import type { ChainProblem, ChainVerification } from '../../src/domain/audit-chain';
import type { TrailEntry } from '../../src/domain/ports';
import { cardProblems, cardText, MAX_CARD_BYTES } from '../support/cards';

const intact = (chained: number, unchained = 0): ChainVerification => ({
  valid: true,
  chained,
  unchained,
  problems: [],
});

const entry = (seq: number | undefined, extra: Partial<AuditEvent> = {}): TrailEntry => ({
  seq,
  event: {
    at: `2026-11-21T10:00:${String((seq ?? 0) % 60).padStart(2, '0')}.000Z`,
    action: 'request.viewed',
    actor: { aadObjectId: 'megan', name: 'Megan Bowen' },
    outcome: 'ok',
    requestId: 'DSR-2026-0042',
    detail: `entry ${seq ?? '-'}`,
    ...extra,
  },
});

const card = (model: Partial<AuditTrailCardModel> = {}) =>
  auditTrailCard({
    requestId: 'DSR-2026-0042',
    entries: [1, 2, 3].map((n) => entry(n)),
    verification: intact(3),
    page: 0,
    pageSize: 15,
    total: 3,
    ...model,
  });

type Action = { type: string; verb?: string; title: string; data?: Record<string, unknown> };
const actionsOf = (c: unknown) => ((c as { actions?: Action[] }).actions ?? []).map((a) => a);

describe('the audit trail card', () => {
  it('shows each entry: number, time (UTC), event, who and detail, and says the trail is intact', () => {
    const c = card();
    expect(cardProblems(c)).toEqual([]);
    const text = cardText(c);
    expect(text).toContain('Audit trail of DSR-2026-0042');
    expect(text).toContain('The trail is intact: 3 entries, each linked to the one before.');
    expect(text).toContain('#2');
    expect(text).toContain('2026-11-21 10:00:02 UTC');
    expect(text).toContain('request.viewed');
    expect(text).toContain('by Megan Bowen');
    expect(text).toContain('entry 3');
    expect(text).toContain('Entries 1–3 of 3, oldest first (page 1 of 1)');
  });

  it('says the brief’s verdicts in plain words, one for every kind of chain problem', () => {
    expect(verdictHeadline(intact(42))).toBe(
      'The trail is intact: 42 entries, each linked to the one before.',
    );
    const problems: ChainProblem[] = [
      { kind: 'altered', seq: 7 },
      { kind: 'removed', from: 3, to: 4 },
      { kind: 'removed', from: 9, to: 9 },
      { kind: 'unlinked', seq: 5 },
      { kind: 'inserted', seq: 4, rowKey: 'c~0000000003a' },
      { kind: 'inserted', seq: undefined, rowKey: 'x' },
      { kind: 'unchainedChanged' },
      { kind: 'headMismatch', seq: 12 },
      { kind: 'headMissing' },
    ];
    const words = problems.map(problemWords);
    expect(words).toEqual([
      'Warning: entry 7 was altered after it was written.',
      'Warning: entries 3–4 were removed.',
      'Warning: entry 9 was removed.',
      expect.stringMatching(/^Warning: entry 5 does not follow from the entry before it/),
      'Warning: an entry was inserted (row c~0000000003a, numbered 4).',
      'Warning: an entry was inserted (row x).',
      expect.stringMatching(/^Warning: the entries written before the chain existed were changed/),
      'Warning: the last entry (12) was replaced.',
      expect.stringMatching(/^Warning: the record of the trail's last entry is missing/),
    ]);
    const broken: ChainVerification = { valid: false, chained: 12, unchained: 0, problems };
    const text = cardText(card({ verification: broken }));
    for (const w of words) expect(text).toContain(w);
    expect(text).toContain('The trail does not verify: it was changed outside the bot (9 problems).');
    expect(describeVerdict(broken)).toContain('Warning: entry 7 was altered after it was written.');
    expect(cardProblems(card({ verification: broken }))).toEqual([]);
  });

  it('flags the entries the verdict names as altered', () => {
    const broken: ChainVerification = {
      valid: false,
      chained: 3,
      unchained: 0,
      problems: [{ kind: 'altered', seq: 2 }],
    };
    const text = cardText(card({ verification: broken }));
    expect(text).toMatch(/entry 2\nAltered after it was written/);
    expect(text.match(/Altered after it was written/g)).toHaveLength(1);
  });

  it('says how many entries came before the chain, and shows them without a number', () => {
    const c = card({ entries: [entry(undefined), entry(1)], verification: intact(1, 1), total: 2 });
    const text = cardText(c);
    expect(text).toContain('(before the chain)');
    expect(text).toContain('The first entry was written before the chain existed');
    expect(cardProblems(c)).toEqual([]);
  });

  it('pages with Previous and Next carrying the request id and page only, and offers both exports', () => {
    const pageOf = (page: number) =>
      card({ entries: [entry(16)], page, total: 40, verification: intact(40) });
    const first = actionsOf(pageOf(0));
    expect(first.map((a) => a.title)).toEqual(['Next', 'Export as JSON Lines', 'Export as CSV']);
    expect(first[0]).toMatchObject({
      type: 'Action.Execute',
      verb: VERB.auditPage,
      data: { requestId: 'DSR-2026-0042', page: 1 },
    });
    expect(Object.keys(first[0]!.data!).sort()).toEqual(['page', 'requestId']);
    expect(first.slice(1).map((a) => a.data)).toEqual([
      { requestId: 'DSR-2026-0042', format: 'jsonl' },
      { requestId: 'DSR-2026-0042', format: 'csv' },
    ]);
    const middle = actionsOf(pageOf(1));
    expect(middle.map((a) => [a.title, a.data?.page])).toEqual([
      ['Previous', 0],
      ['Next', 2],
      ['Export as JSON Lines', undefined],
      ['Export as CSV', undefined],
    ]);
    expect(actionsOf(pageOf(2)).map((a) => a.title)).toEqual([
      'Previous',
      'Export as JSON Lines',
      'Export as CSV',
    ]);
    expect(cardText(pageOf(1))).toContain('Entries 16–16 of 40, oldest first (page 2 of 3)');
  });

  it('shows a hostile name and detail literally, in TextRuns, template expressions unevaluated', () => {
    const hostile = entry(1, {
      actor: { name: '${$root.requestId} **ALL APPROVED**' },
      detail: '[click](https://evil.example) ${title}',
    });
    const c = card({ entries: [hostile] });
    const json = JSON.stringify(c);
    expect(json).toContain('by ${$root.requestId} **ALL APPROVED**');
    expect(json).toContain('[click](https://evil.example) ${title}');
    const runs = JSON.stringify(c).match(/\{[^{}]*ALL APPROVED[^{}]*\}/g) ?? [];
    for (const r of runs) expect(JSON.parse(r)).toMatchObject({ type: 'TextRun' });
  });

  it(`stays under the size limit with 15 long entries and many problems (the first ${MAX_PROBLEMS_SHOWN} listed)`, () => {
    const problems: ChainProblem[] = Array.from({ length: 40 }, (_, i) => ({
      kind: 'inserted',
      seq: i,
      rowKey: 'r'.repeat(200),
    }));
    const long = Array.from({ length: 15 }, (_, i) =>
      entry(i + 1, { detail: 'x'.repeat(2000), actor: { name: 'n'.repeat(500) } }),
    );
    const c = card({ entries: long, verification: { valid: false, chained: 15, unchained: 0, problems } });
    expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThan(MAX_CARD_BYTES);
    expect(cardProblems(c)).toEqual([]);
    expect(cardText(c)).toContain('…and 30 more problems: export the trail to see them all.');
  });

  it('uses only the audit verbs of the shared verb table in its template', () => {
    const file = path.resolve(__dirname, '../../src/cards/audit-trail-card.json');
    const verbs = [...readFileSync(file, 'utf8').matchAll(/"verb": "([^"]+)"/g)].map((m) => m[1]);
    for (const verb of verbs) expect(VERBS).toContain(verb);
    expect(new Set(verbs)).toEqual(new Set([VERB.auditPage, VERB.auditExport]));
  });
});
