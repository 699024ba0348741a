import { describeError, type Logger } from '../logger';

export interface PeriodicDeps {
  /** What to run: once at start, then every `everyMs`. A failure is logged and the next round comes anyway. */
  readonly run: () => Promise<void>;
  readonly everyMs: number;
  /** Waits between rounds; injected so that no timer lives in worker code. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly name: string;
  readonly log: Logger;
}

export interface Periodic {
  start(): void;
  /** Stops after the round in hand (if any). */
  stop(): Promise<void>;
}

/** A task that runs at start and then at a fixed interval, until stopped (the outbox sweep). */
export function createPeriodic(deps: PeriodicDeps): Periodic {
  let loop: Promise<void> | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;

  async function rounds(): Promise<void> {
    while (!stopping) {
      try {
        await deps.run();
      } catch (err) {
        deps.log.warn(`${deps.name} failed; trying again later`, { error: describeError(err) });
      }
      if (stopping) break;
      await Promise.race([deps.sleep(deps.everyMs), new Promise<void>((resolve) => (wake = resolve))]);
    }
  }

  return {
    start() {
      if (loop) return;
      stopping = false;
      loop = rounds();
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
      loop = undefined;
    },
  };
}
