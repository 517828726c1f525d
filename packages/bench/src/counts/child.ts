/**
 * The counting process (`count-sample`, run under callgrind by counts/run.ts):
 * for each benchmark, a fixed number of warm-up calls, a full GC, two more
 * calls, then the counted calls with callgrind's instrumentation on, and one
 * callgrind file dumped per benchmark. Everything is a fixed number of calls,
 * never a time: the same code must execute the same instructions.
 */
import type { BenchCase } from '../cases/case.js';
import { sink } from '../cases/case.js';
import { useReproducibleFixtures } from '../cases/fixtures.js';
import { BenchError } from '../errors.js';
import { parseInjections, withWork, work } from '../inject.js';
import { loadCountHooks } from './hooks.js';

/** The pseudo-benchmark that measures one iteration of the injected work (for calibrating injections). */
export const WORK_CASE = 'inject/work';
const WORK_ITERATIONS = 10_000;

/** Calls per benchmark: warm-up (uncounted), then counted. Part of the count environment (COUNT_METHOD). */
export function countCalls(c: Pick<BenchCase, 'batch'>): { warmup: number; measured: number } {
  // A call of a batched case is 100–1000 operations: a few calls warm its code
  // (the interpreter's feedback, then baseline code). Unbatched ones are whole
  // reports or sessions: more calls, still short under callgrind.
  return c.batch >= 100 ? { warmup: 6, measured: 3 } : { warmup: 20, measured: 3 };
}

/** What the counting process prints after each dump, one JSON line: the operations counted. */
export interface DumpedCase {
  readonly name: string;
  readonly ops: number;
  readonly pid: number;
}

/** Measures `cases` (and the injected work, with `calibrate`); `emit` gets each benchmark as soon as its file is written. */
export function runCountChild(cases: readonly BenchCase[], calibrate: boolean, emit: (d: DumpedCase) => void): void {
  const hooks = loadCountHooks();
  if (!hooks.instrumented) throw new BenchError('FK_BENCH_COUNTS', 'count-sample must run under valgrind --tool=callgrind (bench-fleet.sh compare starts it so)');
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new BenchError('FK_BENCH_COUNTS', 'count-sample needs node --expose-gc');
  useReproducibleFixtures();
  // Compile the hooks' wrappers now: compiled lazily at their first call, the first benchmark's
  // count would include compiling `stop` (seen: +3.5% on health/uncached when measured first).
  hooks.start();
  hooks.stop();
  const injections = parseInjections(process.env.FLEETKIT_BENCH_INJECT);
  const measure = (name: string, fn: () => unknown, batch: number): void => {
    const { warmup, measured } = countCalls({ batch });
    for (let i = 0; i < warmup; i++) sink.value = fn();
    gc();
    // A full GC resets some inline-cache state: two calls re-warm it outside the count.
    for (let i = 0; i < 2; i++) sink.value = fn();
    hooks.start();
    for (let i = 0; i < measured; i++) sink.value = fn();
    hooks.stop();
    hooks.dump(name);
    emit({ name, ops: measured * batch, pid: process.pid });
  };
  for (const c of cases) {
    let fn = c.setup();
    for (const inj of injections) {
      if (inj.name !== c.name) continue;
      if (!('iterationsPerOp' in inj)) throw new BenchError('FK_BENCH_USAGE', `FLEETKIT_BENCH_INJECT: ${inj.name}: counting takes iterations (name:@N), not a time fraction`);
      fn = withWork(fn, c, inj.iterationsPerOp);
    }
    measure(c.name, fn, c.batch);
  }
  if (calibrate) measure(WORK_CASE, () => work(WORK_ITERATIONS), WORK_ITERATIONS);
}
