import { TableNoticeLog } from '../../../src/adapters/storage/notice-log';
import { uniqueName } from '../../contracts/fixtures';
import { testStorageConnectionString } from '../../support/sandbox';

const T0 = '2026-11-30T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

describe('TableNoticeLog on Azurite: notices sent, and the claims of the runs sending them', () => {
  const log = () => new TableNoticeLog(testStorageConnectionString(), uniqueName('notices'));

  it('gives one claim to one of many runs at once, and none to another while it holds', async () => {
    const notices = log();
    const claims = await Promise.all(
      Array.from({ length: 6 }, () => notices.claim('DSR-2026-0001', 'thread-complete-1', T0, at(5))),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await notices.claim('DSR-2026-0001', 'thread-complete-1', at(4), at(9))).toBe(false);
    // Another notice, or another request, is claimed on its own.
    expect(await notices.claim('DSR-2026-0001', 'requester-complete-1', T0, at(5))).toBe(true);
    expect(await notices.claim('DSR-2026-0002', 'thread-complete-1', T0, at(5))).toBe(true);
  });

  it('lets a run take over a claim that ran out (its sender died), and one released at once', async () => {
    const notices = log();
    expect(await notices.claim('DSR-2026-0001', 'k', T0, at(5))).toBe(true);
    const takeOvers = await Promise.all([
      notices.claim('DSR-2026-0001', 'k', at(6), at(11)),
      notices.claim('DSR-2026-0001', 'k', at(6), at(11)),
    ]);
    expect(takeOvers.filter(Boolean)).toHaveLength(1);
    await notices.release('DSR-2026-0001', 'k');
    expect(await notices.claim('DSR-2026-0001', 'k', at(7), at(12))).toBe(true);
  });

  it('records a sent notice once; a claim is not a record of it', async () => {
    const notices = log();
    await notices.claim('DSR-2026-0001', 'k', T0, at(5));
    expect(await notices.wasSent('DSR-2026-0001', 'k')).toBe(false);
    expect(await notices.record('DSR-2026-0001', 'k', T0)).toBe(true);
    expect(await notices.record('DSR-2026-0001', 'k', T0)).toBe(false);
    expect(await notices.wasSent('DSR-2026-0001', 'k')).toBe(true);
  });
});
