/**
 * Runs one side's counting process under callgrind and reads what it
 * counted: one callgrind file per benchmark, named by the perf map V8 wrote.
 * A benchmark whose file is missing or corrupt, or whose process crashed or
 * timed out before it, comes back "not measured" with the reason — never as
 * a count.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Side } from '../compare.js';
import { BenchError } from '../errors.js';
import { environmentWithoutInjection } from '../inject.js';
import type { CallgrindProfile } from './callgrind-file.js';
import type { DumpedCase } from './child.js';
import { readCallgrindFile } from './callgrind-file.js';
import { COUNT_PROCESSES, COUNT_V8_FLAGS } from './environment.js';
import { readPerfMap, resolveNames } from './perf-map.js';

/** One benchmark's count on one side. */
export type CaseCount =
  | { readonly name: string; readonly state: 'measured'; readonly ops: number; readonly totalIr: number; readonly irPerOp: number; readonly profile: CallgrindProfile }
  | { readonly name: string; readonly state: 'not measured'; readonly reason: string };

/** What one counting process gave. */
export interface SideCounts {
  readonly label: string;
  readonly cases: ReadonlyMap<string, CaseCount>;
  readonly seconds: number;
}

export interface CountOptions {
  /** Also measure the injected work's cost per iteration (`inject/work`). */
  readonly calibrate?: boolean;
  /** Extra environment of the counting process (an injection). */
  readonly env?: Readonly<Record<string, string>>;
  /** Kill the process after this long. @default 60 s + 20 s per benchmark */
  readonly timeoutMs?: number;
}

interface Exit {
  /** The counted program's pid: valgrind runs it in its own process, so V8's perf map is /tmp/perf-<pid>.map. */
  readonly pid: number | undefined;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

function runProcess(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new BenchError('FK_BENCH_COUNTS', `could not start valgrind (${e.message}); scripts/setup.sh installs it`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ pid: child.pid, code, signal, timedOut, stdout, stderr });
    });
  });
}

const tail = (s: string): string => s.trim().split('\n').slice(-2).join(' ').slice(0, 400);

/**
 * Counts `cases` in `processes` fresh processes of `side`'s build at once
 * (default {@link COUNT_PROCESSES}); each benchmark's count is the least of
 * the processes' (with that process's profile). A benchmark that any process
 * failed to count is not measured.
 */
export async function countSide(side: Side, cases: readonly string[], o: CountOptions & { processes?: number } = {}): Promise<SideCounts> {
  const started = Date.now();
  const runs = await Promise.all(Array.from({ length: o.processes ?? COUNT_PROCESSES }, () => countProcess(side, cases, o)));
  const merged = new Map<string, CaseCount>();
  for (const run of runs) {
    for (const [name, c] of run.cases) {
      const prev = merged.get(name);
      if (prev === undefined || prev.state === 'not measured') merged.set(name, prev ?? c);
      else if (c.state === 'not measured' || c.irPerOp < prev.irPerOp) merged.set(name, c);
    }
  }
  return { label: side.label, cases: merged, seconds: (Date.now() - started) / 1000 };
}

/** Counts `cases` in one fresh process of `side`'s build, under callgrind. */
export async function countProcess(side: Side, cases: readonly string[], o: CountOptions = {}): Promise<SideCounts> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'fleetkit-counts-'));
  const args = ['--tool=callgrind', '-q', '--instr-atstart=no', `--callgrind-out-file=${join(dir, 'cg.%p.out')}`, process.execPath, ...COUNT_V8_FLAGS, side.cli, 'count-sample', '--cases', cases.join(','), ...(o.calibrate ? ['--calibrate'] : [])];
  const timeoutMs = o.timeoutMs ?? 60_000 + 20_000 * cases.length;
  let pid: number | undefined;
  try {
    // In the temporary directory: --perf-basic-prof also writes a V8 log (isolate-*.log) into the working directory.
    const exit = await runProcess(args, { ...environmentWithoutInjection(), ...side.env, ...o.env }, dir, timeoutMs);
    // The child prints one JSON line per benchmark as soon as its file is dumped, so a crash keeps what came before.
    const dumped: DumpedCase[] = [];
    for (const line of exit.stdout.split('\n')) {
      if (line.trim() === '') continue;
      try {
        dumped.push(JSON.parse(line) as DumpedCase);
      } catch {
        break;
      }
    }
    // From the spawn, not from the output: a process that died before its first dump still leaves a perf map.
    pid = exit.pid;
    let why: string | undefined;
    if (exit.timedOut) why = `the callgrind run timed out after ${Math.round(timeoutMs / 1000)} s`;
    else if (exit.code !== 0) {
      why = /unknown command "count-sample"/.test(exit.stderr)
        ? `${side.label} has no count-sample command (it predates instruction counting)`
        : `the callgrind run of ${side.label} crashed (${exit.signal ?? `exit ${exit.code}`}): ${tail(exit.stderr)}`;
    }
    const perfMap = pid === undefined ? undefined : readPerfMap(`/tmp/perf-${pid}.map`);
    const out = new Map<string, CaseCount>();
    dumped.forEach((d, i) => {
      // callgrind numbers its dumps from 1 in the order they were made.
      const file = join(dir, `cg.${d.pid}.out.${i + 1}`);
      if (!existsSync(file)) {
        out.set(d.name, { name: d.name, state: 'not measured', reason: `callgrind wrote no file for it (${file})` });
        return;
      }
      try {
        const raw = readCallgrindFile(file);
        if (raw.trigger !== d.name) throw new BenchError('FK_BENCH_COUNTS', `${file}: dumped for ${JSON.stringify(raw.trigger)}, expected ${JSON.stringify(d.name)}`);
        const profile = perfMap === undefined ? raw : resolveNames(raw, perfMap);
        out.set(d.name, { name: d.name, state: 'measured', ops: d.ops, totalIr: raw.totalIr, irPerOp: raw.totalIr / d.ops, profile });
      } catch (err) {
        out.set(d.name, { name: d.name, state: 'not measured', reason: (err as Error).message });
      }
    });
    for (const name of cases) {
      if (!out.has(name)) out.set(name, { name, state: 'not measured', reason: why ?? `the counting process of ${side.label} reported nothing for it: ${tail(exit.stderr)}` });
    }
    return { label: side.label, cases: out, seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (pid !== undefined) rmSync(`/tmp/perf-${pid}.map`, { force: true });
  }
}
