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
function refusalText(why: DownloadRefusal, requestId: string | undefined): string {
  const again = requestId
    ? `ask the bot for a new one with "audit ${requestId}"`
    : 'ask the bot for a new one the way you got this one';
  switch (why) {
    case 'used':
      return `This link was already used: each download link works once. To download the file again, ${again}.`;
    case 'expired':
      return `This link has expired: download links work for 15 minutes. ${again.charAt(0).toUpperCase()}${again.slice(1)}.`;
    case 'gone':
      return `The file this link points to is no longer in the audit container. Ask an admin to check the container, or ${again}.`;
    case 'unknown':
      return 'This download link is not known. Check that you copied all of it, or ask the bot for a new one.';
  }
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
  return async (req: Request, res: Response): Promise<void> => {
    const params = req.params as Record<string, unknown> | undefined;
    const token = typeof params?.token === 'string' ? params.token : '';
    try {
      const outcome = await download(token);
      if (outcome.kind === 'refused') {
        log.info('Refused a download link', { why: outcome.why, requestId: outcome.requestId });
        const status = outcome.why === 'used' || outcome.why === 'expired' ? 410 : 404;
        sendText(res, status, refusalText(outcome.why, outcome.requestId));
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
