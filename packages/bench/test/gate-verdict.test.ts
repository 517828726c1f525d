import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, decide, formatNs, gateMarkdown, judge } from '../src/index.js';

/** Base medians around 1000 ns with a deterministic ±2% wobble; head = base × factor, with its own wobble. */
function rounds(factor: number, n = 10, wobble = 0.02) {
  const base = Array.from({ length: n }, (_, i) => 1000 * (1 + wobble * Math.sin(i * 1.7)));
  const head = base.map((b, i) => b * factor * (1 + wobble * Math.cos(i * 2.3)));
  return { base, head };
}

describe('gate verdicts', () => {
  it('passes the same code (A/A)', () => {
    const rows = decide([{ name: 'a', ...rounds(1) }, { name: 'b', ...rounds(1.01) }]);
    expect(rows.map((r) => r.verdict)).toEqual(['unchanged', 'unchanged']);
  });

  it('fails a clear 30% slowdown, and reports its size with an interval', () => {
    const [row] = decide([{ name: 'slow', ...rounds(1.3) }]);
    expect(row?.verdict).toBe('regressed');
    expect(row?.change).toBeCloseTo(0.3, 1);
    expect(row!.low).toBeGreaterThan(0.1);
    expect(row!.low).toBeLessThan(row!.change);
    expect(row!.high).toBeGreaterThan(row!.change);
  });

  it('does not fail a change that the rounds cannot show to exceed the tolerance', () => {
    const [row] = decide([{ name: 'noisy', ...rounds(1.03, 10, 0.06) }]);
    expect(row?.low).toBeLessThan(0.02);
    expect(row?.verdict).toBe('unchanged');
  });

  it('catches a 5% slowdown that every round shows', () => {
    expect(decide([{ name: 'five', ...rounds(1.05, 16, 0.01) }])[0]?.verdict).toBe('regressed');
  });

  it('calls a clear speed-up an improvement', () => {
    expect(decide([{ name: 'fast', ...rounds(0.7) }])[0]?.verdict).toBe('improved');
  });

  it('corrects for many benchmarks (Holm): a borderline result among many is not enough', () => {
    const few = decide([{ name: 'x', ...rounds(1.05, 6, 0.01) }]);
    const many = decide([{ name: 'x', ...rounds(1.05, 6, 0.01) }, ...Array.from({ length: 20 }, (_, i) => ({ name: `n${i}`, ...rounds(1) }))]);
    expect(few[0]?.verdict).toBe('regressed');
    expect(many[0]?.verdict).toBe('unchanged');
  });

  it('respects the threshold of the policy', () => {
    const r = rounds(1.07);
    expect(decide([{ name: 'x', ...r }])[0]?.verdict).toBe('regressed');
    expect(decide([{ name: 'x', ...r }], { ...DEFAULT_POLICY, threshold: 0.1 })[0]?.verdict).toBe('unchanged');
  });

  it('renders the comparison table', () => {
    const md = gateMarkdown(decide([{ name: 'slow', ...rounds(1.3) }]), formatNs);
    expect(md).toMatch(/^\| Benchmark \| Base \| Head \| Change \| Interval \| Verdict \|/);
    expect(md).toMatch(/\| slow \| 1\.00 µs \| 1\.30 µs \| \+30\.\d% \| \[\+\d+\.\d%, \+\d+\.\d%\] \| ❌ regressed \|/);
  });
});

describe('target verdicts', () => {
  it('is met only when the whole interval is under, missed only when the whole interval is over', () => {
    expect(judge({ ciLowNs: 90, ciHighNs: 99 }, 100)).toBe('met');
    expect(judge({ ciLowNs: 101, ciHighNs: 120 }, 100)).toBe('missed');
    expect(judge({ ciLowNs: 95, ciHighNs: 105 }, 100)).toBe('unsure');
    expect(judge({ ciLowNs: 95, ciHighNs: 100 }, 100)).toBe('unsure');
  });

  it('formats times like the guide', () => {
    expect(formatNs(127)).toBe('127 ns');
    expect(formatNs(1500)).toBe('1.50 µs');
    expect(formatNs(420_000)).toBe('420 µs');
    expect(formatNs(3_200_000)).toBe('3.20 ms');
  });
});
