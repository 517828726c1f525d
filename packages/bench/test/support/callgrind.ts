/**
 * Real callgrind runs for tests, and callgrind_annotate's reading of their
 * files as the known answer the parser must match.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Throws, failing the suite, when valgrind is missing: counting tests must not pass by skipping. */
export function requireValgrind(): void {
  const probe = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(`valgrind is required by the instruction-count tests and was not found on PATH (${probe.error?.message ?? probe.stderr.trim()}); scripts/setup.sh installs it`);
  }
}

/** A finished callgrind run. */
export interface CallgrindRun {
  /** The profiled process (valgrind runs the program in its own process, so it is valgrind's pid). */
  readonly pid: number;
  readonly stdout: string;
  /** Its callgrind files in `dir`, in dump order (`cg.<pid>.out.1`, `.2`, …, then `cg.<pid>.out`). */
  readonly files: readonly string[];
}

/**
 * Runs `node <nodeArgs>` under callgrind with `valgrindArgs`, cwd `dir` (V8's
 * `--perf-basic-prof` drops an `isolate-*-v8.log` in the working directory),
 * writing `dir/cg.<pid>.out*`. Rejects on a non-zero exit.
 */
export function runCallgrind(dir: string, valgrindArgs: readonly string[], nodeArgs: readonly string[]): Promise<CallgrindRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', ['--tool=callgrind', '-q', `--callgrind-out-file=${join(dir, 'cg.%p.out')}`, ...valgrindArgs, process.execPath, ...nodeArgs], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const pid = child.pid;
      if (code !== 0 || pid === undefined) {
        reject(new Error(`callgrind run of node ${nodeArgs.join(' ')} failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(-600)}`));
        return;
      }
      const base = `cg.${pid}.out`;
      const dumps = readdirSync(dir)
        .filter((f) => f.startsWith(`${base}.`))
        .sort((a, b) => Number(a.slice(base.length + 1)) - Number(b.slice(base.length + 1)));
      resolve({ pid, stdout, files: [...dumps, base].map((f) => join(dir, f)) });
    });
  });
}

/** What callgrind_annotate reports for a file. */
export interface Annotation {
  /** Its `PROGRAM TOTALS` of Ir. */
  readonly totalIr: number;
  /**
   * Ir per function name, summed over the `file:function` lines it prints
   * (callgrind_annotate splits a function by source file where code was
   * inlined from another file; the parser does not) and over objects.
   */
  readonly byName: ReadonlyMap<string, number>;
}

/**
 * Runs `callgrind_annotate` over all functions (threshold 100%) and reads its
 * `N (x%)  file:function [object]` lines. `names` are the function names
 * the file holds: a line's ` [object]` suffix is told from a name that
 * itself ends in brackets (`foo() [clone .cold]`) by which one is a name.
 */
export function annotate(file: string, names: ReadonlySet<string>, inclusive: boolean): Annotation {
  const text = execFileSync('callgrind_annotate', ['--threshold=100', '--auto=no', `--inclusive=${inclusive ? 'yes' : 'no'}`, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const number = (s: string): number => Number(s.replaceAll(',', ''));
  const totals = /^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+PROGRAM TOTALS\s*$/m.exec(text);
  if (totals === null) throw new Error(`no PROGRAM TOTALS in callgrind_annotate's output for ${file}`);
  const byName = new Map<string, number>();
  const listing = text.slice(text.search(/file:function\s*\n/));
  for (const line of listing.split('\n')) {
    const m = /^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$/.exec(line);
    if (m === null) continue;
    const where = m[2] as string;
    // `file:function`: source paths carry no colon here, C++ names do (`v8::internal::…`).
    let fn = where.slice(where.indexOf(':') + 1);
    if (!names.has(fn)) {
      const object = / \[[^\]]*\]$/.exec(fn);
      if (object !== null && names.has(fn.slice(0, object.index))) fn = fn.slice(0, object.index);
    }
    if (!names.has(fn)) throw new Error(`callgrind_annotate names a function the parser did not find: ${where}`);
    byName.set(fn, (byName.get(fn) ?? 0) + number(m[1] as string));
  }
  return { totalIr: number(totals[1] as string), byName };
}
