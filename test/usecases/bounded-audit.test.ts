import type { AuditEvent } from '../../src/domain/audit';
import type { AuditLog } from '../../src/domain/ports';
import { withRefusalBudget } from '../../src/usecases/bounded-audit';

const HOME = 'c0a70500-0000-4000-8000-000000000001';

function memoryLog(): AuditLog & { rows: Map<string, AuditEvent> } {
  const rows = new Map<string, AuditEvent>();
  let n = 0;
  return {
    rows,
    append: (event, onceKey) => {
      const key = onceKey ?? `row-${n++}`;
      if (!rows.has(key)) rows.set(key, event);
      return Promise.resolve();
    },
    list: () => Promise.resolve([...rows.values()]),
    trail: () => Promise.reject(new Error('trail() is not used by these tests')),
    heads: () => Promise.resolve([]),
  };
}

const refusal = (tenantId: string, who: string, detail: string): AuditEvent => ({
  at: '2026-11-22T09:00:00Z',
  action: 'card.refused',
  actor: { aadObjectId: who, tenantId },
  outcome: 'refused',
  detail,
});

describe('the audit log with a refusal budget (issue 11: refusals could flood the audit table)', () => {
  let now = new Date('2026-11-22T09:00:00Z');
  const clock = { now: () => now };
  const dropped: number[] = [];
  const setup = () => {
    const log = memoryLog();
    return {
      log,
      audit: withRefusalBudget(log, clock, {
        homeTenantId: HOME,
        perHour: 5,
        othersPerHour: 3,
        onDropped: (n) => dropped.push(n),
      }),
    };
  };

  it('records a repeated refusal once per hour', async () => {
    const { log, audit } = setup();
    for (let i = 0; i < 20; i++) await audit.append(refusal(HOME, 'adele', 'refresh of DSR-2026-0001'));
    expect(log.rows.size).toBe(1);
  });

  it('keeps the home tenant’s record when outsiders exhaust theirs, and says what it dropped', async () => {
    const { log, audit } = setup();
    for (let i = 0; i < 100; i++) await audit.append(refusal('other-tenant', `x${i}`, `DSR-2026-${i}`));
    expect(log.rows.size).toBe(3);
    await audit.append(refusal(HOME.toUpperCase(), 'megan', 'approve of DSR-2026-0007'));
    expect(log.rows.size).toBe(4);
    now = new Date('2026-11-22T10:00:00Z');
    await audit.append(refusal('other-tenant', 'y', 'again'));
    expect(dropped).toEqual([97]);
  });

  it('always records the bot’s own failures and everything that is not a refusal', async () => {
    const { log, audit } = setup();
    for (let i = 0; i < 10; i++) {
      await audit.append({ ...refusal(HOME, 'bot', 'same'), action: 'notification.failed' });
      await audit.append({ ...refusal(HOME, 'megan', 'same'), action: 'request.approved', outcome: 'ok' });
    }
    expect(log.rows.size).toBe(20);
  });
});
