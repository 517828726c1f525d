#!/usr/bin/env node
/**
 * The bench command line (scripts/bench-fleet.sh runs it):
 *   run | count | compare | gate-accuracy | report | memory | flamegraph | load | fleet-run
 *   (and the internal sample / count-sample, run in fresh processes)
 * Exit codes: 0 ok; 1 a gate failed (target missed, regression) or a benchmark crashed; 2 bad usage or input.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareWithBaseline, listBaselines, loadBaseline } from './baseline.js';
import { GATE_CASES, cmdCompare } from './compare-command.js';
import { cmdCount, cmdCountSample } from './count-command.js';
import { cmdGateAccuracy } from './gate-accuracy.js';
import { BenchError } from './errors.js';
import { cmdFleetRun } from './fleet-run/command.js';
import { nsPerWorkIteration, parseInjections, withWork } from './inject.js';
import type { measureMemory } from './memory.js';
import type { Opts } from './options.js';
import { HELP, parseOptions } from './options.js';
import { baselinesDir, here, pkgDir } from './paths.js';
import { selectCases } from './plan.js';
import { tinybenchProvider } from './providers/tinybench.js';
import type { RunResult } from './result.js';
import { cmdRun } from './run-command.js';
import { statsOf } from './run.js';
import { historyChart } from './svg-chart.js';
import { resultsMarkdown, targetRows, targetTableMarkdown } from './table.js';
import { formatNs, readTargets } from './targets.js';

/** Internal: measure cases in this (fresh) process and print median ns per case as JSON. */
async function cmdSample(o: Opts): Promise<number> {
  const names = (o.cases ?? '').split(',').filter((s) => s !== '');
  const cases = selectCases(o, names);
  const injections = parseInjections(process.env.FLEETKIT_BENCH_INJECT);
  const out: Record<string, number> = {};
  const gc = (globalThis as { gc?: () => void }).gc;
  let nsPerIteration: number | undefined;
  for (const c of cases) {
    let fn = c.setup();
    for (const inj of injections) {
      if (inj.name !== c.name) continue;
      if ('iterationsPerOp' in inj) {
        fn = withWork(fn, c, inj.iterationsPerOp);
        continue;
      }
      // A fraction of this benchmark's own time, turned into iterations of work by timing both here.
      const calib = statsOf(await tinybenchProvider.sample(fn, c, { timeMs: 100, warmupMs: 20 }), c.batch);
      nsPerIteration ??= nsPerWorkIteration();
      fn = withWork(fn, c, (calib.medianNs * inj.fraction) / nsPerIteration);
    }
    gc?.(); // collect before sampling, not during it
    const samples = await tinybenchProvider.sample(fn, c, { timeMs: o.timeMs ?? 200, warmupMs: 30 });
    // A lower quantile: robust to the scheduler's noise, which only ever adds time.
    out[c.name] = quantileLow(samples);
  }
  process.stdout.write(JSON.stringify(out));
  return 0;
}

function quantileLow(samples: readonly number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) * 0.25)] as number;
}

async function cmdMemory(o: Opts): Promise<number> {
  const sizes = o.quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  const rows = [];
  for (const n of sizes) {
    const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', join(here, 'memory-child.js'), String(n)], { encoding: 'utf8' });
    if (r.status !== 0) throw new BenchError('FK_BENCH_CRASHED', `memory measurement for ${n} findings crashed: ${r.stderr.trim().split('\n').at(-1)}`);
    rows.push(JSON.parse(r.stdout) as ReturnType<typeof measureMemory>);
  }
  if (o.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    process.stdout.write('| Findings | Heap growth | Heap per finding | RSS growth | RSS per finding |\n|---:|---:|---:|---:|---:|\n');
    for (const r of rows) process.stdout.write(`| ${r.findings.toLocaleString('en')} | ${(r.heapBytes / 2 ** 20).toFixed(1)} MB | ${Math.round(r.heapBytes / r.findings)} B | ${(r.rssBytes / 2 ** 20).toFixed(1)} MB | ${Math.round(r.rssBytes / r.findings)} B |\n`);
  }
  mkdirSync(o.results, { recursive: true });
  writeFileSync(join(o.results, 'memory.json'), `${JSON.stringify(rows, null, 2)}\n`);
  return 0;
}

function cmdReport(o: Opts): number {
  const latestPath = join(o.results, 'latest.json');
  if (!existsSync(latestPath)) throw new BenchError('FK_BENCH_INPUT', `${latestPath}: no results yet; run \`bench-fleet.sh run\` first`);
  const latest = JSON.parse(readFileSync(latestPath, 'utf8')) as RunResult;
  const targets = readTargets(o.targets);
  const names = listBaselines(baselinesDir);
  const baselines = names.map((n) => ({ name: n, run: loadBaseline(baselinesDir, n) })).sort((a, b) => a.run.createdAt.localeCompare(b.run.createdAt));
  const date = new Date().toISOString().slice(0, 10);
  let md = `# fleetkit performance report — ${date}\n\n`;
  md += `- Machine: ${latest.machine.cpu}, ${latest.machine.cores} cores, ${latest.machine.memoryGb} GB\n- Node: ${latest.runtime.node} (V8 ${latest.runtime.v8})\n- Commit: ${latest.commit ?? 'unknown'}\n- Runner: ${latest.runner}\n\n`;
  md += `## Target table\n\n${targetTableMarkdown(targetRows(targets.targets, latest.results))}\n## All benchmarks\n\n${resultsMarkdown(latest.results)}\n`;
  const cmpName = o.baseline ?? (names.includes('main') ? 'main' : undefined);
  if (cmpName !== undefined) {
    const cmp = compareWithBaseline(latest, loadBaseline(baselinesDir, cmpName));
    md += `## Compared with baseline \`${cmpName}\`${cmp.sameMachine ? '' : ' (other machine: ratios to context/create)'}\n\n| Benchmark | Baseline | Now | Ratio |\n|---|---:|---:|---:|\n`;
    for (const d of cmp.deltas) md += `| ${d.name} | ${formatNs(d.baselineNs)} | ${formatNs(d.currentNs)} | ${d.ratio.toFixed(2)}× |\n`;
    md += '\n';
  }
  const history = [...baselines.map((b) => ({ label: b.name, run: b.run })), { label: 'latest', run: latest }];
  const series = GATE_CASES.map((name) => ({
    name,
    values: history.map((h) => {
      const r = h.run.results.find((x) => x.name === name);
      return r?.state === 'completed' ? r.stats.medianNs : null;
    }),
  }));
  mkdirSync(o.results, { recursive: true });
  const svgName = `history-${date}.svg`;
  writeFileSync(join(o.results, svgName), historyChart(history.map((h) => h.label), series));
  md += `## History\n\n![Benchmarks across saved baselines](${svgName})\n`;
  const file = join(o.results, `performance-report-${date}.md`);
  writeFileSync(file, md);
  process.stdout.write(`${md}\nReport written to ${file}\n`);
  return 0;
}

function cmdFlamegraph(o: Opts): number {
  selectCases(o, [o.bench]);
  const bin = join(pkgDir, 'node_modules', '.bin', '0x');
  if (!existsSync(bin)) throw new BenchError('FK_BENCH_INPUT', `0x is not installed (${bin}); run pnpm install`);
  const outDir = join(o.results, `flamegraph-${o.bench.replace(/\//g, '_')}`);
  mkdirSync(o.results, { recursive: true });
  execFileSync(bin, ['--output-dir', outDir, '--', process.execPath, join(here, 'cli.js'), 'sample', '--cases', o.bench, '--time-ms', '3000'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const html = readdirSync(outDir).find((f) => f.endsWith('.html'));
  process.stdout.write(`Flamegraph of ${o.bench}: ${join(outDir, html ?? 'flamegraph.html')}\n`);
  return 0;
}

function cmdLoad(argv: string[]): number {
  const script = join(here, 'load', 'cli.js');
  if (!existsSync(script)) throw new BenchError('FK_BENCH_INPUT', `the dashboard load scenario is not built (${script} is missing; run pnpm build)`);
  return spawnSync(process.execPath, [script, ...argv], { stdio: 'inherit' }).status ?? 1;
}

export async function main(argv: string[]): Promise<number> {
  try {
    if (argv[0] === 'load') return cmdLoad(argv.slice(1));
    // Options of its own (--bots, --findings, --jobs, --runs), parsed by the subcommand as `load`'s are.
    if (argv[0] === 'fleet-run') return await cmdFleetRun(argv.slice(1));
    const { command, o } = parseOptions(argv);
    switch (command) {
      case 'help':
        process.stdout.write(HELP);
        return 0;
      case 'run':
        return await cmdRun(o);
      case 'sample':
        return await cmdSample(o);
      case 'count':
        return await cmdCount(o);
      case 'count-sample':
        return cmdCountSample(o);
      case 'compare':
        return await cmdCompare(o);
      case 'gate-accuracy':
        return await cmdGateAccuracy(o);
      case 'memory':
        return await cmdMemory(o);
      case 'report':
        return cmdReport(o);
      case 'flamegraph':
        return cmdFlamegraph(o);
      case 'all': {
        const r = await cmdRun(o);
        await cmdMemory({ ...o, quick: true });
        cmdReport(o);
        return r;
      }
      default:
        throw new BenchError('FK_BENCH_USAGE', `unknown command ${JSON.stringify(command)}\n\n${HELP}`);
    }
  } catch (err) {
    if (err instanceof BenchError) {
      process.stderr.write(`error: ${err.message}\n`);
      return err.code === 'FK_BENCH_CRASHED' || err.code === 'FK_BENCH_COUNTS' ? 1 : 2;
    }
    if (err instanceof Error && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error: ${err.message}\n\n${HELP}`);
      return 2;
    }
    throw err;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
