import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, RunResultSchema, TargetsFileSchema, readTargets } from '../src/index.js';
import { runGate, sampleOnce } from '../src/compare.js';

const pkg = resolve(import.meta.dirname, '..');
const cli = join(pkg, 'dist', 'cli.js');
let dir: string;

function bench(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@fleetkit/bench...', '--output-logs=errors-only'], { cwd: pkg, stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'fleetkit-bench-cli-'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench CLI error paths', () => {
  it('prints help and exits 0', () => {
    const r = bench('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: bench-fleet.sh <command>');
  });

  it('exits 2 on an unknown command or option', () => {
    expect(bench('dance').code).toBe(2);
    const r = bench('run', '--colour');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/colour/);
    expect(bench('run', '--runner', 'criterion').err).toMatch(/--runner must be tinybench or mitata/);
    expect(bench('compare', '--rounds', 'many').err).toMatch(/--rounds must be a number/);
  });

  it('exits 2 with the file and field for a malformed targets file, and writes nothing', () => {
    const bad = join(dir, 'targets.json');
    writeFileSync(bad, JSON.stringify({ schemaVersion: 1, targets: [{ operation: 'x', benchmark: 'context/create', targetNs: -5 }] }));
    const r = bench('run', '--targets', bad, '--results', join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad}: targets.0.targetNs`);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    writeFileSync(bad, '{ nope');
    expect(bench('run', '--targets', bad).err).toMatch(/cannot read targets/);
  });

  it('exits 2 for an unknown benchmark name', () => {
    const r = bench('run', '--filter', 'no-such-benchmark');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no benchmark matches/);
    expect(bench('sample', '--cases', 'nope/nope').err).toMatch(/unknown benchmark "nope\/nope"/);
  });

  it('exits 2 for a baseline that is missing, malformed or badly named, overwriting nothing', () => {
    expect(bench('run', '--baseline', 'no-such-baseline', '--filter', 'context/create').err).toMatch(/no such baseline/);
    expect(bench('run', '--save-baseline', '../escape', '--filter', 'context/create', '--quick', '--results', join(dir, 'o2')).code).toBe(2);
    expect(existsSync(join(dir, 'o2'))).toBe(false);
  });

  it('exits 2 for a ref that does not exist', () => {
    const r = bench('compare', '--ref', 'no-such-ref-anywhere');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/does not name a commit/);
  });

  it('reports a crashed benchmark process as crashed, not as a regression or a pass', async () => {
    const fake = join(dir, 'crashing-cli.mjs');
    writeFileSync(fake, "process.stderr.write('boom: out of memory\\n'); process.exit(134);\n");
    const crashed = { label: 'base abc', cli: fake };
    const head = { label: 'head', cli };
    await expect(sampleOnce(crashed, ['context/create'], 20)).rejects.toMatchObject({ code: 'FK_BENCH_CRASHED', message: expect.stringMatching(/base abc: benchmark process crashed \(exit 134\): boom/) });
    await expect(runGate(crashed, head, { cases: ['context/create'], rounds: 2, timeMs: 20, policy: DEFAULT_POLICY })).rejects.toMatchObject({ code: 'FK_BENCH_CRASHED' });
  });
});

describe('schemas', () => {
  it('accepts the shipped targets file with the guide’s eight rows', () => {
    const t = readTargets(join(pkg, 'targets.json'));
    expect(t.targets.map((x) => x.operation)).toEqual([
      'Context creation', 'Register all bots', 'Add single finding', 'Add 1000 findings', 'Query by bot (1000 findings)', 'Full health check', 'Generate Markdown report', 'JSON serialization',
    ]);
    expect(TargetsFileSchema.safeParse({ schemaVersion: 1, targets: [] }).success).toBe(false);
  });

  it('accepts saved baselines and rejects a run without results', () => {
    const saved = JSON.parse(readFileSync(join(pkg, 'baselines', 'main.json'), 'utf8')) as unknown;
    expect(RunResultSchema.safeParse(saved).success).toBe(true);
    expect(RunResultSchema.safeParse({ schemaVersion: 1, runner: 'tinybench' }).success).toBe(false);
  });
});

/** The escape that starts the progress line's clear-line sequence. */
const ESC = String.fromCharCode(27);

describe('run modes from the command line', () => {
  it('refuses --quick with --full (exit 2)', () => {
    const r = bench('run', '--quick', '--full');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--quick and --full exclude each other/);
  });

  it('default run: prints the target table before the other benchmarks, with no progress escapes when piped', () => {
    const r = bench('run', '--filter', 'context/', '--results', join(dir, 'default-run'));
    expect(r.code).toBe(0);
    const table = r.out.indexOf('## Performance targets');
    expect(table).toBeGreaterThanOrEqual(0);
    expect(r.out.indexOf('Target table decided in')).toBeGreaterThan(table);
    expect(r.out.indexOf('## All benchmarks')).toBeGreaterThan(r.out.indexOf('Target table decided in'));
    expect(r.out).toMatch(/\| Context creation \| <200ns \| ~.* \| (✅|❌|❔ unsure) \|/);
    expect(`${r.out}${r.err}`).not.toContain('\r');
    expect(`${r.out}${r.err}`).not.toContain(ESC);
    expect(r.err).not.toMatch(/benchmark \d+ of \d+/);
    expect(existsSync(join(dir, 'default-run', 'targets.md'))).toBe(true);
  });

  it('--quick prints the table once, after measuring, without the default run’s note', () => {
    const r = bench('run', '--quick', '--filter', 'context/create', '--results', join(dir, 'quick-run'));
    expect(r.code).toBe(0);
    expect(r.out.match(/## Performance targets/g)).toHaveLength(1);
    expect(r.out).not.toContain('Target table decided');
    expect(`${r.out}${r.err}`).not.toContain('\r');
    expect(`${r.out}${r.err}`).not.toContain(ESC);
  });
});
