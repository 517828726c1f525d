/**
 * What instruction counts depend on besides the code: the same code counts
 * differently under another Node (another V8, other builtins), other V8
 * flags, another CPU (glibc and V8 pick code paths by CPU features) or
 * another valgrind. Counts are compared count-to-count only when all of it
 * matches.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { z } from 'zod';

/**
 * V8 flags of the counting process. `--no-opt`: the interpreter and baseline
 * code only — see the bench README ("Which V8 mode is counted"). The rest fix
 * what varies between runs: hash and random seeds, the GC schedule,
 * background threads (`--predictable`). The last two only name JavaScript
 * frames for the "where the cost went" lists.
 */
export const COUNT_V8_FLAGS = [
  '--no-opt',
  // Every function is compiled to baseline code at its first call. Left to
  // itself V8 batches functions for baseline compilation and compiles a batch
  // when enough bytecode has queued, so whether a function still ran in the
  // interpreter during a count depended on which functions earlier benchmarks
  // of the same process had queued: queries/by-bot counted 897 instructions an
  // operation first in its process and 1,028 after findings/add-10.
  '--always-sparkplug',
  '--hash-seed=1',
  '--random-seed=1',
  '--predictable',
  '--predictable-gc-schedule',
  '--expose-gc',
  '--no-concurrent-sweeping',
  '--max-old-space-size=4096',
  '--interpreted-frames-native-stack',
  '--perf-basic-prof',
  // No V8 or Node worker threads: fewer counts moved by another thread's timing (context/create
  // varied by 0.8% between processes with them, 0.01% without, in one test of six processes).
  '--single-threaded',
  '--v8-pool-size=0',
] as const;

/** Version of how the counting process measures (calls per benchmark, warm-up); bump when it changes. */
export const COUNT_METHOD = 1;

/**
 * Counting processes per side. What varies between processes of the same code
 * only ever adds instructions (a lazy sweep or an IC miss that lands inside the
 * counted calls), so a side's count is the least of its processes'.
 */
export const COUNT_PROCESSES = 2;

export const CountEnvironmentSchema = z.object({
  node: z.string(),
  v8Flags: z.string(),
  cpuModel: z.string(),
  cpuFlags: z.string(),
  valgrind: z.string(),
  method: z.number().int(),
});
export type CountEnvironment = z.output<typeof CountEnvironmentSchema>;

/** valgrind's version (`valgrind-3.19.0`), or undefined when it cannot be run. */
export function valgrindVersion(): string | undefined {
  try {
    return execFileSync('valgrind', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function cpuFlags(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('flags'));
    return (line?.split(':')[1] ?? '').trim().split(/\s+/).sort().join(' ');
  } catch {
    return 'unknown';
  }
}

/** This machine's count environment; undefined when valgrind is missing. */
export function countEnvironment(): CountEnvironment | undefined {
  const valgrind = valgrindVersion();
  if (valgrind === undefined) return undefined;
  return { node: process.version, v8Flags: COUNT_V8_FLAGS.join(' '), cpuModel: cpus()[0]?.model.trim() ?? 'unknown', cpuFlags: cpuFlags(), valgrind, method: COUNT_METHOD };
}

/** The fields in which two environments differ, each as `field: a ≠ b` (empty when the same). */
export function environmentDifferences(saved: CountEnvironment, here: CountEnvironment): string[] {
  const out: string[] = [];
  for (const key of Object.keys(CountEnvironmentSchema.shape) as Array<keyof CountEnvironment>) {
    if (saved[key] === here[key]) continue;
    // CPU flags are a hundred words: name only the ones that differ.
    if (key === 'cpuFlags') {
      const a = new Set(saved.cpuFlags.split(' '));
      const b = new Set(here.cpuFlags.split(' '));
      const only = (x: Set<string>, y: Set<string>): string[] => [...x].filter((f) => !y.has(f));
      out.push(`CPU flags: saved only ${only(a, b).join(' ') || '—'}; here only ${only(b, a).join(' ') || '—'}`);
    } else out.push(`${key}: ${String(saved[key])} ≠ ${String(here[key])}`);
  }
  return out;
}
