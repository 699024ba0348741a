import type { Server } from 'restify';
import { attachmentName, redactedPath } from '../../../src/adapters/http/download-route';
import { createHttpServer } from '../../../src/adapters/http/server';
import type { Logger } from '../../../src/logger';
import type { DownloadOutcome } from '../../../src/usecases/download-audit-file';

const TOKEN = 'A'.repeat(43);

/** The HTTP server alone, with a download use case that answers `outcome` (or throws it). */
async function serving(outcome: DownloadOutcome | Error) {
  const lines: string[] = [];
  const log: Logger = {
    info: (m, f) => lines.push(`${m} ${JSON.stringify(f ?? {})}`),
    warn: (m, f) => lines.push(`${m} ${JSON.stringify(f ?? {})}`),
    error: (m, f) => lines.push(`${m} ${JSON.stringify(f ?? {})}`),
  };
  const asked: string[] = [];
  const server: Server = createHttpServer({
    processActivity: () => Promise.resolve(),
    checkHealth: () => Promise.resolve(),
    downloadAuditFile: (token) => {
      asked.push(token);
      return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
    },
    log,
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    get: (path: string) => fetch(`${url}${path}`),
    asked,
    lines,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

describe('GET /audit-files/:token (transport only)', () => {
  it('sends the file as an attachment with a safe name, its content type, no-store and nosniff', async () => {
    const s = await serving({
      kind: 'file',
      fileName: 'trails/DSR-2026-0042/20261130T101500Z-1a2b3c4d.csv',
      content: Buffer.from('seq,at\r\n'),
      contentType: 'text/csv; charset=utf-8',
    });
    try {
      const res = await s.get(`/audit-files/${TOKEN}`);
      expect(res.status).toBe(200);
      expect(Object.fromEntries(res.headers)).toMatchObject({
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="DSR-2026-0042-20261130T101500Z-1a2b3c4d.csv"',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      expect(await res.text()).toBe('seq,at\r\n');
      expect(s.asked).toEqual([TOKEN]);
    } finally {
      await s.close();
    }
  });

  it('serves a content type it does not expect from the blob as bytes', async () => {
    const s = await serving({
      kind: 'file',
      fileName: 'x.html',
      content: Buffer.from('<script>'),
      contentType: 'text/html',
    });
    try {
      const res = await s.get(`/audit-files/${TOKEN}`);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
    } finally {
      await s.close();
    }
  });

  it.each([
    ['used', 410, /already used.*ask the bot for a new one/],
    ['expired', 410, /expired.*ask the bot for a new one/],
    ['unknown', 404, /not known/],
    ['gone', 404, /no longer in the audit container/],
  ] as const)('answers a %s link %i with words a person can act on', async (why, status, words) => {
    const s = await serving({ kind: 'refused', why, requestId: 'DSR-2026-0042' });
    try {
      const res = await s.get(`/audit-files/${TOKEN}`);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const text = await res.text();
      expect(text).toMatch(words);
      // Whoever holds a dead link learns nothing of the request it was about.
      expect(text).not.toContain('DSR-2026-0042');
      expect(s.lines.join('\n')).not.toContain(TOKEN);
    } finally {
      await s.close();
    }
  });

  it('answers 503 when storage fails, and logs neither the token nor the path', async () => {
    const s = await serving(new Error(`storage down for ${TOKEN}`));
    try {
      const res = await s.get(`/audit-files/${TOKEN}`);
      expect(res.status).toBe(503);
      expect(s.lines.join('\n')).toContain('A download failed');
      expect(s.lines.join('\n')).not.toContain(TOKEN);
    } finally {
      await s.close();
    }
  });
});

describe('download link helpers', () => {
  it('names an attachment from the last two path segments, with safe characters only', () => {
    expect(attachmentName('trails/DSR-1/a.csv')).toBe('DSR-1-a.csv');
    expect(attachmentName('a"; filename=evil.exe\r\n.csv')).toBe('a___filename_evil.exe__.csv');
    expect(attachmentName('../../..')).toBe('download');
    expect(attachmentName('')).toBe('download');
  });

  it('redacts the token from a path for log lines', () => {
    expect(redactedPath(`/audit-files/${TOKEN}`)).toBe('/audit-files/…');
    expect(redactedPath(`/AUDIT-FILES/${TOKEN}?x=1`)).toBe('/AUDIT-FILES/…?x=1');
    expect(redactedPath('/api/messages')).toBe('/api/messages');
    expect(redactedPath(undefined)).toBeUndefined();
  });

  it('holds one address to a person’s pace: the 31st try in a minute gets 429 without touching the bot', async () => {
    const s = await serving({ kind: 'refused', why: 'unknown' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await s.get(`/audit-files/${TOKEN}`)).status);
      expect(statuses.slice(0, 30).every((x) => x === 404)).toBe(true);
      expect(s.asked).toHaveLength(30);
      const last = await s.get(`/audit-files/${TOKEN}`);
      expect(last.status).toBe(429);
      expect(last.headers.get('retry-after')).toBe('60');
      expect(s.asked).toHaveLength(30);
    } finally {
      await s.close();
    }
  });
});
