/**
 * Robust statistics for benchmark samples: quantiles, a seeded bootstrap
 * interval for the median, the Hodges–Lehmann estimator with its
 * distribution-free interval, and Holm's correction for many benchmarks.
 * All pure; units are whatever the samples are in (ns here).
 */

/** Samples sorted ascending (checked by {@link sortSamples}). */
export type SortedSamples = readonly number[] & { readonly __sorted: true };

/** Sorts a copy of the samples. */
export function sortSamples(xs: readonly number[]): SortedSamples {
  if (xs.length === 0) throw new RangeError('no samples');
  return [...xs].sort((a, b) => a - b) as unknown as SortedSamples;
}

/** Linear-interpolated quantile (q in 0..1) of sorted samples. */
export function quantile(s: SortedSamples, q: number): number {
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

/** Mean of the samples. */
export function mean(xs: readonly number[]): number {
  let t = 0;
  for (const x of xs) t += x;
  return t / xs.length;
}

/** A small, fast, seeded PRNG (mulberry32): bootstrap intervals are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A two-sided interval. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * Percentile-bootstrap interval of the median (confidence `level`, e.g. 0.95)
 * from `resamples` resamples, seeded so the same samples give the same interval.
 *
 * A resample's median depends only on how often each sample was drawn, so
 * each resample counts its draws per sample and walks the samples in sorted
 * order to the middle instead of sorting n drawn values: O(n) per resample,
 * not O(n log n). Same draws, same medians, same interval as sorting each
 * resample (test/stats-known-answers checks this against the sorting
 * version), but the 100,000+-sample benchmarks of a run no longer take
 * minutes to sort.
 */
export function bootstrapMedianInterval(xs: readonly number[], level = 0.95, resamples = 1000, seed = 42): Interval {
  const n = xs.length;
  if (n === 1) return { low: xs[0] as number, high: xs[0] as number };
  const rand = prng(seed);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (xs[a] as number) - (xs[b] as number));
  const counts = new Uint32Array(n);
  // 0-based positions of the middle of a resample: one for odd n, two for even n.
  const hiPos = n >> 1;
  const loPos = n % 2 === 1 ? hiPos : hiPos - 1;
  const medians = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(rand() * n) | 0]!++;
    let seen = 0;
    let lo = 0;
    for (let r = 0; r < n; r++) {
      const i = order[r] as number;
      const before = seen;
      seen += counts[i] as number;
      if (before <= loPos && seen > loPos) lo = xs[i] as number;
      if (seen > hiPos) {
        medians[b] = (lo + (xs[i] as number)) / 2;
        break;
      }
    }
  }
  medians.sort();
  const alpha = (1 - level) / 2;
  return { low: medians[Math.floor(alpha * (resamples - 1))] as number, high: medians[Math.ceil((1 - alpha) * (resamples - 1))] as number };
}

/** Standard normal quantile (Acklam's approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0 || p >= 1) throw new RangeError('p must be in (0, 1)');
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  const f = (xs: number[], q: number) => xs.reduce((acc, k) => acc * q + k, 0);
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return f(c, q) / (f(d, q) * q + 1);
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -f(c, q) / (f(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (f(a, r) * q) / (f(b, r) * r + 1);
}

/**
 * Hodges–Lehmann estimate of the centre of paired differences (the median of
 * the Walsh averages) with its distribution-free interval from the Wilcoxon
 * signed-rank statistic (normal approximation for the critical rank).
 */
export function hodgesLehmann(diffs: readonly number[], level = 0.95): { estimate: number } & Interval {
  const n = diffs.length;
  if (n === 0) throw new RangeError('no differences');
  const walsh: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh.push(((diffs[i] as number) + (diffs[j] as number)) / 2);
  walsh.sort((a, b) => a - b);
  const m = walsh.length;
  const estimate = m % 2 === 1 ? (walsh[m >> 1] as number) : ((walsh[(m >> 1) - 1] as number) + (walsh[m >> 1] as number)) / 2;
  const z = normalQuantile(1 - (1 - level) / 2);
  const k = Math.max(0, Math.floor((n * (n + 1)) / 4 - z * Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24)));
  if (k === 0) return { estimate, low: walsh[0] as number, high: walsh[m - 1] as number };
  return { estimate, low: walsh[k - 1] as number, high: walsh[m - k] as number };
}

/**
 * Holm's step-down correction: given the family's p-values, which hypotheses
 * are rejected at family-wise level `alpha`.
 */
export function holm(pValues: readonly number[], alpha = 0.05): boolean[] {
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const rejected = new Array<boolean>(pValues.length).fill(false);
  for (let r = 0; r < order.length; r++) {
    const [p, i] = order[r] as readonly [number, number];
    if (p > alpha / (order.length - r)) break;
    rejected[i] = true;
  }
  return rejected;
}

/**
 * One-sided p-value that the differences are centred at or below `shift`, by
 * the Wilcoxon signed-rank test on `d − shift` (exact null distribution, ties
 * given average ranks, zeros dropped): small when the differences lie clearly
 * above `shift`. More powerful than the sign test for the same rounds, since
 * it uses how far each round is above, not only whether it is.
 */
export function signedRankP(diffs: readonly number[], shift = 0): number {
  const d = diffs.map((x) => x - shift).filter((x) => x !== 0);
  const n = d.length;
  if (n === 0) return 1;
  const order = d.map((x, i) => [Math.abs(x), i] as const).sort((a, b) => a[0] - b[0]);
  // Twice the (average) rank, so tied ranks stay integers.
  const rank2 = new Array<number>(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) rank2[order[k]![1]] = i + j + 2;
    i = j + 1;
  }
  let observed = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += rank2[i]!;
    if (d[i]! > 0) observed += rank2[i]!;
  }
  // Under the null each rank is positive with probability ½: count subsets by their sum.
  const ways = new Float64Array(total + 1);
  ways[0] = 1;
  for (const r of rank2) for (let s = total; s >= r; s--) ways[s]! += ways[s - r]!;
  let tail = 0;
  for (let s = observed; s <= total; s++) tail += ways[s]!;
  return Math.min(1, tail / Math.pow(2, n));
}
