import { graphErrorBody, type HttpAnswer } from './http-answer';

export interface FaultRule {
  readonly method?: string;
  /** Matched against the path (no query string): a RegExp, or a substring. */
  readonly path: RegExp | string;
  /** How many requests it applies to; unlimited when absent. */
  times?: number;
  /** Answer with this Graph error instead of the real answer. */
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterSeconds?: number;
  /** Wait this long before answering (or before the fault). */
  readonly delayMs?: number;
  /** Destroy the connection without answering: before handling, or after the request took effect. */
  readonly drop?: 'before' | 'after';
}

/** The connection is to be destroyed without an answer. */
export const DROPPED = 'dropped';

/**
 * The faults room: rules injected by tests, each applying to matching requests (the first rule with uses
 * left wins) to slow the answer down, drop the connection, or answer with a Graph error in its place.
 */
export class Faults {
  private readonly rules: FaultRule[] = [];

  constructor(private readonly now: () => Date) {}

  /** Adds a copy of the rule (its `times` counts down there); returns a function that removes it. */
  inject(rule: FaultRule): () => void {
    const copy = { ...rule };
    this.rules.push(copy);
    return () => {
      const i = this.rules.indexOf(copy);
      if (i >= 0) this.rules.splice(i, 1);
    };
  }

  clear(): void {
    this.rules.length = 0;
  }

  /**
   * Runs one request through the faults: waits the rule's delay, then drops the connection before handling,
   * answers the injected error without handling, or handles it (`answer`) and maybe drops after that.
   */
  async apply(
    method: string,
    path: string,
    answer: () => Promise<HttpAnswer>,
  ): Promise<HttpAnswer | typeof DROPPED> {
    const fault = this.take(method, path);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.drop === 'before') return DROPPED;
    const result =
      fault?.status !== undefined ? injectedError(fault, fault.status, this.now()) : await answer();
    if (fault?.drop === 'after') return DROPPED;
    return result;
  }

  /** The first rule for this request with uses left, counting this use. */
  private take(method: string, path: string): FaultRule | undefined {
    const rule = this.rules.find(
      (f) =>
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path)) &&
        (f.times === undefined || f.times > 0),
    );
    if (rule && rule.times !== undefined) rule.times -= 1;
    return rule;
  }
}

/** The injected status in Graph's error shape, with the code and message Graph uses for it. */
function injectedError(fault: FaultRule, status: number, now: Date): HttpAnswer {
  const code =
    fault.code ?? (status === 429 ? 'TooManyRequests' : status >= 500 ? 'ServiceUnavailable' : 'BadRequest');
  const message =
    status === 429
      ? 'Too many requests.'
      : status >= 500
        ? 'The service is temporarily unavailable.'
        : 'Injected fault.';
  return {
    status,
    body: graphErrorBody(now, code, message),
    headers: fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {},
  };
}
