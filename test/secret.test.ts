import { redact, Secret } from '../src/secret';
import { createLogger } from '../src/logger';

describe('secrets stay secret', () => {
  it('redacts SAS signatures and other SAS parameters from URLs in text', () => {
    const sas =
      'https://example.blob.core.windows.net/dsr-0042?sv=2025-01-05&se=2026-12-21T00%3A00%3A00Z&sr=c&sp=cw&sig=AbCdEf0123456789%2BxYz%3D';
    const out = redact(`export to ${sas} failed`);
    expect(out).not.toContain('AbCdEf0123456789');
    expect(out).toContain('https://example.blob.core.windows.net/dsr-0042?');
    expect(out).toContain('sig=[redacted]');
  });

  it('redacts bearer tokens, account keys, client secrets and assertions', () => {
    const text = [
      'Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl',
      'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0a2V5==;EndpointSuffix=core.windows.net',
      'client_secret=abc123&client_id=x',
      '{"access_token":"eyJ.eyJ.sig","client_assertion":"eyJ.x.y"}',
    ].join('\n');
    const out = redact(text);
    for (const s of ['eyJhbGciOi', 'c2VjcmV0a2V5', 'abc123', 'eyJ.eyJ.sig', 'eyJ.x.y'])
      expect(out).not.toContain(s);
    expect(out).toContain('client_id=x');
  });

  it('never prints a Secret, and the logger redacts what it is given', () => {
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line));
    const secret = new Secret('p4ssw0rd');
    log.error('failed', {
      secret,
      url: 'https://a.blob.core.windows.net/c?sig=SIGNATURE123&sp=w',
      text: String(secret),
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('p4ssw0rd');
    expect(lines[0]).not.toContain('SIGNATURE123');
    expect(secret.reveal()).toBe('p4ssw0rd');
  });
});
