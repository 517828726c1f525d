/**
 * The Rust original's figures, measured on the development machine, as a
 * reference column beside fleetkit's own results: read and validated from
 * `reference/rust-original.json`, judged from measured intervals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BenchError } from './errors.js';
import { pkgDir } from './paths.js';
import type { CaseResult } from './result.js';
import type { Verdict } from './targets.js';
import { formatNs, judge } from './targets.js';

export const defaultReferencePath = join(pkgDir, 'reference', 'rust-original.json');

export const ReferenceFileSchema = z.strictObject({
  schemaVersion: z.literal(1),
  source: z.string().min(1),
  rows: z
    .array(
      z.strictObject({
        /** fleetkit's benchmark doing the original's work. */
        benchmark: z.string().min(1),
        /** The original's benchmark, or null where it has none. */
        original: z.string().min(1).nullable(),
        /** The original's median of each run, ns. */
        runsNs: z.array(z.number().positive()).min(1).nullable(),
        /** False where fleetkit does more than the original (its figure is then shown, not judged against). */
        equalWork: z.boolean().default(true),
        /** What fleetkit must reach when it is not the lower of the original's runs. */
        targetNs: z.number().positive().optional(),
        why: z.string().optional(),
      }),
    )
    .min(1),
});
export type ReferenceFile = z.output<typeof ReferenceFileSchema>;
export type ReferenceEntry = ReferenceFile['rows'][number];

/** Reads and validates a reference file; a bad file is a FK_BENCH_INPUT error naming the file and field. */
export function readReference(path: string = defaultReferencePath): ReferenceFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new BenchError('FK_BENCH_INPUT', `${path}: cannot read the reference figures (${(err as Error).message})`, { cause: err });
  }
  const r = ReferenceFileSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new BenchError('FK_BENCH_INPUT', `${path}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  for (const [k, row] of r.data.rows.entries()) {
    if (row.targetNs === undefined && row.runsNs === null) throw new BenchError('FK_BENCH_INPUT', `${path}: rows.${k}: a row without the original's figures needs targetNs`);
  }
  return r.data;
}

/** One row of the comparison with the original. */
export interface ReferenceRow {
  readonly benchmark: string;
  readonly original: string | null;
  readonly originalNs: readonly number[] | null;
  readonly equalWork: boolean;
  /** What fleetkit is judged against: `targetNs`, else the lower of the original's runs. */
  readonly targetNs: number;
  readonly currentNs: number | null;
  readonly ciLowNs: number | null;
  readonly ciHighNs: number | null;
  /** fleetkit's median over the original's (lower run); below 1 is faster. */
  readonly ratio: number | null;
  readonly status: Verdict | 'errored' | 'not run';
  readonly why?: string;
}

export function referenceRows(reference: ReferenceFile, results: readonly CaseResult[]): ReferenceRow[] {
  const byName = new Map(results.map((r) => [r.name, r]));
  return reference.rows.map((e) => {
    const low = e.runsNs === null ? null : Math.min(...e.runsNs);
    const base = { benchmark: e.benchmark, original: e.original, originalNs: e.runsNs, equalWork: e.equalWork, targetNs: e.targetNs ?? low!, ...(e.why === undefined ? {} : { why: e.why }) };
    const r = byName.get(e.benchmark);
    if (r === undefined || r.state === 'errored') return { ...base, currentNs: null, ciLowNs: null, ciHighNs: null, ratio: null, status: r === undefined ? 'not run' : 'errored' };
    const s = r.stats;
    return { ...base, currentNs: s.medianNs, ciLowNs: s.ciLowNs, ciHighNs: s.ciHighNs, ratio: low === null ? null : s.medianNs / low, status: judge(s, base.targetNs) };
  });
}

const ICON: Record<ReferenceRow['status'], string> = { met: '✅', missed: '❌', unsure: '❔ unsure', errored: '💥 errored', 'not run': '– not run' };

const range = (ns: readonly number[]): string => {
  const lo = Math.min(...ns);
  const hi = Math.max(...ns);
  return lo === hi ? formatNs(lo) : `${formatNs(lo)}–${formatNs(hi)}`;
};

/** The comparison as Markdown; rows whose benchmark did not run are left out (`run --scale` runs the 100k row). */
export function referenceMarkdown(rows: readonly ReferenceRow[]): string {
  let out = '| Benchmark | fleetkit (95% CI) | original (Rust, measured here) | Ratio | Target | Status |\n|---|---|---|---:|---|---|\n';
  let notes = '';
  for (const r of rows) {
    if (r.status === 'not run') continue;
    const now = r.currentNs === null ? '–' : `${formatNs(r.currentNs)} (${formatNs(r.ciLowNs!)}–${formatNs(r.ciHighNs!)})`;
    const orig = r.originalNs === null ? '–' : `${range(r.originalNs)}${r.equalWork ? '' : ' ¹'}`;
    const ratio = r.ratio === null ? '' : `${r.ratio.toFixed(2)}×`;
    out += `| ${r.benchmark} | ${now} | ${orig} | ${ratio} | ≤ ${formatNs(r.targetNs)} | ${ICON[r.status]} |\n`;
  }
  if (rows.some((r) => !r.equalWork && r.status !== 'not run')) notes += '\n¹ Not equal work: the original\'s reports give counts only; fleetkit\'s list every finding, so their target is a budget of their own.\n';
  return out + notes;
}
