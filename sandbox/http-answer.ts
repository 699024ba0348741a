import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** One answer of the sandbox: a status, a JSON body (`undefined` for none) and headers. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

/** 200 with a JSON body: what a handler returns when the call succeeds. */
export function ok(body: unknown, headers: Record<string, string> = {}): HttpAnswer {
  return { status: 200, body, headers };
}

/** 202 with no body: the request was taken, the headers say where to follow it. */
export function accepted(headers: Record<string, string>): HttpAnswer {
  return { status: 202, body: undefined, headers };
}

/**
 * A refusal: thrown by a handler to answer at once with an error status (4xx, 5xx). A successful answer is
 * returned (`ok`, `accepted`), never thrown, so this refuses to carry one.
 */
export class HttpError extends Error {
  constructor(readonly answer: HttpAnswer) {
    super(`HTTP ${answer.status}`);
    if (answer.status < 400) {
      throw new RangeError(
        `HttpError with status ${answer.status}: return a successful answer, do not throw it`,
      );
    }
  }
}

/** Graph's date format in `innerError.date`: UTC, seconds, no zone letter. */
export function isoNoMillis(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, '');
}

/** Graph's error body: `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`. */
export function graphErrorBody(now: Date, code: string, message: string): unknown {
  return {
    error: {
      code,
      message,
      innerError: {
        date: isoNoMillis(now),
        'request-id': randomUUID(),
        'client-request-id': randomUUID(),
      },
    },
  };
}

/** A refusal in Graph's shape, to throw. */
export function graphError(
  now: Date,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): HttpError {
  return new HttpError({ status, body: graphErrorBody(now, code, message), headers });
}

/**
 * Writes an answer as Graph and Entra ID do: `request-id` and `client-request-id` (the caller's, when it sent
 * one), then the answer's own headers, and the body as JSON with its length (or an empty body).
 */
export function writeAnswer(
  res: ServerResponse,
  answer: HttpAnswer,
  clientRequestId: string | string[] | undefined,
): void {
  const headers: Record<string, string> = {
    'request-id': randomUUID(),
    'client-request-id': String(clientRequestId ?? randomUUID()),
    ...answer.headers,
  };
  if (answer.body === undefined) {
    // No chaining: restify (when loaded in the same process) replaces writeHead with one that returns nothing.
    res.writeHead(answer.status, { ...headers, 'Content-Length': '0' });
    res.end();
  } else {
    const text = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...headers,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
    });
    res.end(text);
  }
}
