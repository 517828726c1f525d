/**
 * @fleetkit/bench — benchmarks, the target table, saved baselines and the
 * regression gate. The command line is `scripts/bench-fleet.sh` (src/cli.ts).
 */
export { ALL_CASES } from './cases/index.js';
export { BENCH_ERROR_CODES, BenchError } from './errors.js';
export { DEFAULT_POLICY, decide, gateMarkdown } from './gate.js';
export { bootstrapMedianInterval, hodgesLehmann, holm, normalQuantile, quantile, signedRankP, sortSamples } from './stats.js';
export { TargetsFileSchema, formatNs, judge, readTargets } from './targets.js';
export { CaseResultSchema, RunResultSchema, StatsSchema } from './result.js';
export { compareWithBaseline, loadBaseline, saveBaseline } from './baseline.js';
export { main } from './cli.js';
export { DEFAULT_COUNT_THRESHOLD, decideCounts } from './counts/decide.js';
export { COUNT_METHOD, COUNT_PROCESSES, COUNT_V8_FLAGS, CountEnvironmentSchema, countEnvironment, environmentDifferences } from './counts/environment.js';
export { parseCallgrind, readCallgrindFile } from './counts/callgrind-file.js';
export { formatGainers, isJavaScriptFunction, topGainers } from './counts/cost-diff.js';
export { SavedCountsSchema } from './result.js';
export { DEFAULT_TABLE_BUDGET_MS, TIMINGS, planRun } from './plan.js';
export { executePlan } from './execute.js';
export { interactive, progressLine, progressText } from './progress.js';

export type { BenchCase } from './cases/case.js';
export type { GatePolicy, GateRow, PairedRounds } from './gate.js';
export type { Interval, SortedSamples } from './stats.js';
export type { Target, TargetsFile, Verdict } from './targets.js';
export type { CaseResult, RunResult, SavedCounts, Stats } from './result.js';
export type { CountRow, CountValue } from './counts/decide.js';
export type { CountEnvironment } from './counts/environment.js';
export type { CallgrindProfile, FunctionCost } from './counts/callgrind-file.js';
export type { Gainer, GainerOptions, OpsPerProfile } from './counts/cost-diff.js';
export type { BaselineDelta } from './baseline.js';
export type { BenchProvider, MeasureOptions } from './providers/provider.js';
export type { PlanStep, RemeasurePolicy, RunMode, RunPlan } from './plan.js';
export type { Execution, Remeasurement, TableDecision } from './execute.js';
export type { ProgressLine, ProgressStream } from './progress.js';
