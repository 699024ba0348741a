import { figureLine, summaryLines, type Figure } from './figures';
import { Resources } from './resources';
import { SHORT, STEPS } from './steps';

/**
 * npm run bench: every figure the issues set a target for, each printed with its target and its same-run
 * baseline as ratios, step by step. `BENCH_ONLY=approve,records` runs the named steps; `BENCH_SHORT=1` runs
 * each with small counts (what CI runs: it fails on a broken step, never on a slow one). Whatever a step
 * starts (emulators, servers) is stopped when the run ends, however it ends.
 */

async function main(): Promise<number> {
  const only = (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only.filter((n) => !STEPS.some((s) => s.name === n));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: no step named ${unknown.join(', ')}; the steps are ${STEPS.map((s) => s.name).join(', ')}\n`,
    );
    return 2;
  }
  const steps = only.length > 0 ? STEPS.filter((s) => only.includes(s.name)) : STEPS;
  process.stdout.write(
    `npm run bench${SHORT ? ' (short mode: small counts, figures only indicative)' : ''}\n`,
  );
  const resources = new Resources();
  const figures: { step: string; figure: Figure }[] = [];
  try {
    for (const step of steps) {
      const t0 = Date.now();
      process.stdout.write(`\n[${step.name}] ${step.title}\n`);
      for (const figure of await step.run(resources)) {
        figures.push({ step: step.name, figure });
        process.stdout.write(`${figureLine(figure)}\n`);
      }
      process.stdout.write(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    }
  } catch (err) {
    process.stderr.write(
      `Benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return 1;
  } finally {
    await resources.stopAll();
  }
  for (const line of summaryLines(figures)) process.stdout.write(`${line}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`Benchmark failed: ${String(err)}\n`);
    process.exit(1);
  },
);
