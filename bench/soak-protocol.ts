/**
 * What the soak (bench/soak.ts) and its bot process (bench/soak-bot.ts) say to each other over IPC, and the
 * memory trend the soak draws from the bot's readings.
 */

/** What the soak asks the bot process; each answer carries the command's id. */
export type SoakCommand =
  { readonly id: number; readonly type: 'sample' } | { readonly id: number; readonly type: 'close' };

/** The bot process's memory after a full garbage collection, and what its event loop holds. */
export interface SoakSample {
  readonly rssMB: number;
  readonly heapUsedMB: number;
  /** `process.getActiveResourcesInfo().length`: sockets, timers and other handles keeping the loop alive. */
  readonly handles: number;
  readonly gc: boolean;
  readonly cpuSeconds: number; // user + system so far
  readonly warnings: number;
  readonly errors: number;
  readonly lastProblems: readonly string[]; // the last few warnings and errors (message and code only)
}

/** The bot process's messages: started (with its URL), or an answer to a command. */
export type SoakMessage =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'done'; readonly id: number; readonly sample?: SoakSample }
  | { readonly type: 'failed'; readonly id: number; readonly error: string };

/** The bot's memory in one simulated hour: the least of its readings (each after a full collection). */
export type SoakPoint = { readonly hour: number } & Pick<SoakSample, 'rssMB' | 'heapUsedMB' | 'handles'>;

/** The least-squares slopes per simulated hour of the bot's RSS, heap and handles. */
export type MemorySlopes = Readonly<
  Record<'slopeMBPerHour' | 'heapSlopeMBPerHour' | 'handlesSlopePerHour', number>
>;

/** Least-squares slope of y over x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const [mx, my] = [mean(xs), mean(ys)];
  const num = xs.reduce((n, x, i) => n + (x - mx) * (ys[i]! - my), 0);
  const den = xs.reduce((n, x) => n + (x - mx) ** 2, 0);
  return den === 0 ? NaN : num / den;
}

/**
 * Hourly points from the readings (each hour's least: what the bot holds, not what it was busy with at the
 * instant), and their least-squares slopes per simulated hour after the warm-up.
 */
export function memoryTrend(
  readings: readonly (SoakSample & { readonly hour: number })[],
  hours: number,
  warmupHours: number,
): { samples: SoakPoint[]; slopes: MemorySlopes } {
  const samples = Array.from({ length: hours }, (_, h) => {
    const least = (f: (r: SoakSample) => number) =>
      Math.min(...readings.filter((r) => r.hour === h + 1).map(f));
    return {
      hour: h + 1,
      rssMB: least((r) => r.rssMB),
      heapUsedMB: least((r) => r.heapUsedMB),
      handles: least((r) => r.handles),
    };
  });
  const kept = samples.filter((p) => p.hour > warmupHours);
  if (kept.length < 2) throw new Error(`Too few samples after a ${warmupHours} h warm-up: run longer`);
  const along = (f: (p: SoakPoint) => number) =>
    slope(
      kept.map((p) => p.hour),
      kept.map(f),
    );
  const [rss, heap, handles] = [along((p) => p.rssMB), along((p) => p.heapUsedMB), along((p) => p.handles)];
  return { samples, slopes: { slopeMBPerHour: rss, heapSlopeMBPerHour: heap, handlesSlopePerHour: handles } };
}
