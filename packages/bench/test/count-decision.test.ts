import { describe, expect, it } from 'vitest';
import { decideCounts } from '../src/counts/decide.js';
import type { CountValue } from '../src/counts/decide.js';
import { environmentDifferences } from '../src/counts/environment.js';
import type { CountEnvironment } from '../src/counts/environment.js';
import { combinedMarkdown, verdictLines } from '../src/counts/table.js';
import { environmentWithoutInjection, parseInjections } from '../src/inject.js';
import { formatNs } from '../src/targets.js';

const m = (irPerOp: number): CountValue => ({ state: 'measured', irPerOp });

describe('the count signal decides on instructions per operation', () => {
  const names = ['a', 'b', 'c', 'd', 'e'];
  const base = new Map([
    ['a', m(1000)],
    ['b', m(1000)],
    ['c', m(1000)],
    ['d', m(1000)],
    ['e', m(1000)],
  ]);
  const head = new Map([
    ['a', m(1010)], // exactly +1%: at the threshold fails
    ['b', m(1009.9)], // just under
    ['c', m(980)], // -2%
    ['d', m(1000)],
    ['e', { state: 'not measured', reason: 'the callgrind run timed out after 90 s' } as const],
  ]);
  const rows = decideCounts(names, base, head, 0.01);

  it('flags at or above the threshold and not below it', () => {
    expect(rows.map((r) => r.verdict)).toEqual(['regressed', 'unchanged', 'improved', 'unchanged', 'not measured']);
    expect(rows[0]!.change).toBeCloseTo(0.01, 12);
    expect(rows[2]!.change).toBeCloseTo(-0.02, 12);
  });

  it('a benchmark not measured on either side is not measured, with the reason, and fails the gate', () => {
    expect(rows[4]).toMatchObject({ verdict: 'not measured', baseIrPerOp: 1000, headIrPerOp: null, change: null });
    expect(rows[4]!.reason).toContain('head: the callgrind run timed out');
    const missingBase = decideCounts(['x'], new Map(), new Map([['x', m(5)]]));
    expect(missingBase[0]).toMatchObject({ verdict: 'not measured', reason: 'base: not counted' });
    const { failed, lines } = verdictLines(rows.map((count) => ({ name: count.name, count })));
    expect(failed).toBe(true);
    expect(lines.join('\n')).toMatch(/instruction counts flagged: a \(\+1\.0%\)/);
    expect(lines.join('\n')).toMatch(/not measured .*e — head: the callgrind run timed out/);
  });

  it('nothing flagged and everything measured passes', () => {
    const ok = decideCounts(['a'], new Map([['a', m(100)]]), new Map([['a', m(100.5)]]));
    expect(verdictLines(ok.map((count) => ({ name: count.name, count })))).toEqual({ failed: false, lines: [] });
  });

  it('the table shows both signals and marks what a signal did not measure', () => {
    const md = combinedMarkdown(
      [
        { name: 'a', count: rows[0] },
        { name: 'w', wall: { name: 'w', baseNs: 1000, headNs: 1100, change: 0.1, low: 0.05, high: 0.15, p: 0.001, verdict: 'regressed' } },
      ],
      formatNs,
    );
    expect(md).toContain('| a | 1,000 | 1,010 | +1.0% | ❌ regressed | — | — | — | not timed |');
    expect(md).toMatch(/\| w \| — \| — \| — \| not counted \| .* \| \+10\.0% \[\+5\.0%, \+15\.0%\] \| ❌ regressed \|/);
    const v = verdictLines([{ name: 'w', wall: { name: 'w', baseNs: 1000, headNs: 1100, change: 0.1, low: 0.05, high: 0.15, p: 0.001, verdict: 'regressed' } }]);
    expect(v.lines).toEqual(['- wall-clock flagged: w (+10.0%)']);
  });
});

describe('count environments', () => {
  const env: CountEnvironment = { node: 'v20.20.2', v8Flags: '--no-opt', cpuModel: 'AMD EPYC', cpuFlags: 'avx avx2 sse4_2', valgrind: 'valgrind-3.19.0', method: 1 };
  it('the same environment has no differences', () => {
    expect(environmentDifferences(env, { ...env })).toEqual([]);
  });
  it('names each field that differs, and only the CPU flags that differ', () => {
    expect(environmentDifferences(env, { ...env, node: 'v22.1.0', cpuFlags: 'avx avx512f sse4_2' })).toEqual(['node: v20.20.2 ≠ v22.1.0', 'CPU flags: saved only avx2; here only avx512f']);
  });
});

describe('injected work', () => {
  it('parses fractions (timed) and iteration counts (counted), several at once', () => {
    expect(parseInjections('findings/add-1000:0.05,health/uncached:@1234')).toEqual([
      { name: 'findings/add-1000', fraction: 0.05 },
      { name: 'health/uncached', iterationsPerOp: 1234 },
    ]);
    expect(parseInjections(undefined)).toEqual([]);
  });
  it('rejects a malformed injection instead of running without it', () => {
    expect(() => parseInjections('findings/add-1000')).toThrow(/not name:amount/);
    expect(() => parseInjections('x:@1.5')).toThrow(/whole number/);
    expect(() => parseInjections('x:-1')).toThrow(/fraction/);
  });
});

describe('an injection reaches only the side it is given to', () => {
  it('the measuring processes do not inherit FLEETKIT_BENCH_INJECT from the shell', () => {
    process.env.FLEETKIT_BENCH_INJECT = 'findings/add-1000:0.5';
    try {
      expect(environmentWithoutInjection().FLEETKIT_BENCH_INJECT).toBeUndefined();
      expect(environmentWithoutInjection().PATH).toBe(process.env.PATH);
    } finally {
      delete process.env.FLEETKIT_BENCH_INJECT;
    }
  });
});
