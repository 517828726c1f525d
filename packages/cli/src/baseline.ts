/**
 * Comparing a session with an older one (its baseline). Findings are matched
 * by fingerprint as a multiset: the fingerprint leaves out the line, so one
 * fingerprint can occur several times in a session (the same rule and message
 * at several places in one file), and each occurrence is counted. With k
 * occurrences in the baseline and m in head, min(k, m) are unchanged,
 * max(0, m − k) are new and max(0, k − m) are absent. Which ones are new is
 * decided by pairing occurrences by nearest line, so a finding that only
 * moved pairs with its old self and the others are reported as new.
 */
import type { Finding } from '@fleetkit/shared-context';
import { findingFingerprint } from '@fleetkit/shared-context';

/** The comparison of current findings with a baseline's. */
export interface BaselineComparison {
  /** Ids of current findings that have no partner in the baseline. */
  readonly newIds: ReadonlySet<string>;
  /** Number of current findings paired with a baseline finding. */
  readonly unchanged: number;
  /** Baseline findings with no partner in the current findings (gone, or fewer occurrences now). */
  readonly absent: readonly Finding[];
  /** Current finding id → the baseline finding it was paired with. */
  readonly matches: ReadonlyMap<string, Finding>;
}

/**
 * Above this many cells (the shorter group's size times one more than the
 * difference of the sizes), the optimal pairing gives way to a linear greedy
 * one; the counts are exact either way, only which occurrences are called new
 * may differ from the optimum.
 */
const OPTIMAL_PAIRING_LIMIT = 4_000_000;

/** Lines of findings without one sort last and sit far from every real line. */
const NO_LINE = Number.MAX_SAFE_INTEGER;

/**
 * Compares `current` with `baseline` by fingerprint (source, rule, file,
 * normalised message; not the line), counting repeats: see the module
 * comment. Pure; O(n) plus the pairing within groups of equal fingerprints.
 */
export function compareWithBaseline(current: Iterable<Finding>, baseline: Iterable<Finding>): BaselineComparison {
  const before = groupByFingerprint(baseline);
  const after = groupByFingerprint(current);
  const newIds = new Set<string>();
  const matches = new Map<string, Finding>();
  const absent: Finding[] = [];
  for (const [fp, head] of after) {
    const old = before.get(fp);
    if (old === undefined) {
      for (const f of head) newIds.add(f.id);
      continue;
    }
    const paired = pairByLine(head, old);
    for (const [h, b] of paired) matches.set(h.id, b);
    if (head.length > paired.size) for (const f of head) if (!paired.has(f)) newIds.add(f.id);
    if (old.length > paired.size) {
      const used = new Set(paired.values());
      for (const f of old) if (!used.has(f)) absent.push(f);
    }
  }
  for (const [fp, old] of before) if (!after.has(fp)) absent.push(...old);
  return { newIds, unchanged: matches.size, absent, matches };
}

function groupByFingerprint(findings: Iterable<Finding>): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const fp = findingFingerprint(f);
    const group = groups.get(fp);
    if (group === undefined) groups.set(fp, [f]);
    else group.push(f);
  }
  return groups;
}

const lineOf = (f: Finding): number => f.line ?? NO_LINE;
const byLine = (a: Finding, b: Finding): number => lineOf(a) - lineOf(b);

/**
 * Pairs min(|head|, |old|) findings of one fingerprint group so that the sum
 * of line distances is smallest; returns head finding → old finding.
 */
function pairByLine(head: readonly Finding[], old: readonly Finding[]): Map<Finding, Finding> {
  if (head.length === 1 && old.length === 1) return new Map([[head[0] as Finding, old[0] as Finding]]);
  const h = [...head].sort(byLine);
  const o = [...old].sort(byLine);
  // The pairing is computed from the shorter list's side: every one of its items gets a partner.
  const headShorter = h.length <= o.length;
  const few = headShorter ? h : o;
  const many = headShorter ? o : h;
  const picks = few.length * (many.length - few.length + 1) <= OPTIMAL_PAIRING_LIMIT ? optimalPicks(few, many) : greedyPicks(few, many);
  const pairs = new Map<Finding, Finding>();
  for (const [i, j] of picks.entries()) {
    const a = few[i] as Finding;
    const b = many[j] as Finding;
    if (headShorter) pairs.set(a, b);
    else pairs.set(b, a);
  }
  return pairs;
}

/**
 * For points on a line, some optimal pairing never crosses, so it keeps both
 * sorted orders; then few[i] pairs with many[i + t] for some 0 <= t <= slack,
 * where slack = |many| − |few|. cost[i][t] = least total distance pairing
 * few[0..i) within many[0..i + t). n·(slack + 1) steps: an unchanged group of
 * any size with a few findings added or removed is cheap. Returns, for each
 * item of `few`, the index of its partner in `many`.
 */
function optimalPicks(few: readonly Finding[], many: readonly Finding[]): number[] {
  const n = few.length;
  const slack = many.length - n;
  const width = slack + 1;
  const cost = new Float64Array((n + 1) * width);
  const took = new Uint8Array((n + 1) * width);
  for (let i = 1; i <= n; i++) {
    const line = lineOf(few[i - 1] as Finding);
    for (let t = 0; t <= slack; t++) {
      const take = (cost[(i - 1) * width + t] as number) + Math.abs(line - lineOf(many[i + t - 1] as Finding));
      const skip = t === 0 ? Infinity : (cost[i * width + t - 1] as number);
      // On a tie the earlier candidate keeps the pair, so the result does not depend on input order.
      if (take < skip) {
        cost[i * width + t] = take;
        took[i * width + t] = 1;
      } else cost[i * width + t] = skip;
    }
  }
  const picks = new Array<number>(n);
  for (let i = n, t = slack; i > 0; ) {
    if (took[i * width + t] === 1) {
      picks[i - 1] = i + t - 1;
      i--;
    } else t--;
  }
  return picks;
}

/**
 * Linear fallback for huge groups: each item of `few`, in line order, takes
 * the nearest still-free item of `many` at or after the previous pick that
 * leaves enough items for the rest.
 */
function greedyPicks(few: readonly Finding[], many: readonly Finding[]): number[] {
  const picks: number[] = [];
  let j = 0;
  for (let i = 0; i < few.length; i++) {
    const line = lineOf(few[i] as Finding);
    const last = many.length - (few.length - i);
    while (j < last && Math.abs(lineOf(many[j + 1] as Finding) - line) < Math.abs(lineOf(many[j] as Finding) - line)) j++;
    picks.push(j++);
  }
  return picks;
}
