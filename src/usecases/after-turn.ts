/**
 * Work a turn starts and does not wait for: handing effects already stored in a record's outbox over to the
 * queue, after the invoke is answered. Nothing depends on it but speed: should it fail, the effects wait in
 * the outbox for the sweep. It is tracked, so that a drain of the worker (tests, benches) and a shutdown wait
 * for what is under way.
 */
export class AfterTurn {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Starts `work` now; the caller goes on without waiting. */
  readonly run = (work: () => Promise<unknown>): void => {
    const done: Promise<void> = work().then(
      () => undefined,
      (err: unknown) => this.onError(err),
    );
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  };

  /** Resolves once everything started so far (and anything it started meanwhile) has ended. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
