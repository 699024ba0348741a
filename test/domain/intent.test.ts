import { parseIntent } from '../../src/domain/intent';

describe('parseIntent', () => {
  it.each([
    ['export data for adele@contoso.com', 'adele@contoso.com', undefined],
    ['export data for Adele Vance', 'Adele Vance', undefined],
    ['Export Data For   Adele   Vance ', 'Adele Vance', undefined],
    ['EXPORT DATA FOR ADELEV@CONTOSO.COM.', 'ADELEV@CONTOSO.COM', undefined],
    ['export data for @Adele Vance', 'Adele Vance', undefined],
    ["export adele's data", 'adele', undefined],
    ['export Adele’s personal data', 'Adele', undefined],
    ["export James' data", 'James', undefined],
    ['export personal data of Adele Vance', 'Adele Vance', undefined],
    ['export personal data for "Adele Vance"', 'Adele Vance', undefined],
    ['export the data of Isaiah', 'Isaiah', undefined],
    ['export all data about isaiahl@contoso.com', 'isaiahl@contoso.com', undefined],
    ['gdpr export adele', 'adele', 'GDPR'],
    ['GDPR export for Adele Vance', 'Adele Vance', 'GDPR'],
    ['ccpa export data for lee', 'lee', 'CCPA'],
    ['data export for Lee Gu', 'Lee Gu', undefined],
  ])('reads %j as an export request for %j', (text, subject, regime) => {
    expect(parseIntent(text)).toEqual({ kind: 'export', subject: { kind: 'text', text: subject }, regime });
  });

  it('keeps a Teams @mention of the person as a mention, not as text', () => {
    expect(parseIntent('export data for <at>Adele Vance</at>')).toEqual({
      kind: 'export',
      subject: { kind: 'mention', mentionText: '<at>Adele Vance</at>' },
      regime: undefined,
    });
  });

  it.each(['export data', 'Export personal data', 'gdpr export', 'export data for', 'export data for @'])(
    'reads %j as an export request without a person',
    (text) => {
      expect(parseIntent(text)).toMatchObject({ kind: 'export', subject: { kind: 'none' } });
    },
  );

  it('understands the admin command that sets the approvals channel', () => {
    expect(parseIntent('use this channel for approvals')).toEqual({ kind: 'setApprovalsChannel' });
    expect(parseIntent('Please use this channel for approvals.')).toEqual({ kind: 'setApprovalsChannel' });
  });

  it.each(['help', 'whoami', 'exported data', 'please export', 'export', 'what is data export?x', ''])(
    'does not read %j as a request',
    (text) => {
      expect(parseIntent(text)).toBeUndefined();
    },
  );
});
