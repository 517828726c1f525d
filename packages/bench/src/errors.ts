/** Errors of @fleetkit/bench, each with a stable code (documented in docs/errors.md). */

export const BENCH_ERROR_CODES = ['FK_BENCH_USAGE', 'FK_BENCH_INPUT', 'FK_BENCH_UNKNOWN_CASE', 'FK_BENCH_CRASHED', 'FK_BENCH_COUNTS'] as const;
export type BenchErrorCode = (typeof BENCH_ERROR_CODES)[number];

/** A bench error; the CLI exits 2 for usage and input errors, 1 for FK_BENCH_CRASHED and FK_BENCH_COUNTS (a gate that could not measure fails). */
export class BenchError extends Error {
  readonly code: BenchErrorCode;
  constructor(code: BenchErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchError';
    this.code = code;
  }
}
