/**
 * Failures a test injects into a fake, by operation: a storage outage (every call fails until cleared), one
 * failed write at the worst moment (`times: 1` with a `when` on the arguments). A fake checks its faults
 * before it acts, so a failed call changes nothing, as a refused request to Azure Storage changes nothing.
 */
export class Faults<Ops extends Record<string, readonly unknown[]>> {
  private readonly armed: {
    op: keyof Ops;
    error: () => Error;
    when: ((args: readonly unknown[]) => boolean) | undefined;
    left: number;
  }[] = [];

  /**
   * Makes calls of `op` (those matching `when`) reject with `error`, `times` times (every time by default).
   * Returns a function that removes this fault.
   */
  inject<K extends keyof Ops>(
    op: K,
    error: Error | (() => Error),
    options: { readonly times?: number; readonly when?: (...args: Ops[K]) => boolean } = {},
  ): () => void {
    const when = options.when;
    const fault = {
      op,
      error: typeof error === 'function' ? error : () => error,
      when: when ? (args: readonly unknown[]) => when(...(args as Ops[K])) : undefined,
      left: options.times ?? Number.POSITIVE_INFINITY,
    };
    this.armed.push(fault);
    return () => {
      const i = this.armed.indexOf(fault);
      if (i >= 0) this.armed.splice(i, 1);
    };
  }

  /** Removes every fault (of `op`, when given). */
  clear(op?: keyof Ops): void {
    for (let i = this.armed.length - 1; i >= 0; i--) {
      if (op === undefined || this.armed[i]!.op === op) this.armed.splice(i, 1);
    }
  }

  /** Called by the fake before it acts: rejects when a fault for this call is armed. Always yields once. */
  async check<K extends keyof Ops>(op: K, ...args: Ops[K]): Promise<void> {
    await Promise.resolve();
    const fault = this.armed.find((f) => f.op === op && f.left > 0 && (!f.when || f.when(args)));
    if (!fault) return;
    fault.left -= 1;
    if (fault.left <= 0) this.armed.splice(this.armed.indexOf(fault), 1);
    throw fault.error();
  }
}

/** What a storage outage looks like to the caller. */
export const unavailable = (what: string): Error => new Error(`${what} unavailable (503 ServerBusy)`);
