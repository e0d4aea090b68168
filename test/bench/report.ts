/**
 * One way for every benchmark to report a figure: a printed line and the same
 * object appended to bench-results.json at the repository root (git-ignored).
 * `npm run bench` (run.ts) starts the file afresh; a bench run on its own appends.
 *
 * A figure compares a value with a baseline (ratio = value / baseline) and a
 * target; `pass` is null where the figure is informational.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RESULTS_FILE = join(__dirname, '..', '..', 'bench-results.json');

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  /** e.g. ">= 0.5" (applies to the ratio) or "<= 1.05" (applies to the value); null when informational. */
  target: string | null;
  pass: boolean | null;
}

export interface FigureInput {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  /** What the target applies to: the ratio to the baseline (default when there is a baseline) or the value itself. */
  targetOn?: 'ratio' | 'value';
  atLeast?: number;
  atMost?: number;
}

function round(n: number): number {
  return Math.abs(n) >= 100 ? Math.round(n) : Number(n.toPrecision(4));
}

/** Builds the figure: ratio, target text and pass/miss. */
export function figure(input: FigureInput): BenchFigure {
  const baseline = input.baseline ?? null;
  const ratio = baseline ? input.value / baseline : null;
  const on = input.targetOn ?? (ratio === null ? 'value' : 'ratio');
  const measured = on === 'ratio' ? ratio : input.value;
  let target: string | null = null;
  let pass: boolean | null = null;
  if (input.atLeast !== undefined && measured !== null) {
    target = `${on === 'ratio' ? 'ratio ' : ''}>= ${input.atLeast}`;
    pass = measured >= input.atLeast;
  } else if (input.atMost !== undefined && measured !== null) {
    target = `${on === 'ratio' ? 'ratio ' : ''}<= ${input.atMost}`;
    pass = measured <= input.atMost;
  }
  return {
    name: input.name,
    value: round(input.value),
    unit: input.unit,
    baseline: baseline === null ? null : round(baseline),
    ratio: ratio === null ? null : Number(ratio.toFixed(3)),
    target,
    pass,
  };
}

/** One line: name, value, unit, baseline, ratio, target, PASS / MISS (or "info"). */
export function formatFigure(f: BenchFigure): string {
  const verdict = f.pass === null ? 'info' : f.pass ? 'PASS' : 'MISS';
  return [
    f.name.padEnd(28),
    `${f.value} ${f.unit}`.padEnd(16),
    `baseline ${f.baseline === null ? '-' : `${f.baseline} ${f.unit}`}`.padEnd(26),
    `ratio ${f.ratio ?? '-'}`.padEnd(13),
    `target ${f.target ?? '-'}`.padEnd(20),
    verdict,
  ].join(' ');
}

function readResults(): BenchFigure[] {
  if (!existsSync(RESULTS_FILE)) return [];
  try {
    const parsed: unknown = JSON.parse(readFileSync(RESULTS_FILE, 'utf8'));
    return Array.isArray(parsed) ? (parsed as BenchFigure[]) : [];
  } catch {
    return [];
  }
}

/** Prints the figure and appends it to bench-results.json. */
export function report(input: FigureInput): BenchFigure {
  const f = figure(input);
  process.stdout.write(`${formatFigure(f)}\n`);
  writeFileSync(RESULTS_FILE, `${JSON.stringify([...readResults(), f], null, 2)}\n`);
  return f;
}

/** Empties bench-results.json (start of a full `npm run bench`). */
export function resetResults(): void {
  writeFileSync(RESULTS_FILE, '[]\n');
}

/** Median and spread (half the min–max range, as a share of the median) of samples. */
export function medianAndSpread(samples: number[]): { median: number; spread: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  const min = s[0] ?? NaN;
  const max = s[s.length - 1] ?? NaN;
  return { median, spread: (max - min) / 2 / median, min, max };
}
