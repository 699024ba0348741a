import type { IncomingHttpHeaders } from 'node:http';
import { graphError, HttpError, type HttpAnswer } from './http-answer';

/** A request as the rooms see it, its body already read. */
export interface SandboxRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  /** The body as text ('' when there is none). */
  readonly body: string;
}

/** A request to Graph: its API version, and its body read as JSON on demand. */
export interface GraphRequest extends SandboxRequest {
  /** `v1.0` or `beta`, from the path. */
  readonly version: string;
  /** The body as JSON (`{}` when empty); a 400 BadRequest in Graph's shape when it is not JSON. */
  json(): unknown;
}

/**
 * One endpoint of a room: a method, a path pattern with at most one group, and what answers it. `answer`
 * returns the successful answer and throws an `HttpError` to refuse; `segment` is the pattern's group as
 * written in the URL (not decoded), or '' when it has none.
 */
export interface Route<Request extends SandboxRequest> {
  readonly method: 'GET' | 'POST';
  readonly path: RegExp;
  readonly answer: (request: Request, segment: string) => HttpAnswer | Promise<HttpAnswer>;
}

/** The route tables of the rooms, each tried in order. */
export interface Rooms {
  /** Entra ID, matched against the whole path (`/{tenant}/…`); tried first. */
  readonly entraId: readonly Route<SandboxRequest>[];
  /** Graph, matched against the path after `/v1.0` or `/beta`. */
  readonly graph: readonly Route<GraphRequest>[];
}

const GRAPH_PATH = /^\/(v1\.0|beta)(\/.*)$/;

/**
 * The sandbox's router: finds the room's route for a request and always comes back with an answer. A
 * refusal thrown by a room is its answer; any other exception is a 500 InternalServerError in Graph's shape.
 * Under `/v1.0` and `/beta`, a system query option given twice is refused before any route, an unknown path
 * is Graph's 400 BadRequest; anywhere else, an unknown path is a 404.
 */
export function createRouter(
  rooms: Rooms,
  now: () => Date,
): (request: SandboxRequest) => Promise<HttpAnswer> {
  async function dispatch(request: SandboxRequest): Promise<HttpAnswer> {
    const { method } = request;
    const path = request.url.pathname;
    const entra = find(rooms.entraId, method, path);
    if (entra) return entra.route.answer(request, entra.segment);
    const graph = GRAPH_PATH.exec(path);
    if (graph) {
      const version = graph[1]!;
      const rest = graph[2]!;
      refuseRepeatedOptions(request.url.searchParams, now);
      const found = find(rooms.graph, method, rest);
      if (found) {
        const json = () => parseJson(request.body, now);
        return found.route.answer({ ...request, version, json }, found.segment);
      }
      throw graphError(
        now(),
        400,
        'BadRequest',
        `Resource not found for the segment '${rest.split('/')[1] ?? ''}'.`,
      );
    }
    throw new HttpError({
      status: 404,
      body: { error: { code: 'NotFound', message: `No sandbox endpoint at ${method} ${path}` } },
      headers: {},
    });
  }

  return async (request) => {
    try {
      return await dispatch(request);
    } catch (err) {
      if (err instanceof HttpError) return err.answer;
      return graphError(now(), 500, 'InternalServerError', err instanceof Error ? err.message : String(err))
        .answer;
    }
  };
}

function find<Request extends SandboxRequest>(
  routes: readonly Route<Request>[],
  method: string,
  path: string,
): { route: Route<Request>; segment: string } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.path.exec(path);
    if (m) return { route, segment: m[1] ?? '' };
  }
  return undefined;
}

/** Graph (OData) refuses a system query option given more than once. */
function refuseRepeatedOptions(q: URLSearchParams, now: () => Date): void {
  const seen = new Set<string>();
  for (const key of q.keys()) {
    const option = key.toLowerCase();
    if (option.startsWith('$') && seen.has(option)) {
      throw graphError(
        now(),
        400,
        'BadRequest',
        `Query option '${key}' was specified more than once, but it must be specified at most once.`,
      );
    }
    seen.add(option);
  }
}

function parseJson(body: string, now: () => Date): unknown {
  try {
    return body === '' ? {} : JSON.parse(body);
  } catch {
    throw graphError(
      now(),
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
}
