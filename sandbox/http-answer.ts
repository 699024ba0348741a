import { randomUUID } from 'node:crypto';

/**
 * One answer of the sandbox: a status, a JSON body (or none) and headers. Thrown by a handler to answer at
 * once, returned by it when the answer is the result.
 */
export class HttpAnswer extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** Graph's date format in `innerError.date`: UTC, seconds, no zone letter. */
export function isoNoMillis(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, '');
}

/** An error in Graph's shape: `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`. */
export function graphError(
  now: Date,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): HttpAnswer {
  return new HttpAnswer(
    status,
    {
      error: {
        code,
        message,
        innerError: {
          date: isoNoMillis(now),
          'request-id': randomUUID(),
          'client-request-id': randomUUID(),
        },
      },
    },
    headers,
  );
}
