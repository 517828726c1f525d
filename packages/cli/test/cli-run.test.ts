/**
 * `fleet run` as a user runs it: the built binary, a fleet file of real
 * little bots (sleeps, exit codes, SARIF / ESLint / rdjson outputs, a crash,
 * a hang past its timeout, a missing command, unparseable output), and what
 * it prints, writes and exits with.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context } from '@fleetkit/shared-context';
import { bin, buildCli, fleet } from './run-fleet.js';
import type { RunJSON } from './support/fleet-file.js';
import { botRun, writeFleet } from './support/fleet-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fleet-run-'));
beforeAll(() => buildCli(), 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh directory under the test's own. */
let n = 0;
const sub = (): string => {
  const d = path.join(dir, `case-${++n}`);
  mkdirSync(d);
  return d;
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
};

describe('a fleet of real bots', () => {
  const cwd = path.join(dir, 'fleet');
  let out: RunJSON;
  beforeAll(() => {
    mkdirSync(cwd);
    writeFleet(cwd, {
      repo: 'acme/web',
      jobs: 3,
      timeout: '20s',
      bots: [
        { id: 'rhodibot', run: botRun('sarif', { ms: 300, n: 4, tool: 'layout-check' }) },
        { id: 'echidnabot', run: botRun('rdjson', { ms: 200, n: 2 }) },
        { id: 'panicbot', run: botRun('eslint', { n: 3 }) },
        { id: 'seambot', run: botRun('exit', { code: 4, stderr: 'seam: cannot read contracts\n' }) },
        { id: 'finishbot', run: botRun('sarif'), dependsOn: ['seambot'] },
        { id: 'hanging', tier: 'custom', run: botRun('hang', { pidFile: path.join(cwd, 'hang.json') }), timeout: '1s' },
        { id: 'missing', tier: 'custom', run: ['fleetkit-no-such-tool'] },
        { id: 'garbled', tier: 'custom', run: botRun('garbage'), allowFailure: true },
        { id: 'crashing', tier: 'custom', run: botRun('crash') },
      ],
    });
  }, 60_000);

  it('runs every bot it can, and says why the others failed or were skipped (exit 3)', () => {
    const r = fleet(['run', '--json', '--out', 'session.json'], cwd);
    expect(r.code).toBe(3);
    out = JSON.parse(r.stdout) as RunJSON;
    const status = Object.fromEntries(out.bots.map((b) => [b.id, b.status]));
    expect(status).toEqual({
      rhodibot: 'completed',
      echidnabot: 'completed',
      panicbot: 'completed',
      seambot: 'failed',
      finishbot: 'skipped',
      hanging: 'failed',
      missing: 'failed',
      garbled: 'failed',
      crashing: 'failed',
    });
    const reason = Object.fromEntries(out.bots.map((b) => [b.id, b.reason]));
    expect(reason.seambot).toBe('exited with code 4 (ok: 0, 1)');
    expect(reason.finishbot).toBe('dependency "seambot" failed');
    expect(reason.hanging).toBe('timed out after 1.0s; its process group was ended');
    expect(reason.missing).toBe('cannot start "fleetkit-no-such-tool": command not found');
    expect(reason.garbled).toMatch(/^its output \(stdout\) cannot be parsed/);
    expect(reason.crashing).toBe('ended by signal SIGABRT');
    // allowFailure: garbled failed, but it does not fail the run.
    expect(out.failed.sort()).toEqual(['crashing', 'hanging', 'missing', 'seambot']);
    expect(out.peakConcurrency).toBeLessThanOrEqual(3);
    expect(out.peakConcurrency).toBe(3);
  });

  it('leaves no process of a timed-out bot behind', async () => {
    const pids = JSON.parse(await readFile(path.join(cwd, 'hang.json'), 'utf8')) as { bot: number; child: number };
    expect(alive(pids.bot)).toBe(false);
    expect(alive(pids.child)).toBe(false);
  });

  it('writes a session whose executions and counts match the findings, with the failure and its stderr recorded', async () => {
    const ctx = Context.fromJSON(JSON.parse(await readFile(path.join(cwd, 'session.json'), 'utf8')));
    expect(ctx.completedAt).not.toBeNull();
    for (const id of ['rhodibot', 'echidnabot', 'panicbot']) {
      const e = ctx.execution(id);
      const mine = ctx.findings.bySource(id);
      expect(e?.status).toBe('completed');
      if (e?.status !== 'completed') continue;
      expect(e.findingsCount).toBe(mine.length);
      expect(e.errorsCount).toBe(mine.filter((f) => f.severity === 'error').length);
      expect(Date.parse(e.completedAt)).toBeGreaterThanOrEqual(Date.parse(e.startedAt));
    }
    expect(ctx.findings.bySource('rhodibot')).toHaveLength(4);
    const seam = ctx.execution('seambot');
    expect(seam?.status === 'failed' ? seam.error : '').toContain('seam: cannot read contracts');
    expect(ctx.execution('finishbot')).toMatchObject({ status: 'skipped', reason: 'dependency "seambot" failed' });
    expect(ctx.getData('fleet.run')).toMatchObject({ status: 'completed', jobs: 3 });
    // The health engine sees the real executions: failed bots are alerts.
    expect(out.health.alerts.filter((a) => a.category === 'bot_failure').map((a) => a.bot).sort()).toEqual(['crashing', 'garbled', 'hanging', 'missing', 'seambot']);
  });

  it('prints a line per bot event when not on a terminal, then the table and the verdict', () => {
    const r = fleet(['run', '--only', 'rhodibot', '--only', 'panicbot', '--out', 'only.json'], cwd);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\] started\s+rhodibot/);
    expect(r.stderr).toMatch(/\] done\s+panicbot\s+3 findings \(2 error, 1 warning\) in /);
    expect(r.stdout).toMatch(/^ {2}bot\s+status\s+duration\s+error\s+warning\s+info\s+suggestion$/m);
    expect(r.stdout).toMatch(/^ {2}rhodibot\s+completed\s+\S+\s+2\s+1\s+1\s+0$/m);
    expect(r.stdout).not.toContain('seambot');
    expect(r.stdout).toMatch(/^Health: \w+ \(score [\d.]+\)/m);
    expect(r.stdout).toContain('Session written to only.json');
  });
});

describe('the gate and reports', () => {
  it('exits 1 when the gate blocks and 0 when it passes, by the fleet file\u2019s policy', () => {
    const cwd = sub();
    const bots = [{ id: 'panicbot', run: botRun('eslint', { n: 2 }) }];
    writeFleet(cwd, { bots, gate: { failOn: 'error' } });
    const blocked = fleet(['run', '--gate', '--quiet'], cwd);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toContain('Gate: BLOCKED (errors 1 <= 0 FAIL)');
    writeFleet(cwd, { bots, gate: { maxErrors: 1, maxWarnings: 1 } });
    const passed = fleet(['run', '--gate', '--quiet'], cwd);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain('Gate: PASS (errors 1 <= 1, warnings 1 <= 1)');
    // Without --gate, findings never fail the run.
    writeFleet(cwd, { bots, gate: { failOn: 'error' } });
    expect(fleet(['run', '--quiet'], cwd).code).toBe(0);
    // The command line's flags go over the file's policy.
    const flagged = fleet(['run', '--gate', '--max-errors', '5', '--fail-on', 'warning', '--quiet'], cwd);
    expect(flagged.code).toBe(1);
    expect(flagged.stdout).toContain('Gate: BLOCKED (errors 1 <= 5, warnings 1 <= 0 FAIL)');
    expect(fleet(['run', '--max-errors', '5'], cwd).code).toBe(2);
  });

  it('writes every report asked for, from the fleet file and from --report, creating their directories', async () => {
    const cwd = sub();
    writeFleet(cwd, { bots: [{ id: 'rhodibot', run: botRun('sarif', { n: 2 }) }], reports: [{ format: 'markdown', out: 'out/report.md' }] });
    const r = fleet(['run', '--quiet', '--report', 'sarif:out/fleet.sarif', '--report', 'html:report.html', '--report', 'json:r.json'], cwd);
    expect(r.code).toBe(0);
    expect(await readFile(path.join(cwd, 'out/report.md'), 'utf8')).toContain('# Fleet report');
    const sarif = JSON.parse(await readFile(path.join(cwd, 'out/fleet.sarif'), 'utf8')) as { version: string; runs: { results: unknown[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs.flatMap((x) => x.results)).toHaveLength(2);
    expect(await readFile(path.join(cwd, 'report.html'), 'utf8')).toContain('<html');
    expect(JSON.parse(await readFile(path.join(cwd, 'r.json'), 'utf8'))).toMatchObject({ repo: { name: path.basename(cwd) }, listed: 2 });
  });

  it('refuses a malformed --report before running anything', () => {
    const cwd = sub();
    writeFleet(cwd, { bots: [{ id: 'rhodibot', run: botRun('sarif') }] });
    const r = fleet(['run', '--report', 'pdf:x.pdf'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--report must be FORMAT:FILE with FORMAT one of markdown, json, html, sarif (got "pdf:x.pdf")');
    expect(existsSync(path.join(cwd, 'fleet-session.json'))).toBe(false);
  });
});

describe('fleet file errors (exit 2)', () => {
  it('names the place of each problem', () => {
    const cwd = sub();
    const bots = [
      { id: 'rhodibot', run: botRun('sarif') },
      { id: 'glambot', run: botRun('sarif') },
      { id: 'seambot', run: botRun('sarif'), timeout: 'soon' },
      { id: 'finishbot', run: botRun('sarif'), dependsOn: ['glambot2'] },
    ];
    writeFleet(cwd, { bots });
    const shape = fleet(['run'], cwd);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toMatch(/^fleet: .*fleet\.config\.json: bots\[2\]\.timeout: /m);
    writeFleet(cwd, { bots: bots.map(({ timeout: _t, ...b }) => b) });
    const graph = fleet(['run'], cwd);
    expect(graph.code).toBe(2);
    expect(graph.stderr).toContain('bots[3].dependsOn[0]: unknown bot "glambot2"');
    expect(existsSync(path.join(cwd, 'fleet-session.json'))).toBe(false);
  });

  it('names a dependency cycle bot by bot', () => {
    const cwd = sub();
    writeFleet(cwd, {
      bots: [
        { id: 'alpha', tier: 'custom', run: botRun('sarif'), dependsOn: ['gamma'] },
        { id: 'beta', tier: 'custom', run: botRun('sarif'), dependsOn: ['alpha'] },
        { id: 'gamma', tier: 'custom', run: botRun('sarif'), dependsOn: ['beta'] },
      ],
    });
    const r = fleet(['run'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dependency cycle: (alpha → gamma → beta → alpha|alpha → beta → gamma → alpha|beta → alpha → gamma → beta|gamma → beta → alpha → gamma)/);
  });

  it('says so when there is no fleet file', () => {
    const cwd = sub();
    const r = fleet(['run'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`fleet: no fleet file: there is no fleet.config.json in ${cwd} (give one with --config FILE)`);
    const named = fleet(['run', '--config', 'nope.json'], cwd);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('nope.json: cannot read the fleet file: it does not exist');
  });

  it('refuses an unknown --only bot', () => {
    const cwd = sub();
    writeFleet(cwd, { bots: [{ id: 'rhodibot', run: botRun('sarif') }] });
    const r = fleet(['run', '--only', 'nobot'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown bot "nobot"');
  });
});

describe('Ctrl-C', () => {
  it('ends every running bot\u2019s process group, records the run as interrupted and exits 130', async () => {
    const cwd = sub();
    const pidFile = path.join(cwd, 'pids.json');
    writeFleet(cwd, {
      bots: [
        { id: 'rhodibot', run: botRun('hang', { pidFile, ignoreTerm: true }) },
        { id: 'panicbot', run: botRun('sarif'), dependsOn: ['rhodibot'] },
      ],
    });
    const child = spawn(process.execPath, [bin, 'run', '--out', 'session.json'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // The hang bot writes its pid file once its grandchild runs.
    while (!existsSync(pidFile)) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    const pids = JSON.parse(await readFile(pidFile, 'utf8')) as { bot: number; child: number };
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain('Ctrl-C: interrupting the run');
    expect(stdout).toContain('INTERRUPTED');
    expect(alive(pids.bot)).toBe(false);
    expect(alive(pids.child)).toBe(false);
    const ctx = Context.fromJSON(JSON.parse(await readFile(path.join(cwd, 'session.json'), 'utf8')));
    expect(ctx.getData('fleet.run')).toMatchObject({ status: 'interrupted' });
    expect(ctx.execution('rhodibot')).toMatchObject({ status: 'failed' });
    expect(ctx.execution('panicbot')).toMatchObject({ status: 'skipped', reason: 'the run was interrupted before it started' });
  }, 30_000);
});
