/**
 * `count`: instructions per operation of every benchmark in this checkout,
 * counted under callgrind; `--save-baseline NAME` stores them, with the
 * environment they depend on, in a saved baseline (what `compare` reads).
 * And `count-sample`, the process that `count` and `compare` run under
 * callgrind.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { baselinePath, loadBaseline, saveBaseline } from './baseline.js';
import { runCountChild } from './counts/child.js';
import { countEnvironment } from './counts/environment.js';
import { countSide } from './counts/run.js';
import { formatIr } from './counts/table.js';
import { BenchError } from './errors.js';
import type { Opts } from './options.js';
import { baselinesDir, here, repoRoot } from './paths.js';
import { selectCases } from './plan.js';
import type { RunResult } from './result.js';
import { currentCommit, environment } from './run.js';
import { countCases } from './compare-command.js';

function hasUncommittedCode(): boolean {
  try {
    return execFileSync('git', ['status', '--porcelain', '--', 'packages', 'pnpm-lock.yaml'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
  } catch {
    return false;
  }
}

/** Internal: run inside callgrind; prints one JSON line per benchmark as its file is dumped. */
export function cmdCountSample(o: Opts): number {
  const names = (o.cases ?? '').split(',').filter((s) => s !== '');
  runCountChild(selectCases(o, names), o.calibrate, (d) => process.stdout.write(`${JSON.stringify(d)}\n`));
  return 0;
}

export async function cmdCount(o: Opts): Promise<number> {
  const env = countEnvironment();
  if (env === undefined) throw new BenchError('FK_BENCH_COUNTS', 'valgrind was not found: instruction counts need it (scripts/setup.sh installs Debian\'s valgrind)');
  if (o.saveBaseline !== undefined) baselinePath(baselinesDir, o.saveBaseline);
  const names = countCases(o);
  process.stderr.write(`counting ${names.length} benchmarks under callgrind (one process)\n`);
  const side = await countSide({ label: 'this checkout', cli: join(here, 'cli.js') }, names);
  const rows = names.map((n) => side.cases.get(n)!);
  const missing = rows.filter((r) => r.state === 'not measured');
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ environment: env, seconds: side.seconds, results: rows.map((r) => (r.state === 'measured' ? { name: r.name, irPerOp: r.irPerOp, ops: r.ops } : r)) }, null, 2)}\n`);
  } else {
    process.stdout.write(`## Instructions per operation\n\n| Benchmark | Instructions/op | Operations counted |\n|---|---:|---:|\n`);
    for (const r of rows) process.stdout.write(r.state === 'measured' ? `| ${r.name} | ${formatIr(r.irPerOp)} | ${r.ops.toLocaleString('en')} |\n` : `| ${r.name} | ❌ not measured: ${r.reason} | — |\n`);
    process.stdout.write(`\nNode ${env.node}, ${env.valgrind}, ${env.cpuModel}; V8 flags ${env.v8Flags} (${Math.round(side.seconds)} s)\n`);
  }
  if (missing.length > 0) {
    process.stderr.write(`error: not measured: ${missing.map((r) => r.name).join(', ')}${o.saveBaseline === undefined ? '' : '; baseline not saved'}\n`);
    return 1;
  }
  if (o.saveBaseline !== undefined) {
    // The counts are filed under HEAD; `compare` rebuilds that commit when it must count the base again.
    if (hasUncommittedCode()) process.stderr.write('warning: packages/ has uncommitted changes, but the counts are saved as those of HEAD; commit first to keep them true\n');
    const instructions = {
      commit: currentCommit(repoRoot),
      createdAt: new Date().toISOString(),
      environment: env,
      results: rows.flatMap((r) => (r.state === 'measured' ? [{ name: r.name, irPerOp: r.irPerOp, ops: r.ops }] : [])),
    };
    // Kept beside the baseline's timings (if any): the counts carry their own commit and environment.
    const path = baselinePath(baselinesDir, o.saveBaseline);
    const base: RunResult = existsSync(path) ? loadBaseline(baselinesDir, o.saveBaseline) : { schemaVersion: 1, runner: 'tinybench', createdAt: instructions.createdAt, commit: instructions.commit, ...environment(), results: [] };
    process.stdout.write(`Counts saved in ${saveBaseline(baselinesDir, o.saveBaseline, { ...base, instructions })}\n`);
  }
  return 0;
}
