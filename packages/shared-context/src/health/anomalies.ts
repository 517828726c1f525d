/** Per-bot anomaly rules and their thresholds (fleet-behaviour.md, "Health check"). */

/** A bot's error findings / findings above this is an anomaly. */
export const HIGH_ERROR_RATE = 0.5;
/** A bot running longer than this (ms) is an anomaly. */
export const LONG_EXECUTION_MS = 300_000;
/** A run slower than this many times the median of the bot's previous runs is an anomaly. */
export const SLOW_FACTOR = 3;
/** Previous runs (with a duration) needed before the slow-run rule applies. */
export const SLOW_MIN_RUNS = 5;
/** A success rate over the history window below this is an anomaly. */
export const LOW_SUCCESS_RATE = 0.8;

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/** `High error rate: 80.0% (8/10)` when errors/findings > 0.5; only with findings. */
export function errorRateAnomaly(findings: number, errors: number): string | undefined {
  if (findings <= 0) return undefined;
  const rate = errors / findings;
  return rate > HIGH_ERROR_RATE ? `High error rate: ${pct(rate)} (${errors}/${findings})` : undefined;
}

/** A completed bot that produced nothing (the engine tier is exempt: it coordinates, it does not scan). */
export const NO_FINDINGS = 'No findings produced by completed bot';

/** `Long execution time: 301.0s` above 300,000 ms. */
export function longExecutionAnomaly(durationMs: number | null): string | undefined {
  return durationMs !== null && durationMs > LONG_EXECUTION_MS ? `Long execution time: ${secs(durationMs)}` : undefined;
}

/**
 * `Slow execution: 12.0s is more than 3× the median of 3.5s over 6 runs` when
 * the run took more than 3× the median of the bot's previous runs (≥ 5 of them).
 */
export function slowExecutionAnomaly(durationMs: number | null, previous: readonly number[]): string | undefined {
  if (durationMs === null || previous.length < SLOW_MIN_RUNS) return undefined;
  const m = median(previous);
  return durationMs > SLOW_FACTOR * m
    ? `Slow execution: ${secs(durationMs)} is more than ${SLOW_FACTOR}× the median of ${secs(m)} over ${previous.length} runs`
    : undefined;
}

/** `Low success rate: 60.0% over the last 10 runs` below 0.8. */
export function lowSuccessAnomaly(successRate: number | null, runs: number): string | undefined {
  return successRate !== null && successRate < LOW_SUCCESS_RATE ? `Low success rate: ${pct(successRate)} over the last ${runs} runs` : undefined;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
