/** The bench command line's options: parsing, validation, and which kind of `run` they ask for. */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchError } from './errors.js';
import { pkgDir, repoRoot } from './paths.js';
import type { RunMode } from './plan.js';

export const HELP = `Usage: bench-fleet.sh <command> [options]

Commands:
  run            the target table (Operation | Target | Current | Status) first, then every other benchmark
  count          instructions per operation of every benchmark, counted under callgrind (--save-baseline keeps them)
  compare        regression gate on instruction counts and wall-clock: against baseline main's counts (same
                 environment: no rebuild), or base built in a worktree and both sides measured; fails on a regression
  gate-accuracy  the gate on the same code (A/A) and with +1/2/5/10% of work injected into three benchmarks;
                 false-alarm and detection rates of both signals
  report         write a dated Markdown performance report (machine, Node, commit, target table, comparison, history chart)
  memory         heap and RSS per finding at 10k / 100k / 1M findings
  flamegraph     profile one benchmark with 0x into an HTML flamegraph
  load           the dashboard under load: 100k findings, 1,000 live clients (load --help)
  fleet-run      \`fleet run\` of 50 bots of 1,000 findings each: overhead beyond the bots' own time, peak RSS (fleet-run --help)
  all            run, memory, report

Options:
  --runner tinybench|mitata   engine (default tinybench)
  --quick                     shorter measurement (CI): every benchmark 0.25 s, the table at the end
  --full                      run: the long run, every benchmark 1 s (the default run measures the table's
                              benchmarks first and the others shorter); with --scale also the 1,000,000-finding scenarios
  --scale                     include the 100,000-finding scenarios
  --filter TEXT               only benchmarks whose name contains TEXT
  --results DIR               where results go (default benchmark-results/)
  --targets FILE              target table (default packages/bench/targets.json)
  --save-baseline NAME        save this run as packages/bench/baselines/NAME.json
  --baseline NAME             compare this run with a saved baseline
  --gate                      run: exit 1 when a target is missed
  --ref REF                   compare: build and measure this base commit (default: baseline "main")
  --paired                    compare: build the base even when baseline main has counts from this environment
  --rounds N                  compare, gate-accuracy: wall-clock ABBA rounds (default 16; --quick 12)
  --threshold X               compare: instruction-count increase that fails (default 0.01 = +1% per operation)
  --wall-threshold X          compare: slowdown tolerated; shown slower than this (statistically) fails (default 0.02)
  --trials N                  gate-accuracy: count trials per injected level (default 10)
  --aa-runs N                 gate-accuracy: full A/A gate runs, both signals (default 5)
  --wall-trials N             gate-accuracy: wall-clock trials per injected level (default 4)
  --bench NAME                flamegraph: the benchmark to profile (default findings/add-1000)
  --json                      print JSON instead of Markdown
`;

export interface Opts {
  runner: 'tinybench' | 'mitata';
  quick: boolean;
  scale: boolean;
  full: boolean;
  filter?: string;
  results: string;
  targets: string;
  saveBaseline?: string;
  baseline?: string;
  gate: boolean;
  ref?: string;
  rounds?: number;
  threshold: number;
  wallThreshold: number;
  paired: boolean;
  trials: number;
  aaRuns: number;
  wallTrials: number;
  calibrate: boolean;
  bench: string;
  json: boolean;
  cases?: string;
  timeMs?: number;
}

/** Parses argv (after `node cli.js`); bad usage is FK_BENCH_USAGE (node's own ERR_PARSE_ARGS_* for unknown options). */
export function parseOptions(argv: readonly string[]): { command: string; o: Opts } {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      runner: { type: 'string', default: 'tinybench' },
      quick: { type: 'boolean', default: false },
      scale: { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      filter: { type: 'string' },
      results: { type: 'string', default: join(repoRoot, 'benchmark-results') },
      targets: { type: 'string', default: join(pkgDir, 'targets.json') },
      'save-baseline': { type: 'string' },
      baseline: { type: 'string' },
      compare: { type: 'string' },
      gate: { type: 'boolean', default: false },
      ref: { type: 'string' },
      rounds: { type: 'string' },
      threshold: { type: 'string', default: '0.01' },
      'wall-threshold': { type: 'string', default: '0.02' },
      paired: { type: 'boolean', default: false },
      trials: { type: 'string', default: '10' },
      'aa-runs': { type: 'string', default: '5' },
      'wall-trials': { type: 'string', default: '4' },
      calibrate: { type: 'boolean', default: false },
      bench: { type: 'string', default: 'findings/add-1000' },
      json: { type: 'boolean', default: false },
      cases: { type: 'string' },
      'time-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const num = (name: string, v: string | undefined, min: number): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new BenchError('FK_BENCH_USAGE', `--${name} must be a number ≥ ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
  if (values.runner !== 'tinybench' && values.runner !== 'mitata') throw new BenchError('FK_BENCH_USAGE', `--runner must be tinybench or mitata, got ${JSON.stringify(values.runner)}`);
  // Each names a whole measuring plan (short for CI, long for a full run): together they contradict each other.
  if (values.quick && values.full) throw new BenchError('FK_BENCH_USAGE', '--quick and --full exclude each other (quick: the CI settings; full: the long run)');
  const command = values.help ? 'help' : (positionals[0] ?? 'help');
  return {
    command,
    o: {
      runner: values.runner,
      quick: values.quick,
      scale: values.scale,
      full: values.full,
      filter: values.filter,
      results: resolve(values.results),
      targets: resolve(values.targets),
      saveBaseline: values['save-baseline'],
      baseline: values.baseline ?? values.compare,
      gate: values.gate,
      ref: values.ref,
      rounds: num('rounds', values.rounds, 2),
      threshold: num('threshold', values.threshold, 0.001) ?? 0.01,
      wallThreshold: num('wall-threshold', values['wall-threshold'], 0.001) ?? 0.02,
      paired: values.paired,
      trials: num('trials', values.trials, 1) ?? 10,
      aaRuns: num('aa-runs', values['aa-runs'], 1) ?? 5,
      wallTrials: num('wall-trials', values['wall-trials'], 0) ?? 4,
      calibrate: values.calibrate,
      bench: values.bench,
      json: values.json,
      cases: values.cases,
      timeMs: num('time-ms', values['time-ms'], 10),
    },
  };
}

/** Which plan `run` follows: `--quick` (CI), `--full` (the long run), or the default (target table first). */
export function runMode(o: Pick<Opts, 'quick' | 'full'>): RunMode {
  if (o.quick) return 'quick';
  return o.full ? 'full' : 'default';
}
