/**
 * `run`: follow the plan for the mode (plan.ts), print the target table —
 * in the default mode as soon as it is decided, before the other benchmarks —
 * and write the results.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baselinePath, compareWithBaseline, loadBaseline, saveBaseline } from './baseline.js';
import type { TableDecision } from './execute.js';
import { executePlan } from './execute.js';
import type { Opts } from './options.js';
import { runMode } from './options.js';
import { baselinesDir, repoRoot } from './paths.js';
import type { RunPlan } from './plan.js';
import { TIMINGS, planRun, selectCases } from './plan.js';
import { interactive, progressLine } from './progress.js';
import { mitataProvider } from './providers/mitata.js';
import type { BenchProvider } from './providers/provider.js';
import { tinybenchProvider } from './providers/tinybench.js';
import type { RunResult } from './result.js';
import { currentCommit, environment, runCase } from './run.js';
import type { TableRow } from './table.js';
import { resultsMarkdown, targetTableMarkdown } from './table.js';
import { formatNs, readTargets } from './targets.js';
import { readReference, referenceMarkdown, referenceRows } from './reference.js';

export const providerOf = (name: string): BenchProvider => (name === 'mitata' ? mitataProvider : tinybenchProvider);

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;

/** What the default run did to decide the table, and what comes next (printed under the table). */
function decidedNote(plan: RunPlan, tableMs: number): string {
  const rest = plan.steps.length - plan.tableAfter;
  const next = rest > 0 ? `; now the other ${rest} benchmarks (${plan.steps[plan.tableAfter]!.timing.timeMs / 1000} s each)` : '';
  const how = plan.tableAfter === 0 ? 'none of its benchmarks is selected' : `its benchmarks first, ${plan.steps[0]!.timing.timeMs / 1000} s each`;
  return `Target table decided in ${seconds(tableMs)} (${how})${next}. \`run --full\` measures every benchmark ${TIMINGS.full.timeMs / 1000} s.\n`;
}

function remeasureNote(exec: Pick<TableDecision, 'remeasured' | 'outOfBudget'>): string {
  let out = '';
  if (exec.remeasured.length > 0) out += `Re-measured (unsure at first): ${[...new Set(exec.remeasured.map((r) => r.benchmark))].join(', ')}\n`;
  if (exec.outOfBudget.length > 0) out += `Still unsure when the time budget ran out: ${exec.outOfBudget.join(', ')} (\`run --full\` measures longer)\n`;
  return out;
}

function writeTable(dir: string, rows: readonly TableRow[]): string {
  const table = targetTableMarkdown(rows);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'targets.json'), `${JSON.stringify(rows, null, 2)}\n`);
  writeFileSync(join(dir, 'targets.md'), table);
  return table;
}

export async function cmdRun(o: Opts): Promise<number> {
  const targets = readTargets(o.targets);
  const reference = readReference();
  const baseline = o.baseline === undefined ? undefined : loadBaseline(baselinesDir, o.baseline);
  // A bad name fails now, not after minutes of measuring and writing results.
  if (o.saveBaseline !== undefined) baselinePath(baselinesDir, o.saveBaseline);
  const provider = providerOf(o.runner);
  const plan = planRun(runMode(o), selectCases(o), targets.targets);
  const progress = progressLine(process.stderr, interactive(process.stdout, process.stderr));
  const commit = currentCommit(repoRoot);
  const env = environment();
  const machine = `Machine: ${env.machine.cpu} (${env.machine.cores} cores), Node ${env.runtime.node}, runner ${provider.name}, commit ${commit?.slice(0, 10) ?? 'unknown'}\n`;
  let printed = false;
  const exec = await executePlan(plan, targets.targets, {
    measure: (c, timing) => runCase(provider, c, timing),
    progress,
    onTable(decision) {
      // Written now too, so an interrupted run still leaves its table behind.
      const table = writeTable(o.results, decision.rows);
      if (!plan.earlyTable || o.json) return;
      progress.clear();
      process.stdout.write(`## Performance targets\n\n${table}\n${machine}${decidedNote(plan, decision.tableMs)}${remeasureNote(decision)}\n`);
      printed = true;
    },
  });
  const { results, rows } = exec;
  const run: RunResult = { schemaVersion: 1, runner: provider.name, createdAt: new Date().toISOString(), commit, ...env, results };
  mkdirSync(o.results, { recursive: true });
  const stamp = run.createdAt.replace(/[:.]/g, '-');
  writeFileSync(join(o.results, `run-${stamp}.json`), `${JSON.stringify(run, null, 2)}\n`);
  writeFileSync(join(o.results, 'latest.json'), `${JSON.stringify(run, null, 2)}\n`);
  const table = writeTable(o.results, rows);
  const against = referenceRows(reference, results);
  const againstTable = referenceMarkdown(against);
  writeFileSync(join(o.results, 'original.json'), `${JSON.stringify(against, null, 2)}\n`);
  writeFileSync(join(o.results, 'original.md'), againstTable);
  if (o.saveBaseline !== undefined) saveBaseline(baselinesDir, o.saveBaseline, run);
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ mode: plan.mode, targets: rows, original: against, remeasured: exec.remeasured, run }, null, 2)}\n`);
  } else {
    if (!printed) process.stdout.write(`## Performance targets\n\n${table}\n${machine}${remeasureNote(exec)}\n`);
    process.stdout.write(`## Against the Rust original\n\n${againstTable}\n`);
    process.stdout.write(`## All benchmarks\n\n${resultsMarkdown(results)}\n`);
    if (baseline !== undefined) {
      const cmp = compareWithBaseline(run, baseline);
      process.stdout.write(`## Against baseline ${o.baseline}${cmp.sameMachine ? '' : ' (another machine: compared as ratios to context/create measured in the same run)'}\n\n| Benchmark | Baseline | Now | Ratio |\n|---|---:|---:|---:|\n`);
      for (const d of cmp.deltas) process.stdout.write(`| ${d.name} | ${formatNs(d.baselineNs)} | ${formatNs(d.currentNs)} | ${d.ratio.toFixed(2)}× |\n`);
      process.stdout.write('\n');
    }
    process.stdout.write(`Results written to ${o.results}\n`);
  }
  const crashed = results.filter((r) => r.state === 'errored');
  if (crashed.length > 0) {
    process.stderr.write(`error: ${crashed.map((r) => r.name).join(', ')} crashed\n`);
    return 1;
  }
  return o.gate && rows.some((r) => r.status === 'missed') ? 1 : 0;
}
