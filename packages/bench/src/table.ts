/** The target table in the performance guide's form, as Markdown and JSON. */
import type { CaseResult } from './result.js';
import type { Target, Verdict } from './targets.js';
import { formatNs, judge } from './targets.js';

/** One row of the target table. */
export interface TableRow {
  readonly operation: string;
  readonly benchmark: string;
  readonly targetNs: number;
  /** Median, ns; null when the benchmark errored or did not run. */
  readonly currentNs: number | null;
  readonly ciLowNs: number | null;
  readonly ciHighNs: number | null;
  readonly status: Verdict | 'errored' | 'not run';
}

export function targetRows(targets: readonly Target[], results: readonly CaseResult[]): TableRow[] {
  const byName = new Map(results.map((r) => [r.name, r]));
  return targets.map((t) => {
    const r = byName.get(t.benchmark);
    if (r === undefined) return { ...t, currentNs: null, ciLowNs: null, ciHighNs: null, status: 'not run' };
    if (r.state === 'errored') return { ...t, currentNs: null, ciLowNs: null, ciHighNs: null, status: 'errored' };
    return { ...t, currentNs: r.stats.medianNs, ciLowNs: r.stats.ciLowNs, ciHighNs: r.stats.ciHighNs, status: judge(r.stats, t.targetNs) };
  });
}

const ICON: Record<TableRow['status'], string> = { met: '✅', missed: '❌', unsure: '❔ unsure', errored: '💥 errored', 'not run': '– not run' };

/** `| Operation | Target | Current | Status |` */
export function targetTableMarkdown(rows: readonly TableRow[]): string {
  let out = '| Operation | Target | Current | Status |\n|-----------|--------|---------|--------|\n';
  for (const r of rows) {
    const current = r.currentNs === null ? '–' : `~${formatNs(r.currentNs)} (95% CI ${formatNs(r.ciLowNs!)}–${formatNs(r.ciHighNs!)})`;
    out += `| ${r.operation} | <${formatNs(r.targetNs).replace(' ', '')} | ${current} | ${ICON[r.status]} |\n`;
  }
  return out;
}

/** Every measured benchmark. */
export function resultsMarkdown(results: readonly CaseResult[]): string {
  let out = '| Benchmark | Median | Mean | p75 | p99 | Min | Max | Samples |\n|---|---:|---:|---:|---:|---:|---:|---:|\n';
  for (const r of results) {
    if (r.state === 'errored') out += `| ${r.name} | errored: ${r.error.replace(/\|/g, '\\|')} | | | | | | |\n`;
    else {
      const s = r.stats;
      out += `| ${r.name} | ${formatNs(s.medianNs)} | ${formatNs(s.meanNs)} | ${formatNs(s.p75Ns)} | ${formatNs(s.p99Ns)} | ${formatNs(s.minNs)} | ${formatNs(s.maxNs)} | ${s.samples} |\n`;
    }
  }
  return out;
}
