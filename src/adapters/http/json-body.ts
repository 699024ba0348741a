import type { IncomingMessage } from 'node:http';

/** A request body as the transport answers it: the parsed JSON, or the HTTP refusal to send. */
export type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly status: 400 | 413 | 415;
      readonly code: 'BadRequest' | 'PayloadTooLarge' | 'UnsupportedMediaType';
      readonly message: string;
    };

const ACCEPTED = 'POST /api/messages accepts application/json (UTF-8) only';

/**
 * Why a request with these headers is not an uncompressed UTF-8 JSON body, or undefined. Only
 * `application/json` is accepted, with at most a UTF-8 `charset` parameter (all case-insensitive); no other
 * media type (multipart, urlencoded, text, `+json` types), no missing Content-Type, no Content-Encoding.
 * Pure: decided from the headers alone, before any byte of the body is read.
 */
export function jsonMediaTypeProblem(
  contentType: string | undefined,
  contentEncoding: string | undefined,
): string | undefined {
  if (contentType === undefined || contentType.trim() === '') {
    return `${ACCEPTED}; the request has no Content-Type.`;
  }
  const [mediaType = '', ...parameters] = contentType.split(';').map((s) => s.trim());
  if (mediaType.toLowerCase() !== 'application/json') {
    return `${ACCEPTED}; send the activity as JSON.`;
  }
  for (const parameter of parameters) {
    if (parameter === '') continue;
    const eq = parameter.indexOf('=');
    const name = parameter
      .slice(0, eq < 0 ? undefined : eq)
      .trim()
      .toLowerCase();
    const value =
      eq < 0
        ? ''
        : parameter
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1')
            .toLowerCase();
    if (name !== 'charset' || (value !== 'utf-8' && value !== 'utf8')) {
      return `${ACCEPTED}; the only parameter allowed is charset=utf-8.`;
    }
  }
  if (contentEncoding !== undefined && contentEncoding.trim().toLowerCase() !== 'identity') {
    return `${ACCEPTED}, uncompressed; Content-Encoding is not supported.`;
  }
  return undefined;
}

/**
 * Checks the media type, then reads the body into memory, at most `limit` bytes, and parses it as JSON.
 * Nothing is ever written to disk, and a body that is refused is never buffered: a wrong media type is
 * refused before reading, a declared Content-Length over the limit before reading, and a chunked body as
 * soon as it passes the limit (the rest is drained and dropped).
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<JsonBody> {
  const mediaProblem = jsonMediaTypeProblem(req.headers['content-type'], req.headers['content-encoding']);
  if (mediaProblem !== undefined) {
    return { ok: false, status: 415, code: 'UnsupportedMediaType', message: mediaProblem };
  }
  const tooLarge = {
    ok: false,
    status: 413,
    code: 'PayloadTooLarge',
    message: `The request body is larger than ${limit} bytes.`,
  } as const;
  if (Number(req.headers['content-length'] ?? 0) > limit) return tooLarge;

  const bytes = await readAtMost(req, limit);
  if (bytes === 'tooLarge') return tooLarge;
  if (bytes === 'aborted') {
    return { ok: false, status: 400, code: 'BadRequest', message: 'The request body did not arrive whole.' };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return {
      ok: false,
      status: 400,
      code: 'BadRequest',
      message: 'The request body is not valid UTF-8 JSON.',
    };
  }
}

function readAtMost(req: IncomingMessage, limit: number): Promise<Buffer | 'tooLarge' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: Buffer | 'tooLarge' | 'aborted') => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        // Keep the stream flowing (without a listener the rest is read and dropped) so the answer gets out.
        settle('tooLarge');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => settle(Buffer.concat(chunks)));
    req.once('error', () => settle('aborted'));
    req.once('close', () => settle('aborted'));
  });
}
