import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootstrapMedianInterval, hodgesLehmann, holm, normalQuantile, quantile, signedRankP, sortSamples } from '../src/index.js';
import { prng } from '../src/stats.js';

/** The bootstrap as first written: sort every resample. The counting version must agree exactly. */
function sortingBootstrap(xs: readonly number[], level = 0.95, resamples = 1000, seed = 42): { low: number; high: number } {
  const n = xs.length;
  if (n === 1) return { low: xs[0]!, high: xs[0]! };
  const rand = prng(seed);
  const medians = new Float64Array(resamples);
  const buf = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) buf[i] = xs[(rand() * n) | 0]!;
    buf.sort();
    medians[r] = n % 2 === 1 ? buf[n >> 1]! : (buf[(n >> 1) - 1]! + buf[n >> 1]!) / 2;
  }
  medians.sort();
  const alpha = (1 - level) / 2;
  return { low: medians[Math.floor(alpha * (resamples - 1))]!, high: medians[Math.ceil((1 - alpha) * (resamples - 1))]! };
}

describe('quantile', () => {
  it('interpolates linearly between order statistics', () => {
    const s = sortSamples([4, 1, 3, 2]);
    expect(quantile(s, 0)).toBe(1);
    expect(quantile(s, 1)).toBe(4);
    expect(quantile(s, 0.5)).toBe(2.5);
    expect(quantile(s, 0.25)).toBeCloseTo(1.75);
  });

  it('refuses an empty sample', () => {
    expect(() => sortSamples([])).toThrow(RangeError);
  });
});

describe('normalQuantile', () => {
  it('matches the standard normal table', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });
});

describe('bootstrapMedianInterval', () => {
  it('gives exactly the interval of sorting every resample (odd and even n, ties)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 120 }), fc.integer({ min: 0, max: 1000 }), (ints, seed) => {
        const xs = ints.map((i) => 100 + i / 4);
        expect(bootstrapMedianInterval(xs, 0.95, 200, seed)).toEqual(sortingBootstrap(xs, 0.95, 200, seed));
      }),
      { numRuns: 150 },
    );
    const big = Array.from({ length: 5000 }, (_, i) => 100 + Math.sin(i) * 10);
    expect(bootstrapMedianInterval(big)).toEqual(sortingBootstrap(big));
  });

  it('contains the median and is reproducible for a seed', () => {
    const xs = Array.from({ length: 101 }, (_, i) => i);
    const a = bootstrapMedianInterval(xs);
    expect(a.low).toBeLessThanOrEqual(50);
    expect(a.high).toBeGreaterThanOrEqual(50);
    expect(bootstrapMedianInterval(xs)).toEqual(a);
  });

  it('is a point for constant samples and widens with spread', () => {
    expect(bootstrapMedianInterval([5, 5, 5, 5])).toEqual({ low: 5, high: 5 });
    const narrow = bootstrapMedianInterval(Array.from({ length: 200 }, (_, i) => 100 + Math.sin(i)));
    const wide = bootstrapMedianInterval(Array.from({ length: 200 }, (_, i) => 100 + 50 * Math.sin(i)));
    expect(wide.high - wide.low).toBeGreaterThan(narrow.high - narrow.low);
  });

  it('covers the true median of a known distribution about 95% of the time', () => {
    // Uniform(0,1): true median 0.5. 200 experiments of 60 samples each.
    let covered = 0;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let e = 0; e < 200; e++) {
      const xs = Array.from({ length: 60 }, rand);
      const ci = bootstrapMedianInterval(xs, 0.95, 400, e);
      if (ci.low <= 0.5 && 0.5 <= ci.high) covered++;
    }
    expect(covered / 200).toBeGreaterThan(0.88);
    expect(covered / 200).toBeLessThanOrEqual(1);
  });
});

describe('hodgesLehmann', () => {
  it('estimates the centre of the Walsh averages', () => {
    // Walsh averages of [1, 2, 3]: 1, 1.5, 2, 2, 2.5, 3 → median 2
    expect(hodgesLehmann([1, 2, 3]).estimate).toBe(2);
    expect(hodgesLehmann([0, 0, 0, 10]).estimate).toBe(0);
  });

  it('finds a shift added to symmetric noise inside its interval', () => {
    const noise = [-3, -2, -1, -0.5, 0, 0.5, 1, 2, 3, -1.5, 1.5, -2.5, 2.5, 0.2, -0.2];
    const hl = hodgesLehmann(noise.map((x) => x + 10), 0.95);
    expect(hl.estimate).toBeCloseTo(10, 6);
    expect(hl.low).toBeLessThan(10);
    expect(hl.high).toBeGreaterThan(10);
    expect(hl.low).toBeGreaterThan(8);
  });

  it('gives an interval that always contains its estimate (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), (d) => {
        const h = hodgesLehmann(d);
        expect(h.low).toBeLessThanOrEqual(h.estimate);
        expect(h.high).toBeGreaterThanOrEqual(h.estimate);
      }),
    );
  });
});

describe('holm', () => {
  it('steps down: rejects in order of p until one fails its level', () => {
    // alpha 0.05, m = 4: thresholds 0.0125, 0.0167, 0.025, 0.05
    expect(holm([0.01, 0.04, 0.03, 0.005])).toEqual([true, false, false, true]);
    expect(holm([0.01, 0.015, 0.02, 0.04])).toEqual([true, true, true, true]);
    expect(holm([0.02, 0.001])).toEqual([true, true]);
    expect(holm([0.03, 0.03])).toEqual([false, false]);
  });
});

describe('signedRankP', () => {
  it('matches the exact signed-rank distribution', () => {
    // All ten rounds above: only one of 2^10 sign patterns is as extreme.
    expect(signedRankP(Array.from({ length: 10 }, (_, i) => i + 1), 0)).toBeCloseTo(1 / 1024, 12);
    // Ranks 1..5 with rank 4 negative: W+ = 11; subsets of {1..5} summing to ≥ 11 are 7 of 32.
    expect(signedRankP([1, 2, 3, -4, 5], 0)).toBeCloseTo(7 / 32, 12);
    // Shifting moves the reference: the same data against shift 10 are all below.
    expect(signedRankP([11, 12, 13], 10)).toBeCloseTo(1 / 8, 12);
    expect(signedRankP([1, 2, 3], 10)).toBe(1);
    expect(signedRankP([], 0)).toBe(1);
  });

  it('gives tied magnitudes their average rank', () => {
    // |d| = 1,1,2: ranks 1.5,1.5,3; W+ = 1.5 + 3 = 4.5; sign patterns with W+ ≥ 4.5: {1.5,3} twice and all three = 3/8.
    expect(signedRankP([1, -1, 2], 0)).toBeCloseTo(3 / 8, 12);
  });
});
