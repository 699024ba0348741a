/**
 * The bench's figures: each with its target (when an issue set one) and its same-run baseline, printed as
 * ratios. A figure that misses its target is reported, never a failure: the bench fails only when a step breaks.
 */

export interface Target {
  /** `atMost`: lower is better (latency, memory); `atLeast`: higher is better (throughput). */
  readonly kind: 'atMost' | 'atLeast';
  readonly value: number;
}

export interface Figure {
  /** What was measured, e.g. "approve invoke p95, Graph slowed to 2 s/call". */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: Target;
  /** The same-run measurement it is compared with, e.g. a bare botbuilder echo or Graph answering at once. */
  readonly baseline?: { readonly name: string; readonly value: number; readonly unit: string };
  /** Printed below the line (counts, context). */
  readonly note?: string;
}

/** How far a figure is from its target: ≥ 1 meets it (for either direction), < 1 misses it. */
export function targetRatio(f: Figure): number | undefined {
  if (!f.target || !Number.isFinite(f.value)) return undefined;
  if (f.target.kind === 'atLeast') return f.value / f.target.value;
  return f.value === 0 ? Number.POSITIVE_INFINITY : f.target.value / f.value;
}

const num = (x: number) =>
  !Number.isFinite(x)
    ? String(x)
    : Math.abs(x) >= 100
      ? Math.round(x).toLocaleString('en-US')
      : Number(x.toFixed(2)).toString();

/** One figure in a line: value, target and how it stands, baseline and the ratio to it. */
export function figureLine(f: Figure): string {
  const parts = [`${f.name}: ${num(f.value)} ${f.unit}`.trimEnd()];
  const ratio = targetRatio(f);
  if (f.target && ratio !== undefined)
    parts.push(
      `target ${f.target.kind === 'atMost' ? '≤' : '≥'} ${num(f.target.value)} ${f.unit}`.trimEnd() +
        ` → ${num(ratio)} of target (${ratio >= 1 ? 'meets' : 'MISSES'})`,
    );
  if (f.baseline)
    parts.push(
      `baseline ${f.baseline.name} ${num(f.baseline.value)} ${f.baseline.unit}`.trimEnd() +
        ` (× ${num(f.baseline.value === 0 ? Number.NaN : f.value / f.baseline.value)})`,
    );
  return `  ${parts.join('   ')}${f.note ? `\n    ${f.note}` : ''}`;
}

/** The summary at the end: every figure with a target, met or missed. */
export function summaryLines(figures: readonly { step: string; figure: Figure }[]): string[] {
  const targeted = figures.filter(({ figure }) => figure.target);
  if (targeted.length === 0) return [];
  return [
    '',
    'Targets:',
    ...targeted.map(({ step, figure }) => {
      const r = targetRatio(figure);
      return `  ${r !== undefined && r >= 1 ? 'meets ' : 'MISSES'}  ${num(r ?? Number.NaN).padStart(6)} of target  [${step}] ${figure.name}`;
    }),
  ];
}
