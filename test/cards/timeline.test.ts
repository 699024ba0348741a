import { timelineOf } from '../../src/cards/timeline';
import type { AuditAction, AuditEvent } from '../../src/domain/audit';

let minute = 0;
const event = (action: AuditAction, name?: string, extra: Partial<AuditEvent> = {}): AuditEvent => {
  minute += 1;
  return {
    at: `2026-11-21T10:${String(minute).padStart(2, '0')}:00.000Z`,
    action,
    actor: name ? { aadObjectId: name.toLowerCase(), name } : {},
    outcome: 'ok',
    requestId: 'DSR-2026-0042',
    detail: `detail of ${action}: sig=SECRET&sv=2025`,
    ...extra,
  };
};
const whats = (events: AuditEvent[]) => timelineOf(events).map((e) => e.what);

describe('the timeline of a request', () => {
  it('words each step of the request in a few words, with who did it', () => {
    const events = [
      event('request.created', 'Alex Wilber'),
      event('card.posted'),
      event('identity.recorded', 'Megan Bowen'),
      event('request.approved', 'Megan Bowen'),
      event('export.submitted'),
      event('export.completed'),
      event('deadline.extended', 'Megan Bowen'),
      event('request.delivered', 'Megan Bowen'),
    ];
    expect(timelineOf(events)).toEqual([
      { at: events[0]!.at, what: 'Created', who: 'Alex Wilber' },
      { at: events[1]!.at, what: 'Posted in the approvals channel' },
      { at: events[2]!.at, what: 'Identity verified', who: 'Megan Bowen' },
      { at: events[3]!.at, what: 'Approved', who: 'Megan Bowen' },
      { at: events[4]!.at, what: 'Submitted to Graph' },
      { at: events[5]!.at, what: 'Completed' },
      { at: events[6]!.at, what: 'Extended', who: 'Megan Bowen' },
      { at: events[7]!.at, what: 'Delivered', who: 'Megan Bowen' },
    ]);
  });

  it('leaves out noise: notices sent, SAS grants, views, refused clicks', () => {
    expect(
      whats([
        event('request.created', 'Alex'),
        event('notification.sent'),
        event('sas.created'),
        event('sas.revoked'),
        event('card.refused', 'Eve', { outcome: 'refused' }),
        event('decision.refused', 'Eve', { outcome: 'refused' }),
        event('request.viewed', 'Megan'),
        event('requests.listed', 'Megan'),
        event('closure.proposed', 'Alex'),
        event('closure.withdrawn', 'Megan'),
      ]),
    ).toEqual(['Created', 'Closure proposed', 'Closure withdrawn, kept open']);
  });

  it("keeps Graph's first status change of each attempt and counts repeats in a row", () => {
    expect(
      whats([
        event('export.submitted'),
        event('export.throttled'),
        event('export.throttled'),
        event('export.throttled'),
        event('export.statusChanged'),
        event('export.statusChanged'),
        event('export.failed'),
        event('export.resubmitted', 'Megan'),
        event('export.statusChanged'),
      ]),
    ).toEqual([
      'Submitted to Graph',
      'Graph asked to wait (3 times)',
      'Graph picked up the export',
      'Failed',
      'Resubmitted into a new container',
      'Graph picked up the export',
    ]);
  });

  it('never shows an event detail, and orders events by time', () => {
    const later = event('request.approved', 'Megan');
    const earlier = event('request.created', 'Alex', { at: '2026-11-20T09:00:00.000Z' });
    const timeline = timelineOf([later, earlier]);
    expect(timeline.map((e) => e.what)).toEqual(['Created', 'Approved']);
    expect(JSON.stringify(timeline)).not.toContain('SECRET');
    expect(JSON.stringify(timeline)).not.toContain('detail');
  });

  it('cleans actor names: no control or direction-override characters, bounded', () => {
    const [only] = timelineOf([event('request.created', `Alex\u202E\u0000 ${'W'.repeat(200)}`)]);
    for (const c of ['\u202E', '\u0000']) expect(only?.who).not.toContain(c);
    expect(Array.from(only?.who ?? '').length).toBeLessThanOrEqual(80);
  });
});
