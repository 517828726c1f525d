/**
 * The harness's known slowdown, for proving the gate: extra work — a
 * calibrated number of loop iterations — added to one or more benchmarks of
 * the head side. Work, not a busy-wait on the clock: under callgrind time runs
 * ~50× slower and a spin of N ns would mean nothing to an instruction count.
 *
 * `FLEETKIT_BENCH_INJECT` lists `name:amount` pairs, comma-separated:
 * - `findings/add-1000:0.05` — 5% of the benchmark's own time per operation,
 *   calibrated in the timing process (the wall-clock signal);
 * - `findings/add-1000:@1234` — 1234 iterations per operation, as the caller
 *   calibrated them from instruction counts (the count signal).
 */
import type { BenchCase } from './cases/case.js';
import { BenchError } from './errors.js';

/**
 * This process's environment without `FLEETKIT_BENCH_INJECT`, for measuring
 * processes: an injection reaches a side only through that side's own
 * environment (gate-accuracy), never from a variable left in the shell, which
 * would slow base and head alike and hide itself.
 */
export function environmentWithoutInjection(): NodeJS.ProcessEnv {
  const { FLEETKIT_BENCH_INJECT: _dropped, ...rest } = process.env;
  return rest;
}

/** One injected slowdown. */
export type Injection = { readonly name: string; readonly fraction: number } | { readonly name: string; readonly iterationsPerOp: number };

/** Parses `FLEETKIT_BENCH_INJECT`; a malformed value is FK_BENCH_USAGE (a gate must not run with a silently ignored injection). */
export function parseInjections(value: string | undefined): Injection[] {
  if (value === undefined || value === '') return [];
  return value.split(',').map((part) => {
    const i = part.lastIndexOf(':');
    const name = part.slice(0, i);
    const amount = part.slice(i + 1);
    if (i <= 0) throw new BenchError('FK_BENCH_USAGE', `FLEETKIT_BENCH_INJECT: ${JSON.stringify(part)} is not name:amount`);
    if (amount.startsWith('@')) {
      const n = Number(amount.slice(1));
      if (!Number.isSafeInteger(n) || n < 0) throw new BenchError('FK_BENCH_USAGE', `FLEETKIT_BENCH_INJECT: ${JSON.stringify(part)}: iterations must be a whole number ≥ 0`);
      return { name, iterationsPerOp: n };
    }
    const fraction = Number(amount);
    if (!Number.isFinite(fraction) || fraction <= 0 || fraction > 10) throw new BenchError('FK_BENCH_USAGE', `FLEETKIT_BENCH_INJECT: ${JSON.stringify(part)}: the fraction must be in (0, 10]`);
    return { name, fraction };
  });
}

let state = 1;

/**
 * `iterations` steps of a linear congruential generator: each depends on the
 * last and the result is kept, so neither the interpreter nor the optimiser
 * can drop or shorten the loop; the cost per iteration is constant.
 */
export function work(iterations: number): number {
  let x = state;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  state = x;
  return x;
}

/** Nanoseconds per iteration of {@link work} in this process (the fastest of a few timings). */
export function nsPerWorkIteration(): number {
  const n = 200_000;
  work(n); // warm up
  let best = Number.POSITIVE_INFINITY;
  for (let k = 0; k < 5; k++) {
    const t0 = process.hrtime.bigint();
    work(n);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / n);
  }
  return best;
}

/** Wraps the timed function of `c` so each call also does `iterationsPerOp × batch` iterations of work. */
export function withWork(fn: () => unknown, c: BenchCase, iterationsPerOp: number): () => unknown {
  const extra = Math.round(iterationsPerOp * c.batch);
  return () => {
    const r = fn();
    work(extra);
    return r;
  };
}
