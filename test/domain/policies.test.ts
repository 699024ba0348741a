import {
  containerNameFor,
  pollDelayMs,
  progressPercent,
  dueDate,
  IDENTITY_NOT_YET,
  LIMITS,
  validateRequestForm,
} from '../../src/domain/policies';

describe('dueDate', () => {
  it.each([
    ['GDPR', '2026-11-21', '2026-12-21'],
    ['GDPR', '2026-01-31', '2026-02-28'],
    ['GDPR', '2028-01-31', '2028-02-29'],
    ['GDPR', '2026-12-15', '2027-01-15'],
    ['CCPA', '2026-11-21', '2027-01-05'],
    ['other', '2026-11-21', '2026-12-21'],
  ] as const)('%s received %s is due %s', (regime, received, due) => {
    expect(dueDate(regime, received)).toBe(due);
  });
});

describe('validateRequestForm', () => {
  const today = '2026-11-21';
  const good = {
    regime: 'GDPR',
    receivedDate: '2026-11-20',
    reference: 'TICKET-1',
    justification: 'Subject access request by email.',
  };

  it('accepts a complete form, cleaning the text', () => {
    expect(validateRequestForm({ ...good, reference: '  TICKET-1\u0007 ' }, today)).toEqual({
      ok: true,
      form: {
        regime: 'GDPR',
        receivedDate: '2026-11-20',
        reference: 'TICKET-1',
        justification: 'Subject access request by email.',
      },
    });
  });

  it.each([
    [{ regime: 'HIPAA' }, 'regime', /GDPR, CCPA or other/],
    [{ regime: undefined }, 'regime', /GDPR/],
    [{ receivedDate: '2026-11-23' }, 'receivedDate', /future/],
    [{ receivedDate: '2024-11-21' }, 'receivedDate', /check the year/],
    [{ receivedDate: '21/11/2026' }, 'receivedDate', /YYYY-MM-DD/],
    [{ receivedDate: '2026-02-30' }, 'receivedDate', /YYYY-MM-DD/],
    [{ reference: '   ' }, 'reference', /reference or ticket/],
    [{ reference: 'x'.repeat(LIMITS.reference + 1) }, 'reference', /64 characters/],
    [{ justification: 'because' }, 'justification', /at least 10/],
    [{ justification: 'x'.repeat(10_000) }, 'justification', /1000 characters \(it has 10000\)/],
    [{ justification: 42 }, 'justification', /at least 10/],
  ])('refuses %o, explaining the %s field', (change, field, message) => {
    const result = validateRequestForm({ ...good, ...change }, today);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.errors)).toEqual([field]);
      expect(result.errors[field as keyof typeof result.errors]).toMatch(message);
    }
  });

  it('bounds what it keeps of an oversized field (defect: a 200 000-character justification was kept whole, to be stored in the draft)', () => {
    const result = validateRequestForm({ ...good, justification: 'x'.repeat(200_000) }, today);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.justification).toMatch(/1000 characters \(it has more than 10000\)/);
      expect(result.values.justification.length).toBeLessThanOrEqual(LIMITS.typed + 1);
    }
  });

  it('collapses spaces and keeps emoji joiners in what it keeps (defect: tabs kept, U+200D removed)', () => {
    const result = validateRequestForm(
      { ...good, reference: 'TICKET\t  1\r\n', justification: 'Asked by  👩‍👩‍👧 the family\t\tby mail.' },
      today,
    );
    expect(result).toMatchObject({
      ok: true,
      form: { reference: 'TICKET 1', justification: 'Asked by 👩‍👩‍👧 the family by mail.' },
    });
  });

  it('allows tomorrow (time zones ahead of UTC) but not later', () => {
    expect(validateRequestForm({ ...good, receivedDate: '2026-11-22' }, today).ok).toBe(true);
  });

  describe('the identity check', () => {
    it.each(['corporateSignIn', 'hrRecords', 'governmentId'] as const)(
      'carries a %s verification with its note, cleaned',
      (method) => {
        const result = validateRequestForm(
          { ...good, identityMethod: method, identityNote: '  Seen by\t\tthe DPO.\u202E ' },
          today,
        );
        expect(result).toEqual({
          ok: true,
          form: { ...good, identity: { method, note: 'Seen by the DPO.' } },
        });
      },
    );

    it('carries "other" when a note says how', () => {
      const result = validateRequestForm(
        { ...good, identityMethod: 'other', identityNote: 'Video call with\ntheir manager.' },
        today,
      );
      expect(result).toMatchObject({
        ok: true,
        form: { identity: { method: 'other', note: 'Video call with\ntheir manager.' } },
      });
    });

    it('allows a method without a note, except "other"', () => {
      expect(validateRequestForm({ ...good, identityMethod: 'hrRecords' }, today)).toMatchObject({
        ok: true,
        form: { identity: { method: 'hrRecords', note: '' } },
      });
    });

    it.each([
      ['"notYet"', { identityMethod: IDENTITY_NOT_YET }],
      ['an empty choice', { identityMethod: '' }],
      ['no choice at all (a card from before the field)', {}],
      ['"notYet" with a note', { identityMethod: IDENTITY_NOT_YET, identityNote: 'Will ask HR.' }],
      ['a choice that is not text (forged card data)', { identityMethod: 42 }],
    ])('creates the request without an identity for %s', (_label, change) => {
      const result = validateRequestForm({ ...good, ...change }, today);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.form).not.toHaveProperty('identity');
    });

    it.each([
      [
        'an unknown method',
        { identityMethod: 'astrology' },
        'identityMethod',
        /how the identity was verified/,
      ],
      [
        '"other" without a note',
        { identityMethod: 'other', identityNote: ' \n ' },
        'identityNote',
        /Say how/,
      ],
      [
        'a note over the limit',
        { identityMethod: 'hrRecords', identityNote: 'n'.repeat(LIMITS.identityNote + 1) },
        'identityNote',
        /500 characters/,
      ],
      [
        'a note over the limit, not verified yet',
        { identityMethod: IDENTITY_NOT_YET, identityNote: 'n'.repeat(LIMITS.identityNote + 1) },
        'identityNote',
        /500 characters/,
      ],
    ])(
      'refuses %s, explaining the identity field and keeping what was typed',
      (_label, change, field, message) => {
        const result = validateRequestForm({ ...good, ...change }, today);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(Object.keys(result.errors)).toEqual([field]);
        expect(result.errors[field as keyof typeof result.errors]).toMatch(message);
        expect(result.values.justification).toBe(good.justification);
        const note = (change as { identityNote?: string }).identityNote;
        if (note !== undefined) expect(result.values.identityNote).toBe(note.trim());
      },
    );

    it('accepts a note of exactly the limit, counted in characters, not UTF-16 units', () => {
      const note = '👩'.repeat(LIMITS.identityNote);
      expect(
        validateRequestForm({ ...good, identityMethod: 'other', identityNote: note }, today),
      ).toMatchObject({
        ok: true,
        form: { identity: { method: 'other', note } },
      });
    });
  });
});

describe('export pacing and naming', () => {
  it('never polls before Retry-After, every 5 minutes in the first hour, then a quarter of the age up to the cap', () => {
    expect(pollDelayMs(0, 60_000, 3600_000)).toBe(5 * 60_000);
    expect(pollDelayMs(0, 900_000, 3600_000)).toBe(900_000);
    expect(pollDelayMs(2 * 3600_000, 60_000, 3600_000)).toBe(30 * 60_000);
    expect(pollDelayMs(48 * 3600_000, 60_000, 3600_000)).toBe(3600_000);
    expect(pollDelayMs(48 * 3600_000, 2 * 3600_000, 3600_000)).toBe(2 * 3600_000);
    expect(pollDelayMs(48 * 3600_000, 0, 1200)).toBe(1200);
  });

  it('reads progress on either scale, as a number or a string, and ignores nonsense', () => {
    expect(progressPercent(0.42)).toBe(42);
    expect(progressPercent('42')).toBe(42);
    // The export service's own scale is a 0–1 fraction (issue 12): 1 is all done, even while still running.
    expect(progressPercent(1)).toBe(100);
    expect(progressPercent(55)).toBe(55);
    expect(progressPercent(250)).toBe(100);
    expect(progressPercent('n/a')).toBeUndefined();
    expect(progressPercent(-1)).toBeUndefined();
  });

  it('names a container per attempt, with the deployment prefix when one is set', () => {
    expect(containerNameFor('DSR-2026-0042', 1, 'dsr')).toBe('dsr-2026-0042');
    expect(containerNameFor('DSR-2026-0042', 3, 'staging')).toBe('staging-dsr-2026-0042-r3');
  });
});
