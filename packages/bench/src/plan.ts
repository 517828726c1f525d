/**
 * What `run` measures, in which order, for how long: a pure plan, so the
 * command and the tests see the same thing.
 *
 * - `default` (what quickstart runs): the target table's benchmarks first,
 *   0.5 s each, then the table is decided — rows whose interval straddles
 *   their target are measured again, 3× longer, up to twice, within a time
 *   budget — and printed; then the other benchmarks, 0.25 s each. The rows are
 *   far from their targets (the closest is about 0.7× of it), so a short
 *   measurement decides most of them and the time goes to the unsure ones.
 * - `quick` (CI: `run --quick --gate`): every benchmark 0.25 s in table order,
 *   the same re-measurement, the table at the end. Unchanged.
 * - `full` (`run --full`): every benchmark 1 s after 0.2 s of warmup (what
 *   `run` did before the default became the fast one), the table at the end.
 */
import type { BenchCase } from './cases/case.js';
import { ALL_CASES } from './cases/index.js';
import { BenchError } from './errors.js';
import type { MeasureOptions } from './providers/provider.js';
import type { Target } from './targets.js';

export type RunMode = 'default' | 'quick' | 'full';

/** One benchmark to measure, with its settings. */
export interface PlanStep {
  readonly case: BenchCase;
  readonly timing: MeasureOptions;
  /** The benchmark has a row in the target table. */
  readonly target: boolean;
}

/** How unsure rows are measured again. */
export interface RemeasurePolicy {
  /** Re-measurements per unsure row at most. */
  readonly attempts: number;
  /** Each re-measurement samples this many times longer than the first measurement. */
  readonly factor: number;
  /**
   * A re-measurement starts only if it can end within this many ms of the
   * start of the run; a row still unsure then is reported unsure.
   */
  readonly budgetMs: number;
}

export interface RunPlan {
  readonly mode: RunMode;
  /** The selected benchmarks in table order (how results are listed). */
  readonly cases: readonly BenchCase[];
  /** The measuring order. */
  readonly steps: readonly PlanStep[];
  /** The target table is decided after this many steps (then its unsure rows are re-measured). */
  readonly tableAfter: number;
  /** Print the table as soon as it is decided, before the remaining steps. */
  readonly earlyTable: boolean;
  readonly remeasure: RemeasurePolicy;
}

/** Measuring settings per mode (ms). */
export const TIMINGS = {
  default: { targets: { timeMs: 500, warmupMs: 100 }, others: { timeMs: 250, warmupMs: 50 } },
  quick: { timeMs: 250, warmupMs: 50 },
  full: { timeMs: 1000, warmupMs: 200 },
} as const;

/** Unsure rows: 3× longer, up to twice (the verdict rule of every mode). */
const REMEASURE = { attempts: 2, factor: 3 } as const;

/**
 * The default run's bound on deciding the table: measured from the start of
 * the run, so the table is printed well within two minutes on a busy 2-core
 * machine even if every row were unsure (8 rows × 2 × 1.6 s ≈ 26 s is the
 * usual worst case; this caps a much slower machine).
 */
export const DEFAULT_TABLE_BUDGET_MS = 75_000;

/** The plan for `mode` over the selected cases (in table order) and the target table. */
export function planRun(mode: RunMode, cases: readonly BenchCase[], targets: readonly Target[]): RunPlan {
  const targetNames = new Set(targets.map((t) => t.benchmark));
  const isTarget = (c: BenchCase): boolean => targetNames.has(c.name);
  if (mode !== 'default') {
    const timing = TIMINGS[mode];
    const steps = cases.map((c) => ({ case: c, timing, target: isTarget(c) }));
    return { mode, cases, steps, tableAfter: steps.length, earlyTable: false, remeasure: { ...REMEASURE, budgetMs: Number.POSITIVE_INFINITY } };
  }
  // The table's benchmarks in the table's order, then the rest in table order.
  const byName = new Map(cases.map((c) => [c.name, c]));
  const first = [...targetNames].flatMap((n) => {
    const c = byName.get(n);
    return c === undefined ? [] : [c];
  });
  const rest = cases.filter((c) => !isTarget(c));
  const steps = [
    ...first.map((c) => ({ case: c, timing: TIMINGS.default.targets, target: true })),
    ...rest.map((c) => ({ case: c, timing: TIMINGS.default.others, target: false })),
  ];
  return { mode, cases, steps, tableAfter: first.length, earlyTable: true, remeasure: { ...REMEASURE, budgetMs: DEFAULT_TABLE_BUDGET_MS } };
}

/**
 * The benchmarks options select, in table order: by name (`sample`,
 * `flamegraph`; an unknown name is FK_BENCH_UNKNOWN_CASE), or by `--filter`,
 * `--scale` and `--scale --full`.
 */
export function selectCases(o: { filter?: string | undefined; scale: boolean; full: boolean }, names?: readonly string[]): BenchCase[] {
  if (names !== undefined) {
    return names.map((n) => {
      const c = ALL_CASES.find((x) => x.name === n);
      if (c === undefined) throw new BenchError('FK_BENCH_UNKNOWN_CASE', `unknown benchmark ${JSON.stringify(n)}; known: ${ALL_CASES.map((x) => x.name).join(', ')}`);
      return c;
    });
  }
  const picked = ALL_CASES.filter((c) => (o.scale || !c.scale) && (o.full || !c.full) && (o.filter === undefined || c.name.includes(o.filter)));
  if (picked.length === 0) throw new BenchError('FK_BENCH_UNKNOWN_CASE', `no benchmark matches --filter ${JSON.stringify(o.filter)}`);
  return picked;
}
