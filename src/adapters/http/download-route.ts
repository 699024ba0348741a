import type { Request, Response } from 'restify';
import { describeError, type Logger } from '../../logger';
import type { DownloadOutcome, DownloadRefusal } from '../../usecases/download-audit-file';

/** A request path with a download token replaced, for log lines (a token is a credential). */
export function redactedPath(path: string | undefined): string | undefined {
  return path?.replace(/(\/audit-files\/)[^/?#]*/i, '$1…');
}

/** Redeems a download token: the file once, or why not. */
export type DownloadAuditFile = (token: string) => Promise<DownloadOutcome>;

/** The path of a one-time download link; its last segment is the token. */
export const DOWNLOAD_PATH = '/audit-files';

/** Headers every answer of the route carries: never cached, never sniffed, never sent on as a referrer. */
const ALWAYS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; sandbox",
} as const;

/** Content types a file is served with; anything else in the blob's properties is served as bytes. */
const SERVED_TYPES = new Set(['text/csv', 'application/x-ndjson', 'application/json', 'text/plain']);

function servedType(contentType: string): string {
  const base = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return SERVED_TYPES.has(base) ? `${base}; charset=utf-8` : 'application/octet-stream';
}

/**
 * The name the browser saves the file as: the file's last two path segments (`DSR-2026-0042-20261130T…csv`),
 * letters, digits, dot, hyphen and underscore only (a header cannot be split or quoted out of).
 */
export function attachmentName(fileName: string): string {
  const name = fileName
    .split('/')
    .filter((s) => s !== '' && s !== '.' && s !== '..')
    .slice(-2)
    .join('-')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[.-]+/, '')
    .slice(-120);
  return name === '' ? 'download' : name;
}

/** What a person reads when the link gives nothing, and what to do about it. */
function refusalText(why: DownloadRefusal): string {
  // Nothing about the file or its request: whoever holds a dead link may not be who it was issued to.
  const again =
    'ask the bot for a new one the way you got this one (for a trail: "audit" and the request id)';
  switch (why) {
    case 'used':
      return `This link was already used: each download link works once. To download the file again, ${again}.`;
    case 'expired':
      return `This link has expired: download links work for 15 minutes. To download the file, ${again}.`;
    case 'gone':
      return `The file this link points to is no longer in the audit container. Ask an admin to check the container, or ${again}.`;
    case 'unknown':
      return 'This download link is not known. Check that you copied all of it, or ask the bot for a new one.';
  }
}

/** Downloads a caller (by address) may try per minute: enough for a person, too few to hammer storage. */
const PER_MINUTE = 30;

/**
 * Requests per address within a minute from that address's first one (then a new minute starts); addresses
 * whose minute is over are forgotten once many are remembered.
 */
function rateLimiter(now: () => number = Date.now) {
  const windows = new Map<string, { start: number; n: number }>();
  return (address: string): boolean => {
    const t = now();
    if (windows.size > 10_000) for (const [a, w] of windows) if (t - w.start >= 60_000) windows.delete(a);
    const w = windows.get(address);
    if (!w || t - w.start >= 60_000) {
      windows.set(address, { start: t, n: 1 });
      return true;
    }
    w.n++;
    return w.n <= PER_MINUTE;
  };
}

function sendText(res: Response, status: number, text: string): void {
  const body = Buffer.from(`${text}\n`, 'utf8');
  res.sendRaw(status, body, {
    ...ALWAYS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(body.length),
  });
}

/**
 * GET /audit-files/:token: transport only. The token goes to `download` (which checks its shape before any
 * storage is touched); the file comes back as an attachment with its (checked) content type, or a short text
 * a person can act on: 410 Gone for a used or expired link, 404 for an unknown link or a missing file. The
 * token is never logged: log lines name the request id at most.
 */
export function downloadRoute(download: DownloadAuditFile, log: Logger) {
  const allowed = rateLimiter();
  return async (req: Request, res: Response): Promise<void> => {
    const params = req.params as Record<string, unknown> | undefined;
    const token = typeof params?.token === 'string' ? params.token : '';
    // Every try costs storage calls (and a refusal an audit record): a caller is held to a person's pace.
    if (!allowed(req.socket?.remoteAddress ?? 'unknown')) {
      res.header('Retry-After', '60');
      sendText(res, 429, 'Too many download attempts from this address: wait a minute and try again.');
      return;
    }
    try {
      const outcome = await download(token);
      if (outcome.kind === 'refused') {
        log.info('Refused a download link', { why: outcome.why, requestId: outcome.requestId });
        const status = outcome.why === 'used' || outcome.why === 'expired' ? 410 : 404;
        sendText(res, status, refusalText(outcome.why));
        return;
      }
      res.sendRaw(200, outcome.content, {
        ...ALWAYS,
        'Content-Type': servedType(outcome.contentType),
        'Content-Length': String(outcome.content.length),
        'Content-Disposition': `attachment; filename="${attachmentName(outcome.fileName)}"`,
      });
    } catch (err) {
      // The token must not reach the log, even inside an error's text.
      const error = Object.fromEntries(
        Object.entries(describeError(err)).map(([k, v]) => [
          k,
          typeof v === 'string' && token !== '' ? v.split(token).join('…') : v,
        ]),
      );
      log.error('A download failed', { error });
      if (!res.headersSent)
        sendText(
          res,
          503,
          'The file could not be served just now. Try the link again in a minute; if it says the link was used, ask the bot for a new one.',
        );
    }
  };
}
