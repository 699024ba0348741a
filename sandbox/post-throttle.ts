/**
 * The export service's throttle on submissions (PcfProxyService.ThrottleCaller): a POST is counted against the
 * tenant, then against the tenant and subject, each with its own limit per period; the first limit exceeded
 * answers 429 TooManyRequests. The sandbox keeps a sliding window of admitted POSTs on its injected clock.
 */

export interface PostThrottleOptions {
  /** POSTs admitted per tenant in a window; unlimited when absent. */
  readonly perTenant?: number;
  /** POSTs admitted per tenant and subject (the user being exported) in a window; unlimited when absent. */
  readonly perSubject?: number;
  readonly windowMs: number;
}

export interface Throttled {
  /** Which limit was hit: the service's messages say Code:AA (tenant) or Code:AB (subject). */
  readonly scope: 'tenant' | 'subject';
  /** Seconds until the oldest counted POST leaves the window. */
  readonly retryAfterSeconds: number;
}

export class PostThrottle {
  private readonly admitted = new Map<string, number[]>();

  constructor(
    private readonly options: PostThrottleOptions,
    private readonly now: () => Date,
  ) {}

  /** Counts a POST, or answers which limit refuses it and for how long. */
  admit(tenantId: string, subjectId: string): Throttled | undefined {
    const t = this.now().getTime();
    const tenant = this.check(`tenant:${tenantId}`, this.options.perTenant, t);
    if (tenant !== undefined) return { scope: 'tenant', retryAfterSeconds: tenant };
    this.count(`tenant:${tenantId}`, this.options.perTenant, t);
    const subject = this.check(`subject:${tenantId}_${subjectId}`, this.options.perSubject, t);
    if (subject !== undefined) return { scope: 'subject', retryAfterSeconds: subject };
    this.count(`subject:${tenantId}_${subjectId}`, this.options.perSubject, t);
    return undefined;
  }

  /** Seconds to wait when `key` is at its limit, else undefined. */
  private check(key: string, limit: number | undefined, t: number): number | undefined {
    if (limit === undefined) return undefined;
    const times = (this.admitted.get(key) ?? []).filter((at) => at > t - this.options.windowMs);
    this.admitted.set(key, times);
    if (times.length < limit) return undefined;
    return Math.max(1, Math.ceil((times[0]! + this.options.windowMs - t) / 1000));
  }

  private count(key: string, limit: number | undefined, t: number): void {
    if (limit === undefined) return;
    const times = this.admitted.get(key) ?? [];
    times.push(t);
    this.admitted.set(key, times);
  }
}
