/** The target table: read, validated, and judged from measured intervals. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BenchError } from './errors.js';
import type { Stats } from './result.js';

export const TargetsFileSchema = z.strictObject({
  schemaVersion: z.literal(1),
  source: z.string().optional(),
  targets: z
    .array(z.strictObject({ operation: z.string().min(1), benchmark: z.string().min(1), targetNs: z.number().positive() }))
    .min(1),
});
export type TargetsFile = z.output<typeof TargetsFileSchema>;
export type Target = TargetsFile['targets'][number];

/** Reads and validates a targets file; a bad file is a FK_BENCH_INPUT error naming the file and field. */
export function readTargets(path: string): TargetsFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new BenchError('FK_BENCH_INPUT', `${path}: cannot read targets (${(err as Error).message})`, { cause: err });
  }
  const r = TargetsFileSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new BenchError('FK_BENCH_INPUT', `${path}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return r.data;
}

/** met: the whole interval is under the target; missed: the whole interval is over; else unsure. */
export type Verdict = 'met' | 'missed' | 'unsure';

export function judge(stats: Pick<Stats, 'ciLowNs' | 'ciHighNs'>, targetNs: number): Verdict {
  if (stats.ciHighNs < targetNs) return 'met';
  if (stats.ciLowNs > targetNs) return 'missed';
  return 'unsure';
}

/** `127 ns`, `1.50 µs`, `420 µs`, `3.20 ms`. */
export function formatNs(ns: number): string {
  if (ns < 1000) return `${ns.toFixed(ns < 10 ? 1 : 0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(ns < 1e4 ? 2 : ns < 1e5 ? 1 : 0)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : 1)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}
