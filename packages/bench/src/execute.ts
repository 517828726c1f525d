/**
 * Carries out a run plan: measures its steps in order, decides the target
 * table once its benchmarks are measured (re-measuring unsure rows), hands
 * the table over as soon as it is decided, then measures the rest.
 * Measuring, progress and the clock are injected, so tests can drive the
 * verdict logic with made-up samples.
 */
import type { BenchCase } from './cases/case.js';
import type { RunPlan } from './plan.js';
import type { ProgressLine } from './progress.js';
import type { MeasureOptions } from './providers/provider.js';
import type { CaseResult } from './result.js';
import type { TableRow } from './table.js';
import { targetRows } from './table.js';
import type { Target } from './targets.js';

/** One re-measurement of an unsure row. */
export interface Remeasurement {
  readonly benchmark: string;
  /** 1-based. */
  readonly attempt: number;
  readonly timing: MeasureOptions;
  /** The row's status after it. */
  readonly status: TableRow['status'];
}

export interface ExecuteDeps {
  measure(c: BenchCase, timing: MeasureOptions): Promise<CaseResult>;
  progress?: ProgressLine;
  /** Milliseconds; defaults to `Date.now`. */
  now?: () => number;
  /** Called once with the decided table, before the steps after `plan.tableAfter`. */
  onTable?(decision: TableDecision): void;
}

/** The target table as decided, and how. */
export interface TableDecision {
  readonly rows: TableRow[];
  readonly remeasured: Remeasurement[];
  /** Rows left unsure because a re-measurement would have overrun the time budget. */
  readonly outOfBudget: string[];
  /** From the start until the table was decided, ms. */
  readonly tableMs: number;
}

export interface Execution extends TableDecision {
  /** In the plan's table order (`plan.cases`), whatever order they were measured in. */
  readonly results: CaseResult[];
}

export async function executePlan(plan: RunPlan, targets: readonly Target[], deps: ExecuteDeps): Promise<Execution> {
  const now = deps.now ?? Date.now;
  const started = now();
  const byName = new Map<string, CaseResult>();
  const n = plan.steps.length;
  const measureStep = async (i: number): Promise<void> => {
    const step = plan.steps[i]!;
    deps.progress?.show(i + 1, n, step.case.name);
    byName.set(step.case.name, await deps.measure(step.case, step.timing));
  };
  const current = (): CaseResult[] => plan.cases.flatMap((c) => byName.get(c.name) ?? []);

  for (let i = 0; i < plan.tableAfter; i++) await measureStep(i);

  // A row whose interval straddles its target is "unsure": measure it again, longer, up to `attempts` times.
  const remeasured: Remeasurement[] = [];
  const outOfBudget = new Set<string>();
  const { attempts, factor, budgetMs } = plan.remeasure;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const unsure = targetRows(targets, current()).filter((r) => r.status === 'unsure');
    if (unsure.length === 0) break;
    for (const row of unsure) {
      const i = plan.steps.findIndex((s) => s.case.name === row.benchmark);
      const step = plan.steps[i];
      if (step === undefined) continue;
      const timing = { timeMs: step.timing.timeMs * factor, warmupMs: step.timing.warmupMs };
      if (now() - started + timing.timeMs + timing.warmupMs > budgetMs) {
        outOfBudget.add(row.benchmark);
        continue;
      }
      deps.progress?.show(i + 1, n, step.case.name, `unsure, measuring again for ${timing.timeMs / 1000} s (attempt ${attempt} of ${attempts})`);
      const again = await deps.measure(step.case, timing);
      byName.set(step.case.name, again);
      const status = targetRows(targets, [again]).find((r) => r.benchmark === row.benchmark)?.status ?? 'not run';
      remeasured.push({ benchmark: row.benchmark, attempt, timing, status });
      if (status !== 'unsure') outOfBudget.delete(row.benchmark);
    }
  }
  const decision: TableDecision = { rows: targetRows(targets, current()), remeasured, outOfBudget: [...outOfBudget], tableMs: now() - started };
  deps.onTable?.(decision);

  for (let i = plan.tableAfter; i < n; i++) await measureStep(i);
  deps.progress?.clear();
  return { ...decision, results: current() };
}
