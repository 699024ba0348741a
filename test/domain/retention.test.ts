import type { ExportRequest } from '../../src/domain/export-request';
import {
  addMonths,
  containersOf,
  DEFAULT_RETENTION,
  draftCutoff,
  retentionSteps,
} from '../../src/domain/retention';
import { outcomeOf } from '../../src/domain/request-outcome';
import { alexActor, meganActor, pendingRequest } from '../support/requests';

const policy = DEFAULT_RETENTION;
const at = (iso: string) => new Date(iso);

/** A request whose export completed on 2026-12-01 and was delivered on `date`. */
function delivered(date = '2026-12-05', extra: Partial<ExportRequest> = {}): ExportRequest {
  return {
    ...pendingRequest(),
    status: 'delivered',
    decision: { verdict: 'approved', by: meganActor, at: '2026-11-22T10:00:00Z', firstAttempt: 1 },
    export: {
      attempt: 1,
      containerName: 'dsr-2026-0001',
      throttled: 0,
      polls: 3,
      pollErrors: 0,
      submittedAt: '2026-11-22T10:01:00Z',
      completedAt: '2026-12-01T10:00:00Z',
    },
    delivery: { date, method: 'secureLink', note: '', by: alexActor, at: `${date}T12:00:00Z`, daysLate: 0 },
    ...extra,
  };
}

describe('retention: what is due for a request', () => {
  it('tells the thread three days before a delivered export is deleted, once per deletion date', () => {
    const r = delivered('2026-12-05');
    expect(retentionSteps(r, at('2026-12-31T12:00:00Z'), policy)).toEqual([]);
    expect(retentionSteps(r, at('2027-01-01T12:00:00Z'), policy)).toEqual([
      { kind: 'notice', deleteOn: '2027-01-04' },
    ]);
    const told = { ...r, retention: { noticedFor: '2027-01-04' } };
    expect(retentionSteps(told, at('2027-01-03T12:00:00Z'), policy)).toEqual([]);
    expect(retentionSteps(told, at('2027-01-04T00:00:00Z'), policy)).toEqual([
      { kind: 'deleteContainers', containers: ['dsr-2026-0001'], why: 'delivered' },
    ]);
  });

  it('never deletes a delivered export before its thread was told, and then not sooner than three days after', () => {
    // A delivery recorded long after the day (or a hold released late): told now, deleted in three days.
    const late = delivered('2026-12-05');
    expect(retentionSteps(late, at('2027-03-01T10:00:00Z'), policy)).toEqual([
      { kind: 'notice', deleteOn: '2027-03-04' },
    ]);
    const told = { ...late, retention: { noticedFor: '2027-03-04' } };
    expect(retentionSteps(told, at('2027-03-03T23:00:00Z'), policy)).toEqual([]);
    expect(retentionSteps(told, at('2027-03-04T00:00:00Z'), policy)).toEqual([
      { kind: 'deleteContainers', containers: ['dsr-2026-0001'], why: 'delivered' },
    ]);
  });

  it('deletes nothing while the request is held, however late it is', () => {
    const held = delivered('2026-12-05', {
      retention: { hold: { by: alexActor, at: '2026-12-06T00:00:00Z', reason: 'Complaint pending' } },
    });
    expect(retentionSteps(held, at('2030-01-01T00:00:00Z'), policy)).toEqual([]);
  });

  it('never deletes an export that was not delivered yet, however old', () => {
    const completed: ExportRequest = { ...delivered(), status: 'completed', delivery: undefined };
    expect(retentionSteps(completed, at('2030-01-01T00:00:00Z'), policy)).toEqual([]);
    const exporting: ExportRequest = { ...completed, status: 'exporting' };
    expect(retentionSteps(exporting, at('2030-01-01T00:00:00Z'), policy)).toEqual([]);
  });

  it('deletes a failed attempt seven days after it failed, and superseded attempts seven days after the next began', () => {
    const failed: ExportRequest = {
      ...delivered(),
      status: 'failed',
      delivery: undefined,
      export: {
        ...delivered().export!,
        attempt: 2,
        containerName: 'dsr-2026-0001-r2',
        submittedAt: '2026-11-25T00:00:00Z',
        completedAt: '2026-11-28T00:00:00Z',
      },
    };
    expect(containersOf(failed)).toEqual(['dsr-2026-0001', 'dsr-2026-0001-r2']);
    // The names follow from the current container, not from today's prefix.
    const third = {
      ...failed,
      export: { ...failed.export!, attempt: 3, containerName: 't1-dsr-2026-0001-r3' },
    };
    expect(containersOf(third)).toEqual(['t1-dsr-2026-0001', 't1-dsr-2026-0001-r2', 't1-dsr-2026-0001-r3']);
    // The first attempt was superseded on 25 Nov: unused from 2 Dec. The second failed on 28 Nov: from 5 Dec.
    expect(retentionSteps(failed, at('2026-12-01T23:00:00Z'), policy)).toEqual([]);
    expect(retentionSteps(failed, at('2026-12-02T00:00:00Z'), policy)).toEqual([
      { kind: 'deleteContainers', containers: ['dsr-2026-0001'], why: 'unused' },
    ]);
    expect(retentionSteps(failed, at('2026-12-05T00:00:00Z'), policy)).toEqual([
      { kind: 'deleteContainers', containers: ['dsr-2026-0001', 'dsr-2026-0001-r2'], why: 'unused' },
    ]);
    const firstGone = {
      ...failed,
      retention: { deleted: [{ container: 'dsr-2026-0001', at: '2026-12-02T00:00:00Z' }] },
    };
    expect(retentionSteps(firstGone, at('2026-12-05T00:00:00Z'), policy)).toEqual([
      { kind: 'deleteContainers', containers: ['dsr-2026-0001-r2'], why: 'unused' },
    ]);
  });

  it('deletes an export closed without delivery seven days after the closure', () => {
    const closed: ExportRequest = {
      ...delivered(),
      status: 'closed',
      delivery: undefined,
      closure: {
        reason: 'withdrawn',
        note: '',
        proposedBy: alexActor,
        proposedAt: '2026-12-02T00:00:00Z',
        confirmedBy: meganActor,
        confirmedAt: '2026-12-03T00:00:00Z',
      },
    };
    expect(retentionSteps(closed, at('2026-12-09T23:00:00Z'), policy)).toEqual([]);
    expect(retentionSteps(closed, at('2026-12-10T00:00:00Z'), policy)).toEqual([
      { kind: 'deleteContainers', containers: ['dsr-2026-0001'], why: 'unused' },
    ]);
  });

  it('leaves a tombstone 24 months after the answer, only once no container is left', () => {
    const gone = delivered('2026-12-05', {
      retention: { deleted: [{ container: 'dsr-2026-0001', at: '2027-01-04T00:00:00Z' }] },
    });
    expect(retentionSteps(gone, at('2028-12-04T23:00:00Z'), policy)).toEqual([]);
    expect(retentionSteps(gone, at('2028-12-05T00:00:00Z'), policy)).toEqual([{ kind: 'tombstone' }]);
    // A container still there (held until recently): it goes first, then the record.
    expect(
      retentionSteps(
        delivered('2026-12-05', { retention: { noticedFor: '2027-01-04' } }),
        at('2028-12-05T00:00:00Z'),
        policy,
      ),
    ).toEqual([
      { kind: 'deleteContainers', containers: ['dsr-2026-0001'], why: 'delivered' },
      { kind: 'tombstone' },
    ]);
  });

  it('leaves a tombstone of a request rejected without any export after the same time', () => {
    const rejected: ExportRequest = {
      ...pendingRequest(),
      status: 'rejected',
      decision: { verdict: 'rejected', by: meganActor, at: '2026-11-22T10:00:00Z', reason: 'No basis' },
    };
    expect(outcomeOf(rejected)).toMatchObject({
      outcome: 'denied',
      denialReason: 'rejectedAtApproval',
      respondedDate: '2026-11-22',
    });
    expect(retentionSteps(rejected, at('2028-11-21T23:00:00Z'), policy)).toEqual([]);
    expect(retentionSteps(rejected, at('2028-11-22T00:00:00Z'), policy)).toEqual([{ kind: 'tombstone' }]);
  });

  it('never tombstones an open request', () => {
    expect(retentionSteps(pendingRequest(), at('2040-01-01T00:00:00Z'), policy)).toEqual([]);
  });

  it('counts months by the calendar (the last day of a shorter month)', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-12-05', 24)).toBe('2028-12-05');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });

  it('purges drafts older than the draft lifetime', () => {
    expect(draftCutoff(at('2026-11-30T12:00:00Z'), policy)).toBe('2026-11-29T12:00:00.000Z');
  });
});
