import { readFileSync } from 'node:fs';
import path from 'node:path';
import { requestListCard, STATUS_WORDS, type RequestListCardModel } from '../../src/cards/request-list-card';
import { VERB, VERBS } from '../../src/cards/verbs';
import type { ExportRequest, RequestStatus } from '../../src/domain/export-request';
import { cardProblems, cardText, MAX_CARD_BYTES } from '../support/cards';

const TODAY = '2026-11-21';

const request = (n: number, extra: Partial<ExportRequest> = {}): ExportRequest => ({
  id: `DSR-2026-${String(n).padStart(4, '0')}`,
  status: 'pendingApproval',
  subject: {
    id: `s-${n}`,
    displayName: `Adele Vance ${n}`,
    userPrincipalName: 'adelev@contoso.com',
    mail: null,
    jobTitle: null,
    department: null,
  },
  requester: { aadObjectId: 'alex', name: 'Alex Wilber' },
  regime: 'GDPR',
  receivedDate: '2026-11-20',
  dueDate: '2026-12-20',
  reference: 'SR-1',
  justification: 'Subject access request by email.',
  createdAt: '2026-11-21T10:00:00Z',
  requestedIn: { id: 'a:1', type: 'personal' },
  ...extra,
});

const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => request(from + i));

const card = (model: Partial<RequestListCardModel>) =>
  requestListCard({
    title: 'Open requests',
    list: 'open',
    items: [],
    total: 0,
    page: 0,
    pageSize: 10,
    today: TODAY,
    ...model,
  });

interface Node {
  readonly [key: string]: unknown;
}

/** Every object in a card (depth first). */
function nodes(value: unknown): Node[] {
  const found: Node[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      found.push(v as Node);
      Object.values(v).forEach(walk);
    }
  };
  walk(value);
  return found;
}

/** The Action.Execute actions of a card, with their verb and data. */
const executes = (c: unknown) =>
  nodes(c)
    .filter((n) => n.type === 'Action.Execute')
    .map((n) => ({ verb: n.verb, title: n.title, data: n.data }));

const pagingButtons = (c: unknown) =>
  executes(c)
    .filter((a) => a.verb === VERB.page)
    .map((a) => ({ title: a.title, data: a.data }));

/** The one TextBlock whose text starts with `start`. */
const textBlock = (c: unknown, start: string) =>
  nodes(c).find((n) => n.type === 'TextBlock' && typeof n.text === 'string' && n.text.startsWith(start));

describe('the request list card', () => {
  it('says how many open requests there are, overdue first, and which of them this page shows', () => {
    const c = card({ items: page(11, 10), total: 37, page: 1 });
    expect(cardProblems(c)).toEqual([]);
    const text = cardText(c);
    expect(text).toContain('37 open requests, overdue first');
    expect(text).toContain('Showing 11–20 of 37');
    expect(text).toContain('DSR-2026-0011');
    expect(text).toContain('Adele Vance 20');
  });

  it('tells a requester how many requests they asked for, without a range when all fit on the page', () => {
    const five = card({ list: 'mine', title: 'Your requests', items: page(1, 5), total: 5 });
    expect(cardText(five)).toContain('You asked for 5 requests');
    expect(cardText(five)).not.toContain('Showing');
    expect(cardText(card({ list: 'mine', items: page(1, 1), total: 1 }))).toContain(
      'You asked for 1 request',
    );
    expect(cardText(card({ items: page(1, 1), total: 1 }))).toContain('1 open request, overdue first');
  });

  it.each([
    ['open', 'No open requests.'],
    ['mine', 'You have not asked for any requests yet.'],
  ] as const)('says so when the %s list is empty, with no rows and no paging', (list, words) => {
    const c = card({ list, items: [], total: 0 });
    expect(cardProblems(c)).toEqual([]);
    expect(cardText(c)).toContain(words);
    expect(executes(c)).toEqual([]);
    expect(cardText(c)).not.toContain('Showing');
  });

  it('describes every status in words, delivered and closed included', () => {
    const every: Record<RequestStatus, true> = {
      pendingApproval: true,
      approved: true,
      exporting: true,
      outcomeUnknown: true,
      completed: true,
      failed: true,
      delivered: true,
      closed: true,
      rejected: true,
      cancelled: true,
      expired: true,
    };
    const statuses = Object.keys(every) as RequestStatus[];
    const c = card({
      list: 'mine',
      items: statuses.map((status, i) => request(i + 1, { status })),
      total: statuses.length,
      pageSize: 20,
    });
    expect(cardProblems(c)).toEqual([]);
    for (const status of statuses) {
      const words = STATUS_WORDS[status];
      expect(textBlock(c, words.charAt(0).toUpperCase() + words.slice(1))).toBeDefined();
    }
    expect(textBlock(c, 'Delivered to the subject')).toBeDefined();
    expect(textBlock(c, 'Closed without export')).toBeDefined();
  });

  it.each([
    ['2026-11-18', '2026-11-18 · 3 days overdue', 'Attention'],
    ['2026-11-20', '2026-11-20 · 1 day overdue', 'Attention'],
    ['2026-11-21', '2026-11-21 · due today', 'Warning'],
    ['2026-11-22', '2026-11-22 · 1 day left', 'Warning'],
    ['2026-11-28', '2026-11-28 · 7 days left', 'Warning'],
    ['2026-11-29', '2026-11-29 · 8 days left', 'Default'],
  ])('shows a request due %s as %j in %s', (dueDate, text, color) => {
    const c = card({ items: [request(1, { dueDate })], total: 1 });
    expect(textBlock(c, dueDate)).toMatchObject({ text, color });
  });

  it.each(['delivered', 'closed', 'rejected', 'cancelled', 'expired'] as const)(
    'shows no days left and no urgency once the clock stopped (%s)',
    (status) => {
      const c = card({ list: 'mine', items: [request(1, { status, dueDate: '2026-11-01' })], total: 1 });
      expect(textBlock(c, 'Due 2026-11-01')).toMatchObject({ text: 'Due 2026-11-01', color: 'Default' });
      expect(cardText(c)).not.toContain('overdue');
    },
  );

  it("opens each request's status card from its row, with only the request id as data", () => {
    const c = card({ items: page(1, 3), total: 3 });
    const rows = nodes(c).filter((n) => n.type === 'Container' && n.selectAction !== undefined);
    expect(rows).toHaveLength(3);
    const opens = rows.map((r) => {
      const { type, verb, data } = r.selectAction as Node;
      return { type, verb, data };
    });
    expect(opens).toEqual(
      ['DSR-2026-0001', 'DSR-2026-0002', 'DSR-2026-0003'].map((requestId) => ({
        type: 'Action.Execute',
        verb: VERB.show,
        data: { requestId },
      })),
    );
  });

  it.each([
    [
      'the first of several pages: Next only',
      37,
      0,
      10,
      [{ title: 'Next', data: { list: 'open', page: 1 } }],
    ],
    [
      'a middle page: Previous and Next',
      37,
      1,
      10,
      [
        { title: 'Previous', data: { list: 'open', page: 0 } },
        { title: 'Next', data: { list: 'open', page: 2 } },
      ],
    ],
    ['the last page: Previous only', 37, 3, 7, [{ title: 'Previous', data: { list: 'open', page: 2 } }]],
    ['a single full page: none', 10, 0, 10, []],
    ['a single short page: none', 4, 0, 4, []],
  ])('offers paging buttons only where a page exists, on %s', (_label, total, pageNo, count, buttons) => {
    const c = card({ items: page(pageNo * 10 + 1, count), total, page: pageNo });
    expect(cardProblems(c)).toEqual([]);
    expect(pagingButtons(c)).toEqual(buttons);
  });

  it('carries the list it pages through, for a requester too', () => {
    const c = card({ list: 'mine', items: page(1, 10), total: 25 });
    expect(pagingButtons(c)).toEqual([{ title: 'Next', data: { list: 'mine', page: 1 } }]);
  });

  it('leads back to the last page from a page past the end (the list shrank since the last card)', () => {
    const c = card({ items: [], total: 37, page: 9 });
    expect(cardProblems(c)).toEqual([]);
    expect(cardText(c)).toContain('37 open requests, overdue first');
    expect(cardText(c)).toContain('Nothing on this page');
    expect(pagingButtons(c)).toEqual([{ title: 'Previous', data: { list: 'open', page: 3 } }]);
  });

  it('never shows a range beyond the total when the count lags behind the page', () => {
    const c = card({ items: page(1, 10), total: 8 });
    expect(cardText(c)).not.toContain('of 8');
    expect(pagingButtons(c)).toEqual([]);
  });

  it.each([
    ['template expressions', '${$root.list} ${if(true,"x","y")} ${id}'],
    ['Markdown', '**ALL APPROVED** [click](https://evil.example) # heading'],
    ['long emoji', '👩‍👩‍👧‍👦'.repeat(5000)],
    ['long ASCII', 'x'.repeat(10_000)],
    ['control characters', 'Adele\u202E\u0000 Vance\n\n# Boss'],
  ])('stays valid and well under 28 KB for a page of 10 with %s in names', (_label, name) => {
    const items = page(1, 10).map((r) => ({ ...r, subject: { ...r.subject, displayName: name } }));
    const c = card({ items, total: 37, title: name });
    expect(cardProblems(c)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThan(MAX_CARD_BYTES / 2);
    // Names go into TextRuns (no Markdown); no TextBlock shows one unescaped.
    for (const n of nodes(c).filter((x) => x.type === 'TextBlock'))
      expect(n.text).not.toMatch(/(^|[^\\])(\*\*|\]\()/);
    expect(JSON.stringify(c)).not.toContain('\u202E');
  });

  it('shows a name literally in its row, template expressions unevaluated', () => {
    const name = '${$root.list} **bold**';
    const c = card({
      items: [request(1, { subject: { ...request(1).subject, displayName: name } })],
      total: 1,
    });
    const runs = nodes(c).filter((n) => n.type === 'TextRun' && n.text === name);
    expect(runs).toHaveLength(1);
  });

  it('uses only verbs of the shared verb table in its template: request.show and requests.page', () => {
    const file = path.resolve(__dirname, '../../src/cards/request-list-card.json');
    const verbs = [...readFileSync(file, 'utf8').matchAll(/"verb": "([^"]+)"/g)].map((m) => m[1]);
    expect(verbs.length).toBeGreaterThan(0);
    for (const verb of verbs) expect(VERBS).toContain(verb);
    expect(new Set(verbs)).toEqual(new Set([VERB.show, VERB.page]));
  });
});
