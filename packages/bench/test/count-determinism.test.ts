/**
 * Counting for real: the built bench CLI under callgrind, as `compare` runs it.
 * Needs valgrind (scripts/setup.sh installs it); without it these tests fail.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decideCounts } from '../src/counts/decide.js';
import { WORK_CASE } from '../src/counts/child.js';
import type { SideCounts } from '../src/counts/run.js';
import { countSide } from '../src/counts/run.js';
import { isJavaScriptFunction, topGainers } from '../src/counts/cost-diff.js';

const cli = join(resolve(import.meta.dirname, '..'), 'dist', 'cli.js');
const CASES = ['queries/by-bot', 'findings/add-100', 'reports/markdown-100'];
/** The spread the bench README states for two processes of the same code. */
const STATED_SPREAD = 0.005;

const irPerOp = (s: SideCounts, name: string): number => {
  const c = s.cases.get(name);
  if (c?.state !== 'measured') throw new Error(`${name} not measured: ${c?.state === 'not measured' ? c.reason : 'missing'}`);
  return c.irPerOp;
};

describe('instruction counts under callgrind', () => {
  let a: SideCounts;
  let b: SideCounts;
  beforeAll(async () => {
    try {
      execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error('valgrind is required for the instruction-count tests (scripts/setup.sh installs Debian\'s valgrind)');
    }
    if (!existsSync(cli)) throw new Error(`${cli} is missing: build the bench package first (pnpm build)`);
    [a, b] = await Promise.all([countSide({ label: 'A', cli }, CASES, { calibrate: true }), countSide({ label: 'B', cli }, CASES)]);
  }, 180_000);

  it('the same benchmarks in two processes count within the stated spread', () => {
    for (const name of CASES) {
      const x = irPerOp(a, name);
      const y = irPerOp(b, name);
      expect(x).toBeGreaterThan(100);
      expect(Math.abs(y / x - 1), name).toBeLessThanOrEqual(STATED_SPREAD);
    }
    const rows = decideCounts(CASES, a.cases, b.cases);
    expect(rows.map((r) => r.verdict)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  it('each benchmark has its own file: the report path executes far more than a query', () => {
    expect(irPerOp(a, 'reports/markdown-100')).toBeGreaterThan(100 * irPerOp(a, 'queries/by-bot'));
  });

  it('injected work of +5% in instructions is flagged, and nothing else is', async () => {
    const work = irPerOp(a, WORK_CASE);
    const target = 'findings/add-100';
    const iterations = Math.round((0.05 * irPerOp(a, target)) / work);
    const injected = await countSide({ label: 'B', cli, env: { FLEETKIT_BENCH_INJECT: `${target}:@${iterations}` } }, [target, 'queries/by-bot']);
    const rows = decideCounts([target, 'queries/by-bot'], a.cases, injected.cases);
    expect(rows[0]!.verdict).toBe('regressed');
    expect(rows[0]!.change).toBeGreaterThan(0.04);
    expect(rows[0]!.change).toBeLessThan(0.06);
    expect(rows[1]!.verdict).toBe('unchanged');
    // Where the cost went: the injected loop's function, named from V8's perf map, leads the gainers.
    const h = injected.cases.get(target);
    const base = a.cases.get(target);
    if (h?.state !== 'measured' || base?.state !== 'measured') throw new Error('not measured');
    const ops = { base: base.ops, head: h.ops };
    const workFn = /^work packages\/bench\/dist\/inject\.js:\d+:\d+$/;
    // Self cost: the loop's own code is among the top gainers (beside the builtins it calls: Math.imul, calls).
    expect(topGainers(base.profile, h.profile, { limit: 5, ops }).some((g) => workFn.test(g.name))).toBe(true);
    // Inclusive, JavaScript only: the chain down to the loop.
    const js = topGainers(base.profile, h.profile, { limit: 5, ops, by: 'inclusive', keep: isJavaScriptFunction });
    expect(js.some((g) => workFn.test(g.name))).toBe(true);
  }, 180_000);

  it('a counting process that fails reports every benchmark not measured, with why', async () => {
    const r = await countSide({ label: 'B', cli, env: { FLEETKIT_BENCH_INJECT: 'broken' } }, ['queries/by-bot']);
    const c = r.cases.get('queries/by-bot');
    expect(c?.state).toBe('not measured');
    expect(c?.state === 'not measured' && c.reason).toMatch(/crashed \(exit 2\).*not name:amount/);
  }, 120_000);

  it('a counting process that runs out of time reports not measured, never a count', async () => {
    const r = await countSide({ label: 'B', cli }, ['queries/by-bot'], { timeoutMs: 500 });
    const c = r.cases.get('queries/by-bot');
    expect(c?.state === 'not measured' && c.reason).toMatch(/timed out after 1 s/);
  }, 60_000);
});
