/** The one interface both benchmark engines sit behind. */
import type { BenchCase } from '../cases/case.js';

/** How long to measure. */
export interface MeasureOptions {
  /** Time spent sampling, ms. */
  readonly timeMs: number;
  /** Time spent warming up first, ms. */
  readonly warmupMs: number;
}

/** A benchmark engine: times a case's function and returns raw samples in ns per operation. */
export interface BenchProvider {
  readonly name: 'tinybench' | 'mitata';
  sample(fn: () => unknown, c: BenchCase, options: MeasureOptions): Promise<number[]>;
}
