import { MAX_TIMELINE_SHOWN, requestStatusCard } from '../../src/cards/request-status-card';
import type { TimelineEntry } from '../../src/cards/timeline';
import { cardProblems, cardText } from '../support/cards';
import {
  actionsOf,
  inStatus,
  markdownTexts,
  PORTAL,
  STATUSES,
  titlesOf,
  WORST_CASE_BYTES,
  worstCase,
} from './request-fixtures';

const TODAY = '2026-11-25';
const entry = (i: number, who?: string): TimelineEntry => ({
  at: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00.000Z`,
  what: `Step ${i}`,
  ...(who ? { who } : {}),
});
/** What a client reads, with the Markdown escapes undone. */
const rendered = (s: string) => s.replace(/\\([!-/:-@[-`{-~])/g, '$1');

describe('the request status card', () => {
  it('shows the request id, where it stands, its facts and its export', () => {
    const card = requestStatusCard({ request: inStatus('completed'), today: TODAY, timeline: [] });
    const text = cardText(card);
    expect(text).toContain('Data export request DSR-2026-0042');
    expect(text).toContain('Export completed on 2026-11-23 09:00 UTC');
    expect(text).toContain('Adele Vance (adelev@contoso.com)');
    expect(text).toContain('Alex Wilber');
    expect(text).toContain('2026-12-20 (25 days left)');
    expect(text).toContain('Identity verified: ');
    expect(text).toContain('Container\ndsr-2026-0042');
    expect(text).toContain('In all: 12 files, 3.4 MB in 2 folders');
    expect(cardProblems(card)).toEqual([]);
  });

  it('shows the timeline in UTC with who did what', () => {
    const card = requestStatusCard({
      request: inStatus('completed'),
      today: TODAY,
      timeline: [
        { at: '2026-11-21T10:00:00.000Z', what: 'Created', who: 'Alex Wilber' },
        { at: '2026-11-22T09:00:00.000Z', what: 'Submitted to Graph' },
      ],
    });
    expect(cardText(card)).toContain(
      'Timeline (UTC)\n2026-11-21 10:00\nCreated by Alex Wilber\n2026-11-22 09:00\nSubmitted to Graph',
    );
  });

  it(`shows the last ${MAX_TIMELINE_SHOWN} timeline entries and says how many earlier ones are not shown`, () => {
    const timeline = Array.from({ length: 25 }, (_, i) => entry(i));
    const text = cardText(requestStatusCard({ request: inStatus('completed'), today: TODAY, timeline }));
    expect(text).toContain('5 earlier entries not shown');
    expect(text).not.toMatch(/Step 4\b/);
    expect(text).toContain('Step 5');
    expect(text).toContain('Step 24');
    const one = cardText(
      requestStatusCard({ request: inStatus('completed'), today: TODAY, timeline: timeline.slice(0, 21) }),
    );
    expect(one).toContain('1 earlier entry not shown');
    const all = cardText(
      requestStatusCard({ request: inStatus('completed'), today: TODAY, timeline: timeline.slice(0, 20) }),
    );
    expect(all).not.toContain('not shown');
  });

  it('shows hostile names in the timeline literally (escaped where the card renders Markdown)', () => {
    const name = '**ALL APPROVED** [click](https://evil.example)';
    const card = requestStatusCard({
      request: inStatus('completed'),
      today: TODAY,
      timeline: [entry(1, name)],
    });
    expect(rendered(cardText(card))).toContain(`Step 1 by ${name}`);
    for (const t of markdownTexts(card)) expect(t).not.toMatch(/(^|[^\\])(\*\*|\]\()/);
  });

  it('offers the lifecycle actions while the clock runs, and a note when given', () => {
    const card = requestStatusCard({
      request: inStatus('completed', { identity: undefined }),
      today: TODAY,
      timeline: [],
      note: 'Recorded.',
    });
    expect(titlesOf(card)).toEqual([
      'Record identity check',
      'Record delivery',
      'Extend the due date',
      'Close without export',
    ]);
    expect(cardText(card)).toContain('Recorded.');
    const done = requestStatusCard({ request: inStatus('delivered'), today: TODAY, timeline: [] });
    expect(titlesOf(done)).toEqual([]);
  });

  it('shows the rejection reason of a rejected request', () => {
    const card = requestStatusCard({ request: inStatus('rejected'), today: TODAY, timeline: [] });
    expect(cardText(card)).toContain('Rejected by Megan Bowen on 2026-11-22 09:00 UTC');
    expect(cardText(card)).toContain('Reason: \nNo.');
  });

  it('stays valid, well under 28 KB and within 5 buttons for a worst-case request and a long timeline', () => {
    const timeline = Array.from({ length: 500 }, (_, i) => ({
      ...entry(i, '👩‍👩‍👧‍👦 **x** '.repeat(40)),
      what: 'Graph asked to wait (1000 times)',
    }));
    for (const status of STATUSES) {
      for (const identified of [true, false]) {
        const card = requestStatusCard({
          request: worstCase(status, identified),
          today: TODAY,
          timeline,
          note: 'A note in the bot’s words. '.repeat(20),
          portal: PORTAL,
        });
        expect({ status, problems: cardProblems(card) }).toEqual({ status, problems: [] });
        expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(WORST_CASE_BYTES);
        expect(actionsOf(card).length).toBeLessThanOrEqual(5);
        for (const t of markdownTexts(card)) expect(t).not.toMatch(/(^|[^\\])(\*\*|\]\()/);
      }
    }
  });
});
