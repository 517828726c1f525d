/**
 * The harness's known slowdown, for proving the gate: a calibrated busy-wait
 * added to one benchmark of the head side (`FLEETKIT_BENCH_INJECT=name:0.10`
 * adds 10% of that benchmark's own measured time per operation).
 */
import type { BenchCase } from './cases/case.js';

export function parseInjection(value: string | undefined): { name: string; fraction: number } | undefined {
  if (value === undefined || value === '') return undefined;
  const i = value.lastIndexOf(':');
  const fraction = Number(value.slice(i + 1));
  if (i <= 0 || !Number.isFinite(fraction) || fraction <= 0 || fraction > 10) return undefined;
  return { name: value.slice(0, i), fraction };
}

function spin(ns: number): void {
  const end = process.hrtime.bigint() + BigInt(Math.round(ns));
  while (process.hrtime.bigint() < end) {
    /* busy-wait: a slowdown that costs CPU like real work does */
  }
}

/** Wraps the timed function of `c` so each call takes `extraNsPerOp × batch` longer. */
export function slowDown(fn: () => unknown, c: BenchCase, extraNsPerOp: number): () => unknown {
  const extra = extraNsPerOp * c.batch;
  return () => {
    const r = fn();
    spin(extra);
    return r;
  };
}
