import { describe, expect, it } from 'vitest';
import type { BenchCase } from '../src/index.js';
import { executePlan } from '../src/execute.js';
import type { RunPlan } from '../src/plan.js';
import { planRun } from '../src/plan.js';
import type { ProgressLine } from '../src/progress.js';
import type { MeasureOptions } from '../src/providers/provider.js';
import type { CaseResult } from '../src/result.js';
import { statsOf } from '../src/run.js';

const bench = (name: string): BenchCase => ({ name, description: name, batch: 1, setup: () => () => undefined });
/** Table order: c (no target) first, then the two targets. */
const CASES = [bench('c'), bench('a'), bench('b')];
const TARGETS = [
  { operation: 'A', benchmark: 'a', targetNs: 100 },
  { operation: 'B', benchmark: 'b', targetNs: 100 },
];

/** 201 samples evenly over [lo, hi]: a median interval well inside it. */
const spread = (lo: number, hi: number): number[] => Array.from({ length: 201 }, (_, i) => lo + ((hi - lo) * i) / 200);
const FAR_UNDER = spread(40, 50);
const FAR_OVER = spread(200, 210);
const STRADDLING = spread(60, 140);

/**
 * A fake measurer: each call of a benchmark takes the next scripted sample
 * set (the last one repeats), advances a fake clock by the time it would take,
 * and records what was asked.
 */
function fakeRun(script: Record<string, Array<readonly number[] | 'crash'>>) {
  const calls: Array<{ name: string; timing: MeasureOptions }> = [];
  const events: string[] = [];
  let clock = 0;
  const measure = async (c: BenchCase, timing: MeasureOptions): Promise<CaseResult> => {
    const seen = calls.filter((x) => x.name === c.name).length;
    calls.push({ name: c.name, timing });
    events.push(`measure ${c.name}`);
    clock += timing.timeMs + timing.warmupMs;
    const list = script[c.name] ?? [FAR_UNDER];
    const samples = list[Math.min(seen, list.length - 1)]!;
    if (samples === 'crash') return { name: c.name, description: c.name, state: 'errored', error: 'boom' };
    return { name: c.name, description: c.name, state: 'completed', stats: statsOf(samples, 1) };
  };
  const shown: string[] = [];
  const progress: ProgressLine = { show: (k, n, name, note) => shown.push(`${k}/${n} ${name}${note === undefined ? '' : ` (${note})`}`), clear: () => shown.push('clear') };
  return { measure, calls, events, shown, progress, now: () => clock };
}

const defaultPlan = (): RunPlan => planRun('default', CASES, TARGETS);

describe('deciding the target table', () => {
  it('decides rows far from their targets from one short measurement', async () => {
    const f = fakeRun({ a: [FAR_UNDER], b: [FAR_OVER] });
    const exec = await executePlan(defaultPlan(), TARGETS, f);
    expect(exec.rows.map((r) => r.status)).toEqual(['met', 'missed']);
    expect(exec.remeasured).toEqual([]);
    expect(f.calls.map((c) => c.name)).toEqual(['a', 'b', 'c']);
  });

  it('measures an unsure row again, three times longer, and keeps the new verdict', async () => {
    const f = fakeRun({ a: [FAR_UNDER], b: [STRADDLING, FAR_UNDER] });
    const exec = await executePlan(defaultPlan(), TARGETS, f);
    expect(exec.rows.map((r) => r.status)).toEqual(['met', 'met']);
    expect(f.calls.map((c) => c.name)).toEqual(['a', 'b', 'b', 'c']);
    expect(f.calls[2]!.timing).toEqual({ timeMs: 1500, warmupMs: 100 });
    expect(exec.remeasured).toEqual([{ benchmark: 'b', attempt: 1, timing: { timeMs: 1500, warmupMs: 100 }, status: 'met' }]);
  });

  it('re-measures at most twice and then reports the row unsure', async () => {
    const f = fakeRun({ b: [STRADDLING] });
    const exec = await executePlan(defaultPlan(), TARGETS, f);
    expect(exec.rows.find((r) => r.benchmark === 'b')?.status).toBe('unsure');
    expect(exec.remeasured.map((r) => r.attempt)).toEqual([1, 2]);
    expect(f.calls.filter((c) => c.name === 'b')).toHaveLength(3);
    expect(exec.outOfBudget).toEqual([]);
  });

  it('can also turn an unsure row into missed', async () => {
    const f = fakeRun({ b: [STRADDLING, STRADDLING, FAR_OVER] });
    const exec = await executePlan(defaultPlan(), TARGETS, f);
    expect(exec.rows.find((r) => r.benchmark === 'b')?.status).toBe('missed');
  });

  it('does not start a re-measurement that would overrun the time budget, and says so', async () => {
    const plan: RunPlan = { ...defaultPlan(), remeasure: { attempts: 2, factor: 3, budgetMs: 2000 } };
    const f = fakeRun({ b: [STRADDLING] });
    const exec = await executePlan(plan, TARGETS, f);
    expect(f.calls.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    expect(exec.rows.find((r) => r.benchmark === 'b')?.status).toBe('unsure');
    expect(exec.outOfBudget).toEqual(['b']);
  });

  it('does not re-measure a crashed benchmark', async () => {
    const f = fakeRun({ a: ['crash'] });
    const exec = await executePlan(defaultPlan(), TARGETS, f);
    expect(exec.rows[0]?.status).toBe('errored');
    expect(f.calls.filter((c) => c.name === 'a')).toHaveLength(1);
  });
});

describe('when the table is handed over', () => {
  it('default: as soon as the targets are decided, before the other benchmarks', async () => {
    const f = fakeRun({ b: [STRADDLING, FAR_UNDER] });
    await executePlan(defaultPlan(), TARGETS, { ...f, onTable: (d) => f.events.push(`table ${d.rows.map((r) => r.status).join(',')}`) });
    expect(f.events).toEqual(['measure a', 'measure b', 'measure b', 'table met,met', 'measure c']);
  });

  it('--quick: after every benchmark, as before', async () => {
    const f = fakeRun({ b: [STRADDLING, FAR_UNDER] });
    await executePlan(planRun('quick', CASES, TARGETS), TARGETS, { ...f, onTable: () => f.events.push('table') });
    expect(f.events).toEqual(['measure c', 'measure a', 'measure b', 'measure b', 'table']);
    expect(f.calls[3]!.timing).toEqual({ timeMs: 750, warmupMs: 50 });
  });

  it('lists results in table order whatever the measuring order', async () => {
    const exec = await executePlan(defaultPlan(), TARGETS, fakeRun({}));
    expect(exec.results.map((r) => r.name)).toEqual(['c', 'a', 'b']);
  });
});

describe('progress', () => {
  it('shows benchmark k of n with the name, the re-measurement, and clears at the end', async () => {
    const f = fakeRun({ b: [STRADDLING, FAR_UNDER] });
    await executePlan(defaultPlan(), TARGETS, f);
    expect(f.shown).toEqual(['1/3 a', '2/3 b', '2/3 b (unsure, measuring again for 1.5 s (attempt 1 of 2))', '3/3 c', 'clear']);
  });
});
