import { describe, expect, it } from 'vitest';
import { ALL_CASES, readTargets } from '../src/index.js';
import { parseOptions, runMode } from '../src/options.js';
import { DEFAULT_TABLE_BUDGET_MS, TIMINGS, planRun, selectCases } from '../src/plan.js';
import { join, resolve } from 'node:path';

const targets = readTargets(join(resolve(import.meta.dirname, '..'), 'targets.json')).targets;
const TARGET_ORDER = targets.map((t) => t.benchmark);
const modeOf = (...argv: string[]) => runMode(parseOptions(['run', ...argv]).o);
const planFor = (...argv: string[]) => {
  const { o } = parseOptions(['run', ...argv]);
  return planRun(runMode(o), selectCases(o), targets);
};

describe('run options', () => {
  it('defaults to the fast plan; --quick is CI’s, --full the long run', () => {
    expect(modeOf()).toBe('default');
    expect(modeOf('--quick')).toBe('quick');
    expect(modeOf('--quick', '--gate')).toBe('quick');
    expect(modeOf('--full')).toBe('full');
    expect(modeOf('--scale', '--full')).toBe('full');
  });

  it('refuses --quick with --full', () => {
    expect(() => parseOptions(['run', '--quick', '--full'])).toThrow(expect.objectContaining({ code: 'FK_BENCH_USAGE', message: expect.stringMatching(/--quick and --full/) }));
  });

  it('selects the 1,000,000-finding scenarios only with --scale --full', () => {
    const names = (...argv: string[]) => selectCases(parseOptions(['run', ...argv]).o).map((c) => c.name);
    expect(names().some((n) => n.startsWith('scale/'))).toBe(false);
    expect(names('--full').some((n) => n.startsWith('scale/'))).toBe(false);
    expect(names('--scale').filter((n) => n.endsWith('-1m'))).toEqual([]);
    expect(names('--scale', '--full').filter((n) => n.endsWith('-1m')).length).toBeGreaterThan(0);
  });
});

describe('the default plan', () => {
  const plan = planFor();

  it('measures the target table’s benchmarks first, in the table’s order, then the others in table order', () => {
    const names = plan.steps.map((s) => s.case.name);
    expect(names.slice(0, plan.tableAfter)).toEqual(TARGET_ORDER);
    const rest = ALL_CASES.filter((c) => !c.scale && !TARGET_ORDER.includes(c.name)).map((c) => c.name);
    expect(names.slice(plan.tableAfter)).toEqual(rest);
    expect(new Set(names).size).toBe(names.length);
    expect(plan.steps.every((s, i) => s.target === i < plan.tableAfter)).toBe(true);
  });

  it('measures targets 0.5 s and the others 0.25 s, prints the table early, and bounds re-measuring', () => {
    expect(plan.steps.slice(0, plan.tableAfter).every((s) => s.timing === TIMINGS.default.targets)).toBe(true);
    expect(plan.steps.slice(plan.tableAfter).every((s) => s.timing === TIMINGS.default.others)).toBe(true);
    expect(TIMINGS.default.targets).toEqual({ timeMs: 500, warmupMs: 100 });
    expect(TIMINGS.default.others).toEqual({ timeMs: 250, warmupMs: 50 });
    expect(plan.earlyTable).toBe(true);
    expect(plan.remeasure).toEqual({ attempts: 2, factor: 3, budgetMs: DEFAULT_TABLE_BUDGET_MS });
    expect(Number.isFinite(plan.remeasure.budgetMs)).toBe(true);
  });

  it('keeps results in table order and honours --filter', () => {
    expect(plan.cases.map((c) => c.name)).toEqual(ALL_CASES.filter((c) => !c.scale).map((c) => c.name));
    const filtered = planFor('--filter', 'findings');
    expect(filtered.steps.map((s) => s.case.name)).toEqual(['findings/add-single', 'findings/add-1000', 'findings/add-warm', 'findings/add-10', 'findings/add-100', 'findings/add-batch-1000']);
    expect(filtered.tableAfter).toBe(2);
  });

  it('puts --scale scenarios after the table', () => {
    const scaled = planFor('--scale');
    const firstScale = scaled.steps.findIndex((s) => s.case.scale === true);
    expect(firstScale).toBeGreaterThanOrEqual(scaled.tableAfter);
  });
});

describe('the --quick and --full plans', () => {
  it('--quick: every benchmark 0.25 s in table order, the table at the end, re-measuring unbounded (as before)', () => {
    const plan = planFor('--quick');
    expect(plan.steps.map((s) => s.case.name)).toEqual(ALL_CASES.filter((c) => !c.scale).map((c) => c.name));
    expect(plan.steps.every((s) => s.timing.timeMs === 250 && s.timing.warmupMs === 50)).toBe(true);
    expect(plan.tableAfter).toBe(plan.steps.length);
    expect(plan.earlyTable).toBe(false);
    expect(plan.remeasure).toEqual({ attempts: 2, factor: 3, budgetMs: Number.POSITIVE_INFINITY });
  });

  it('--full: every benchmark 1 s after 0.2 s warmup, the table at the end', () => {
    const plan = planFor('--full');
    expect(plan.steps).toHaveLength(ALL_CASES.filter((c) => !c.scale).length);
    expect(plan.steps.every((s) => s.timing.timeMs === 1000 && s.timing.warmupMs === 200)).toBe(true);
    expect(plan.tableAfter).toBe(plan.steps.length);
    expect(plan.earlyTable).toBe(false);
  });
});
