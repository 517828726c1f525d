// The pieces of `bench-fleet.sh fleet-run`, without timing thresholds: the
// fixture it writes, the bot script's output, the bare scheduler, the
// summaries, and the RSS probe.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFleetConfig, planFleet } from '@fleetkit/runner';
import { importFindings } from '@fleetkit/shared-context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBare, timeProcess } from '../src/fleet-run/bare.js';
import { botIds, writeFixture } from '../src/fleet-run/fixture.js';
import { packageOf, selfTimes } from '../src/fleet-run/profile.js';
import { RSS_PROBE_ENV, readProbe, writeRssProbe } from '../src/fleet-run/rss-probe.js';
import { goalRow, goalsTable, median, pairedDifferences, pairedRatios, summarize } from '../src/fleet-run/summary.js';
import { parseFleetRunOptions } from '../src/fleet-run/command.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetkit-bench-fleet-run-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fleet-run fixture', () => {
  it('writes a fleet file of B independent custom bots running emit.mjs, with the jobs asked for', async () => {
    const f = writeFixture(join(dir, 'fixture'), { bots: 12, findings: 7, jobs: 3 });
    const cfg = JSON.parse(readFileSync(f.configPath, 'utf8')) as { repo: unknown; jobs: unknown; bots: Record<string, unknown>[] };
    expect(cfg.repo).toBe('bench');
    expect(cfg.jobs).toBe(3);
    expect(cfg.bots).toHaveLength(12);
    const ids = cfg.bots.map((b) => b.id);
    expect(new Set(ids).size).toBe(12);
    for (const [i, b] of cfg.bots.entries()) {
      // Custom bot ids are lower-case kebab-case; custom bots need a tier; no dependencies (one level).
      expect(b.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(b.tier).toBe('custom');
      expect(b.format).toBe('rdjson');
      expect(b.dependsOn).toBeUndefined();
      expect(b.run).toEqual([process.execPath, f.emitPath, '7', ids[i]]);
      expect(f.commands[i]).toEqual(b.run);
    }
    // And as `fleet run` reads it: valid, every bot planned, none waiting for another.
    // The runner's own validation (a dev dependency: the benchmark itself runs the built `fleet` command).
    const plan = planFleet(parseFleetConfig(cfg, f.configPath), { configFile: f.configPath });
    expect(plan.jobs).toBe(3);
    expect(plan.bots.map((b) => b.id)).toEqual(ids);
    expect(plan.bots.every((b) => (b.info.dependsOn ?? []).length === 0)).toBe(true);
    expect(botIds(100)[0]).toBe('bot-001');
    expect(botIds(100)[99]).toBe('bot-100');
  });

  it('emit.mjs writes exactly N rdjson findings that import reads with none rejected or merged', () => {
    const f = writeFixture(join(dir, 'emit'), { bots: 1, findings: 1000, jobs: 1 });
    const r = spawnSync(process.execPath, [f.emitPath, '1000', 'bot-01'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    expect(r.status).toBe(0);
    const imported = importFindings(r.stdout);
    expect(imported.format).toBe('rdjson');
    expect(imported.rejected).toEqual([]);
    expect(imported.findings).toHaveLength(1000);
    const severities = new Map<string, number>();
    for (const x of imported.findings) severities.set(x.severity, (severities.get(x.severity) ?? 0) + 1);
    expect(Object.fromEntries(severities)).toEqual({ error: 200, warning: 400, info: 400 });
    expect(new Set(imported.findings.map((x) => x.file)).size).toBe(1000);
    expect(spawnSync(process.execPath, [f.emitPath, '0', 'bot-01'], { encoding: 'utf8' }).stdout).toBe('{"source":{"name":"bot-01"},"diagnostics":[]}');
  });

  it('the bare scheduler runs every command, reading each stdout to the end', async () => {
    const f = writeFixture(join(dir, 'bare'), { bots: 5, findings: 300, jobs: 2 });
    const r = await runBare(f.commands, 2);
    const one = spawnSync(process.execPath, [f.emitPath, '300', 'bot-01']).stdout.length;
    expect(r.stdoutBytes).toEqual([one, one, one, one, one]);
    expect(r.ms).toBeGreaterThan(0);
    await expect(runBare([[process.execPath, '-e', 'process.exit(3)']], 1)).rejects.toThrow(/exited with 3/);
  });
});

describe('fleet-run summaries', () => {
  it('median, range, paired differences and ratios', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
    expect(summarize([5, 9, 1, 7])).toEqual({ median: 6, min: 1, max: 9, n: 4 });
    expect(pairedDifferences([110, 130, 125], [100, 100, 120])).toEqual([10, 30, 5]);
    expect(pairedRatios([110, 150], [100, 100])).toEqual([1.1, 1.5]);
    expect(() => pairedDifferences([1, 2], [1])).toThrow(/unpaired/);
  });

  it('judges goals on the median and prints the table', () => {
    const ok = goalRow('Overhead per bot', summarize([12, 25, 15]), 'ms', '≤', 20, '20 ms');
    const at = goalRow('Overhead of the run', summarize([1000]), 'ms', '≤', 1000, '1 s');
    const strict = goalRow('Peak RSS', summarize([200]), 'MB', '<', 200, '200 MB');
    expect([ok.pass, at.pass, strict.pass]).toEqual([true, true, false]);
    const md = goalsTable([ok, strict]);
    expect(md).toContain('| Overhead per bot | ≤ 20 ms | 15.0 ms (12.0–25.0) | ✓ |');
    expect(md).toContain('| Peak RSS | < 200 MB | 200 MB (200–200) | ✗ |');
  });

  it('adds up self time per function and per package from a cpuprofile', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });
    const t = selfTimes({
      nodes: [
        { id: 1, callFrame: frame('(root)', '') },
        { id: 2, callFrame: frame('parse', 'file:///r/node_modules/.pnpm/execa@9.6.0/node_modules/execa/lib/x.js') },
        { id: 3, callFrame: frame('readRdjson', 'file:///work/main/packages/shared-context/dist/import/rdjson.js') },
      ],
      samples: [2, 3, 3, 1],
      timeDeltas: [0, 1000, 2000, 3000],
    });
    expect(t.total).toBe(6);
    expect(t.functions[0]).toEqual({ name: 'readRdjson packages/shared-context/dist/import/rdjson.js:10', selfMs: 5, share: 5 / 6 });
    expect(t.packages.map((p) => p.name)).toEqual(['@fleetkit/shared-context', 'execa']);
    expect(packageOf('node:internal/child_process')).toBe('node: built-ins');
  });

  it('parses its options and rejects bad ones', () => {
    const o = parseFleetRunOptions(['--bots', '3', '--jobs', '2', '--runs', '1', '--json']);
    expect(o).toMatchObject({ bots: 3, findings: 1000, jobs: 2, runs: 1, json: true, cpuProf: false });
    expect(parseFleetRunOptions(['--help'])).toBe('help');
    expect(() => parseFleetRunOptions(['--bots', '0'])).toThrow(/--bots must be an integer from 1/);
    expect(() => parseFleetRunOptions(['--colour'])).toThrow(/colour/);
  });
});

describe('fleet-run RSS probe', () => {
  // A parent under the probe starts a node child (inheriting its environment) that reports what it sees.
  const parent = (childExecArgv: boolean): string =>
    `const { spawnSync } = require('node:child_process');
     const args = ${childExecArgv ? 'process.execArgv' : '[]'};
     const r = spawnSync(process.execPath, [...args, '-e', 'process.stdout.write(JSON.stringify({ env: process.env.${RSS_PROBE_ENV} ?? null, nodeOptions: process.env.NODE_OPTIONS ?? null, execArgv: process.execArgv }))'], { encoding: 'utf8' });
     process.stdout.write(r.stdout);`;

  it('writes the peak RSS (KiB) and CPU time of the process at exit', () => {
    const probe = writeRssProbe(dir);
    const out = join(dir, 'probe-a.json');
    const r = spawnSync(process.execPath, ['--import', probe, '-e', 'globalThis.keep = Buffer.alloc(32 * 2 ** 20, 1)'], { encoding: 'utf8', env: { ...process.env, [RSS_PROBE_ENV]: out } });
    expect(r.status).toBe(0);
    const reading = readProbe(out);
    // 32 MiB touched: the peak is above that, and below anything absurd.
    expect(reading.maxRssKiB).toBeGreaterThan(32 * 1024);
    expect(reading.maxRssKiB).toBeLessThan(4 * 2 ** 20);
    expect(reading.cpuUserUs + reading.cpuSystemUs).toBeGreaterThan(0);
  });

  it('does not leak into a child, given on the command line or in NODE_OPTIONS', async () => {
    const probe = writeRssProbe(dir);
    for (const [i, how] of (['argv', 'argv+execArgv', 'NODE_OPTIONS'] as const).entries()) {
      const out = join(dir, `probe-leak-${i}.json`);
      const env = { ...process.env, [RSS_PROBE_ENV]: out, ...(how === 'NODE_OPTIONS' ? { NODE_OPTIONS: `--import ${probe} --max-old-space-size=300` } : {}) };
      const argv: [string, ...string[]] = how === 'NODE_OPTIONS' ? [process.execPath, '-e', parent(false)] : [process.execPath, '--import', probe, '-e', parent(how === 'argv+execArgv')];
      const r = await timeProcess(argv, { env });
      expect(r.code, r.stderr).toBe(0);
      const child = JSON.parse(r.stdout) as { env: string | null; nodeOptions: string | null; execArgv: string[] };
      expect(child.env).toBeNull();
      expect(child.execArgv.join(' ')).not.toContain('rss-probe');
      if (how === 'NODE_OPTIONS') expect(child.nodeOptions).toBe('--max-old-space-size=300');
      // The parent's reading is the parent's: one file, written once.
      expect(existsSync(out)).toBe(true);
      expect(readProbe(out).maxRssKiB).toBeGreaterThan(0);
    }
  });
});
