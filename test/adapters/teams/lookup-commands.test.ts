import { COMMANDS } from '../../../src/adapters/teams/commands';
import { auditQuery, statusQuery } from '../../../src/adapters/teams/lookup-commands';

describe('the lookup commands’ words', () => {
  it('reads the request id of "audit …" in any case, with or without "trail of"', () => {
    for (const text of [
      'audit DSR-2026-0042',
      'audit dsr-2026-0042',
      'audit trail of DSR-2026-0042',
      'Audit trail for "DSR-2026-0042"?',
    ]) {
      expect(COMMANDS.audit.pattern.test(text.toLowerCase())).toBe(true);
      expect(auditQuery(text)).toBe('DSR-2026-0042');
    }
  });

  it('has no request id for "audit" alone or with a name (it asks which request)', () => {
    expect(auditQuery('audit')).toBeUndefined();
    expect(auditQuery('audit adele')).toBeUndefined();
    expect(auditQuery("audit DSR-2026-0042' or 1=1")).toBeUndefined();
  });

  it('leaves "status" to its own command', () => {
    expect(COMMANDS.audit.pattern.test('status dsr-2026-0042')).toBe(false);
    expect(statusQuery('status DSR-2026-0042')).toEqual({ kind: 'request', id: 'DSR-2026-0042' });
  });
});
