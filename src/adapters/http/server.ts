import restify, { type Request, type Response } from 'restify';
import { describeError, type Logger } from '../../logger';
import { activityShapeProblem } from './activity-shape';
import { DOWNLOAD_PATH, downloadRoute, redactedPath, type DownloadAuditFile } from './download-route';
import { readJsonBody } from './json-body';

export interface HttpDeps {
  /**
   * Hands a validated activity request to the bot (botbuilder authenticates it and writes the response;
   * `req.body` holds the parsed activity).
   */
  readonly processActivity: (req: Request, res: Response) => Promise<void>;
  /** Resolves when the bot's dependencies answer; rejects with the reason otherwise. */
  readonly checkHealth: () => Promise<void>;
  /** Redeems a one-time download link's token (GET /audit-files/:token); absent: no such route. */
  readonly downloadAuditFile?: DownloadAuditFile;
  readonly log: Logger;
}

const MAX_BODY_BYTES = 1024 * 1024;

function sendError(res: Response, status: number, code: string, message: string): void {
  if (res.headersSent) return;
  res.send(status, { error: { code, message } });
}

/**
 * The HTTP transport: POST /api/messages, GET /healthz and GET /audit-files/:token (one-time download links).
 * Transport only: media type, size and shape checks and error mapping, no bot logic. A malformed body gets a
 * 4xx and the server keeps serving.
 *
 * Bodies are JSON only and read into memory (at most 1 MiB): anything else gets 415 before a byte is read,
 * and nothing from a request is ever written to disk (restify's bodyParser would accept multipart uploads
 * into the temp directory, before any authentication).
 */
export function createHttpServer(deps: HttpDeps): restify.Server {
  const server = restify.createServer({ name: 'dsr-export-bot', handleUncaughtExceptions: false });

  server.post('/api/messages', async (req: Request, res: Response) => {
    const body = await readJsonBody(req, MAX_BODY_BYTES);
    if (!body.ok) {
      deps.log.warn('Refused a request body', { status: body.status, problem: body.message });
      sendError(res, body.status, body.code, body.message);
      return;
    }
    req.body = body.value;
    const problem = activityShapeProblem(req.body);
    if (problem) {
      deps.log.warn('Refused a malformed activity', { problem });
      sendError(res, 400, 'BadRequest', problem);
      return;
    }
    try {
      await deps.processActivity(req, res);
    } catch (err) {
      deps.log.error('Could not process an activity', { error: describeError(err) });
      sendError(res, 400, 'BadRequest', 'The activity could not be processed.');
    }
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    try {
      await deps.checkHealth();
      res.send(200, { status: 'ok' });
    } catch (err) {
      deps.log.warn('Health check failed', { error: describeError(err) });
      res.send(503, { status: 'unavailable', reason: 'storage does not answer' });
    }
  });

  const download = deps.downloadAuditFile;
  if (download) server.get(`${DOWNLOAD_PATH}/:token`, downloadRoute(download, deps.log));

  server.on(
    'restifyError',
    (req: Request, res: Response, err: Error & { statusCode?: number }, callback: () => void) => {
      // Clients probe with HEAD and stray paths (the Agents Playground does every few seconds): no warning.
      if (err.statusCode !== 404 && err.statusCode !== 405) {
        deps.log.warn('HTTP error', {
          method: req.method,
          // A download link's path holds its token: never logged.
          path: redactedPath(req.path?.()),
          status: err.statusCode,
          error: err.name,
        });
      }
      callback();
    },
  );
  return server;
}
