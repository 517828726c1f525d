/** Saved baselines: a run's results with the commit, Node version and CPU they were measured on. */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BenchError } from './errors.js';
import { RunResultSchema } from './result.js';
import type { RunResult } from './result.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function baselinePath(dir: string, name: string): string {
  if (!NAME.test(name)) throw new BenchError('FK_BENCH_USAGE', `invalid baseline name ${JSON.stringify(name)} (letters, digits, . _ -; at most 64)`);
  return join(dir, `${name}.json`);
}

/** Writes a baseline atomically (temp file + rename): a failed write never leaves half a file. */
export function saveBaseline(dir: string, name: string, run: RunResult): string {
  const path = baselinePath(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(run, null, 2)}\n`);
  renameSync(tmp, path);
  return path;
}

/** Reads and validates a baseline; a missing or malformed file is a FK_BENCH_INPUT error. */
export function loadBaseline(dir: string, name: string): RunResult {
  const path = baselinePath(dir, name);
  if (!existsSync(path)) throw new BenchError('FK_BENCH_INPUT', `${path}: no such baseline (saved: ${listBaselines(dir).join(', ') || 'none'})`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new BenchError('FK_BENCH_INPUT', `${path}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const r = RunResultSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new BenchError('FK_BENCH_INPUT', `${path}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return r.data;
}

export function listBaselines(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** How a result compares with a baseline's. */
export interface BaselineDelta {
  readonly name: string;
  readonly baselineNs: number;
  readonly currentNs: number;
  /** current / baseline (after normalising by the reference benchmark when machines differ). */
  readonly ratio: number;
}

/**
 * Compares medians with a baseline. When the baseline was measured on another
 * machine (CPU or Node differ), raw times mean little: each benchmark is then
 * compared as its ratio to a reference benchmark measured in the same run.
 */
export function compareWithBaseline(current: RunResult, baseline: RunResult, reference = 'context/create'): { sameMachine: boolean; deltas: BaselineDelta[] } {
  const sameMachine = current.machine.cpu === baseline.machine.cpu && current.runtime.node === baseline.runtime.node;
  const median = (run: RunResult, name: string): number | undefined => {
    const r = run.results.find((x) => x.name === name);
    return r?.state === 'completed' ? r.stats.medianNs : undefined;
  };
  const refNow = median(current, reference);
  const refThen = median(baseline, reference);
  const deltas: BaselineDelta[] = [];
  for (const r of current.results) {
    if (r.state !== 'completed') continue;
    const then = median(baseline, r.name);
    if (then === undefined) continue;
    let ratio = r.stats.medianNs / then;
    if (!sameMachine && refNow !== undefined && refThen !== undefined) ratio = r.stats.medianNs / refNow / (then / refThen);
    deltas.push({ name: r.name, baselineNs: then, currentNs: r.stats.medianNs, ratio });
  }
  return { sameMachine, deltas };
}
