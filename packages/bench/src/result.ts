/** Benchmark results: one schema for both runners, validated when read back. */
import { z } from 'zod';
import { CountEnvironmentSchema } from './counts/environment.js';

/** Per-operation statistics, all in nanoseconds. */
export const StatsSchema = z.object({
  /** Median time per operation, ns. */
  medianNs: z.number().nonnegative(),
  /** Mean time per operation, ns. */
  meanNs: z.number().nonnegative(),
  /** 75th percentile, ns. */
  p75Ns: z.number().nonnegative(),
  /** 99th percentile, ns. */
  p99Ns: z.number().nonnegative(),
  /** Fastest sample, ns. */
  minNs: z.number().nonnegative(),
  /** Slowest sample, ns. */
  maxNs: z.number().nonnegative(),
  /** Lower end of the 95% bootstrap interval of the median, ns. */
  ciLowNs: z.number().nonnegative(),
  /** Upper end of the 95% bootstrap interval of the median, ns. */
  ciHighNs: z.number().nonnegative(),
  /** Timed samples. */
  samples: z.number().int().positive(),
  /** Operations per timed call. */
  batch: z.number().int().positive(),
});

/** The outcome of one benchmark: a union on `state`. */
export const CaseResultSchema = z.discriminatedUnion('state', [
  z.object({ name: z.string(), description: z.string(), state: z.literal('completed'), stats: StatsSchema }),
  z.object({ name: z.string(), description: z.string(), state: z.literal('errored'), error: z.string() }),
]);

/**
 * Instruction counts saved with a baseline: per benchmark, instructions per
 * operation, and the environment they were counted in (compared count-to-count
 * only in the same one). `commit` is the commit counted, which `compare`
 * rebuilds when it must count the base again.
 */
export const SavedCountsSchema = z.object({
  commit: z.string().nullable(),
  createdAt: z.string(),
  environment: CountEnvironmentSchema,
  results: z.array(z.object({ name: z.string(), irPerOp: z.number().positive(), ops: z.number().int().positive() })),
});

/** A whole run. */
export const RunResultSchema = z.object({
  schemaVersion: z.literal(1),
  runner: z.enum(['tinybench', 'mitata']),
  createdAt: z.string(),
  commit: z.string().nullable(),
  runtime: z.object({ node: z.string(), v8: z.string(), platform: z.string(), arch: z.string() }),
  machine: z.object({ cpu: z.string(), cores: z.number().int(), memoryGb: z.number() }),
  results: z.array(CaseResultSchema),
  /** Instruction counts, when the baseline was saved with them (`count --save-baseline`). */
  instructions: SavedCountsSchema.optional(),
});

export type Stats = z.output<typeof StatsSchema>;
export type CaseResult = z.output<typeof CaseResultSchema>;
export type RunResult = z.output<typeof RunResultSchema>;
export type SavedCounts = z.output<typeof SavedCountsSchema>;
