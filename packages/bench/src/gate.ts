/**
 * The regression gate's decision, from paired per-round measurements.
 *
 * Each round runs base and head in fresh processes (ABBA order), so each
 * round gives one log-ratio log(head/base) per benchmark, paired against the
 * load the machine had at that moment. A benchmark regresses when a one-sided
 * Wilcoxon signed-rank test, Holm-corrected over all benchmarks, shows its
 * log-ratios to lie above log(1 + threshold) — that is, when the slowdown is
 * shown, at the family-wise level, to exceed the tolerated threshold — and the
 * Hodges–Lehmann estimate agrees. Anything flagged is re-measured once by the
 * caller before the gate fails.
 *
 * Why the threshold is a tolerance (default 2%) and not the size to catch:
 * a rule "fail when the whole interval is above +10%" catches a true 10%
 * regression at most half the time (its interval straddles 10%) and a 5% one
 * never; gate-accuracy measures what this rule catches at 5% and 10%.
 */
import { hodgesLehmann, holm, signedRankP } from './stats.js';

/** One benchmark's paired rounds: medians (ns) of base and head per round. */
export interface PairedRounds {
  readonly name: string;
  readonly base: readonly number[];
  readonly head: readonly number[];
}

/** The gate's finding for one benchmark. */
export interface GateRow {
  readonly name: string;
  /** Median of base medians, ns. */
  readonly baseNs: number;
  /** Median of head medians, ns. */
  readonly headNs: number;
  /** Estimated change (head/base − 1), e.g. 0.12 for +12%. */
  readonly change: number;
  /** Interval of the change at the gate's confidence. */
  readonly low: number;
  readonly high: number;
  /** Decision input before Holm's correction: the signed-rank p-value against the threshold. */
  readonly p: number;
  readonly verdict: 'regressed' | 'improved' | 'unchanged';
}

/** Gate settings. */
export interface GatePolicy {
  /** Relative slowdown tolerated: a benchmark fails when shown to be slower than this. @default 0.02 */
  readonly threshold: number;
  /** Family-wise error rate (Holm). @default 0.05 */
  readonly alpha: number;
  /** Confidence of the per-benchmark interval. @default 0.99 */
  readonly level: number;
}

export const DEFAULT_POLICY: GatePolicy = { threshold: 0.02, alpha: 0.05, level: 0.99 };

const med = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Decides each benchmark from its paired rounds. */
export function decide(rows: readonly PairedRounds[], policy: GatePolicy = DEFAULT_POLICY): GateRow[] {
  const limit = Math.log1p(policy.threshold);
  const prelim = rows.map((r) => {
    const n = Math.min(r.base.length, r.head.length);
    const diffs = Array.from({ length: n }, (_, i) => Math.log((r.head[i] as number) / (r.base[i] as number)));
    const hl = hodgesLehmann(diffs, policy.level);
    return { r, hl, p: signedRankP(diffs, limit) };
  });
  const rejected = holm(
    prelim.map((x) => x.p),
    policy.alpha,
  );
  return prelim.map(({ r, hl, p }, i) => {
    const regressed = rejected[i] === true && hl.estimate > limit;
    const improved = hl.high < -limit;
    return {
      name: r.name,
      baseNs: med(r.base),
      headNs: med(r.head),
      change: Math.expm1(hl.estimate),
      low: Math.expm1(hl.low),
      high: Math.expm1(hl.high),
      p,
      verdict: regressed ? 'regressed' : improved ? 'improved' : 'unchanged',
    };
  });
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

/** The comparison table: benchmark, base, head, change, interval, verdict. */
export function gateMarkdown(rows: readonly GateRow[], fmt: (ns: number) => string): string {
  let out = '| Benchmark | Base | Head | Change | Interval | Verdict |\n|---|---:|---:|---:|---|---|\n';
  for (const r of rows) {
    const icon = r.verdict === 'regressed' ? '❌ regressed' : r.verdict === 'improved' ? '✅ improved' : '➖ unchanged';
    out += `| ${r.name} | ${fmt(r.baseNs)} | ${fmt(r.headNs)} | ${pct(r.change)} | [${pct(r.low)}, ${pct(r.high)}] | ${icon} |\n`;
  }
  return out;
}
