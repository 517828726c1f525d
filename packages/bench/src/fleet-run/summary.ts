/** Summaries of the paired rounds of `fleet-run`: medians and ranges, overheads, goals, and the table. */
import { quantile, sortSamples } from '../stats.js';

/** Median and range of one figure over the rounds. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/** Median (the mean of the middle two for an even count); throws on no samples. */
export function median(xs: readonly number[]): number {
  return quantile(sortSamples(xs), 0.5);
}

/** Median, min and max of `xs`. */
export function summarize(xs: readonly number[]): Summary {
  const s = sortSamples(xs);
  return { median: quantile(s, 0.5), min: s[0] as number, max: s[s.length - 1] as number, n: s.length };
}

/**
 * Per-round differences `fleet[i] − bare[i]`: each round's two runs are
 * neighbours in time, so the machine's drift cancels in the pair, not
 * across rounds.
 */
export function pairedDifferences(fleet: readonly number[], bare: readonly number[]): number[] {
  if (fleet.length !== bare.length) throw new RangeError(`unpaired rounds: ${fleet.length} fleet, ${bare.length} bare`);
  return fleet.map((f, i) => f - (bare[i] as number));
}

/** Per-round ratios `fleet[i] / bare[i]`. */
export function pairedRatios(fleet: readonly number[], bare: readonly number[]): number[] {
  if (fleet.length !== bare.length) throw new RangeError(`unpaired rounds: ${fleet.length} fleet, ${bare.length} bare`);
  return fleet.map((f, i) => f / (bare[i] as number));
}

/** One row of the goals table. */
export interface GoalRow {
  readonly metric: string;
  /** The goal for people, e.g. `≤ 20 ms`; empty for a figure shown for context. */
  readonly goal: string;
  readonly unit: 'ms' | 'MB' | '×';
  readonly measured: Summary;
  /** Whether the median meets the goal; undefined for a context figure. */
  readonly pass: boolean | undefined;
}

/** A goal row: passes when the median is at most (`≤`) or below (`<`) `limit`. */
export function goalRow(metric: string, measured: Summary, unit: GoalRow['unit'], op: '≤' | '<', limit: number, goalText: string): GoalRow {
  return { metric, goal: `${op} ${goalText}`, unit, measured, pass: op === '≤' ? measured.median <= limit : measured.median < limit };
}

/** A context row: a figure with no goal. */
export function infoRow(metric: string, measured: Summary, unit: GoalRow['unit']): GoalRow {
  return { metric, goal: '', unit, measured, pass: undefined };
}

function fmt(x: number, unit: GoalRow['unit']): string {
  if (unit === '×') return x.toFixed(3);
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** `12.3 ms (10.1–15.0)`. */
export function formatSummary(s: Summary, unit: GoalRow['unit']): string {
  const u = unit === '×' ? '×' : ` ${unit}`;
  return `${fmt(s.median, unit)}${u} (${fmt(s.min, unit)}–${fmt(s.max, unit)})`;
}

/** The Markdown table: metric | goal | measured (median, min–max) | status. */
export function goalsTable(rows: readonly GoalRow[]): string {
  const lines = ['| Metric | Goal | Measured (median, min–max) | Status |', '|---|---|---:|:---:|'];
  for (const r of rows) lines.push(`| ${r.metric} | ${r.goal === '' ? '—' : r.goal} | ${formatSummary(r.measured, r.unit)} | ${r.pass === undefined ? '' : r.pass ? '✓' : '✗'} |`);
  return `${lines.join('\n')}\n`;
}
