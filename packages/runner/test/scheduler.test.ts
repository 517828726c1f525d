import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFleet } from '../src/scheduler.js';
import type { RunEvent } from '../src/run-result.js';
import { alive, bot, plan } from './support/plan.js';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'fleet-scheduler-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** Events, and the most bots running at once according to them. */
function recorder(): { events: RunEvent[]; peak: () => number; onEvent: (e: RunEvent) => void } {
  const events: RunEvent[] = [];
  return {
    events,
    onEvent: (e) => events.push(e),
    peak: () => {
      let running = 0;
      let peak = 0;
      for (const e of events) {
        if (e.type === 'started') peak = Math.max(peak, ++running);
        if (e.type === 'completed' || e.type === 'failed') running--;
      }
      return peak;
    },
  };
}

describe('order and concurrency', () => {
  it('starts each bot only after all its dependencies completed', async () => {
    const r = recorder();
    const bots = [
      bot('rhodibot', 'sarif', { ms: 150 }),
      bot('echidnabot', 'sarif', { ms: 50 }),
      bot('panicbot', 'eslint', {}, { dependsOn: ['rhodibot'] }),
      bot('seambot', 'rdjson', {}, { dependsOn: ['rhodibot', 'echidnabot'] }),
      bot('finishbot', 'sarif', {}, { dependsOn: ['panicbot', 'seambot'] }),
    ];
    const result = await runFleet(plan(bots), { jobs: 4, onEvent: r.onEvent });
    const at = (type: string, id: string): number => r.events.findIndex((e) => e.type === type && e.bot === id);
    for (const b of bots) for (const d of b.info.dependsOn) expect(at('completed', d)).toBeLessThan(at('started', b.id));
    expect(result.bots.map((b) => b.status)).toEqual(['completed', 'completed', 'completed', 'completed', 'completed']);
    expect(result.failed).toEqual([]);
    expect(result.ctx.completedAt).not.toBeNull();
  });

  it('reaches the width of the graph and never runs more than jobs at once', async () => {
    const wide = Array.from({ length: 6 }, (_, i) => bot(`wide-${i}`, 'sarif', { ms: 400 }));
    const capped = recorder();
    const r2 = await runFleet(plan(wide), { jobs: 2, onEvent: capped.onEvent });
    expect(capped.peak()).toBe(2);
    expect(r2.peakConcurrency).toBe(2);
    const open = recorder();
    const r6 = await runFleet(plan(wide), { jobs: 8, onEvent: open.onEvent });
    // Six independent bots of 400 ms each: all six run at once when jobs allow.
    expect(open.peak()).toBe(6);
    expect(r6.peakConcurrency).toBe(6);
  });
});

describe('failures and skipping', () => {
  it('fails a bot that exits outside okExitCodes, with its stderr, and skips its dependents in turn', async () => {
    const result = await runFleet(plan([
      bot('rhodibot', 'exit', { code: 2, stderr: 'line one\nboom: config missing\n' }),
      bot('panicbot', 'sarif', {}, { dependsOn: ['rhodibot'] }),
      bot('finishbot', 'sarif', {}, { dependsOn: ['panicbot'] }),
      bot('sustainabot', 'sarif'),
    ]), { jobs: 2 });
    const [rhodi, panic, finish, sustain] = result.bots;
    expect(rhodi).toMatchObject({ status: 'failed', cause: 'exit-code', exitCode: 2, reason: 'exited with code 2 (ok: 0, 1)' });
    expect(rhodi?.stderrTail).toContain('boom: config missing');
    const exec = result.ctx.execution('rhodibot');
    expect(exec?.status === 'failed' && exec.error).toContain('boom: config missing');
    expect(panic).toMatchObject({ status: 'skipped', reason: 'dependency "rhodibot" failed' });
    expect(finish).toMatchObject({ status: 'skipped', reason: 'dependency "panicbot" was skipped (dependency "rhodibot" failed)' });
    expect(sustain?.status).toBe('completed');
    expect(result.failed).toEqual(['rhodibot']);
  });

  it('runs the dependents of a bot that fails with allowFailure, and does not count it as a failure of the run', async () => {
    const result = await runFleet(plan([
      bot('rhodibot', 'exit', { code: 7 }, { allowFailure: true }),
      bot('panicbot', 'sarif', {}, { dependsOn: ['rhodibot'] }),
    ]), { jobs: 2 });
    expect(result.bots.map((b) => b.status)).toEqual(['failed', 'completed']);
    expect(result.failed).toEqual([]);
  });

  it('names a command that cannot be started', async () => {
    const result = await runFleet(plan([{ ...bot('rhodibot', 'sarif'), command: { shell: false, argv: ['fleetkit-no-such-command-xyz'] } }]));
    expect(result.bots[0]).toMatchObject({ status: 'failed', cause: 'not-started', reason: 'cannot start "fleetkit-no-such-command-xyz": command not found' });
  });

  it('fails a bot whose output cannot be parsed, or that crashed', async () => {
    const result = await runFleet(plan([bot('rhodibot', 'garbage'), bot('echidnabot', 'crash'), bot('sustainabot', 'exit', { code: 1 })]), { jobs: 3 });
    expect(result.bots[0]).toMatchObject({ status: 'failed', cause: 'output' });
    expect(result.bots[0]?.reason).toMatch(/^its output \(stdout\) cannot be parsed: /);
    expect(result.bots[1]).toMatchObject({ status: 'failed', cause: 'signal', reason: 'ended by signal SIGABRT' });
    // Exit 1 is ok for a linter, but not with nothing to show for it.
    expect(result.bots[2]).toMatchObject({ status: 'failed', cause: 'output', reason: 'it exited with code 1 and its output (stdout) is empty' });
  });

  it('ends the whole process group of a bot past its timeout, even one that ignores SIGTERM', async () => {
    const pidFile = path.join(tmp, 'hang.json');
    const result = await runFleet(plan([bot('rhodibot', 'hang', { pidFile, ignoreTerm: true }, { timeoutMs: 800 })]), { killGraceMs: 300 });
    expect(result.bots[0]).toMatchObject({ status: 'failed', cause: 'timeout', reason: 'timed out after 800ms; its process group was ended' });
    const pids = JSON.parse(await readFile(pidFile, 'utf8')) as { bot: number; child: number };
    expect(await alive(pids.bot)).toBe(false);
    expect(await alive(pids.child)).toBe(false);
  });

  it('skips a bot whose files match nothing, and runs its dependents as after a completed bot', async () => {
    const repo = await mkdtemp(path.join(tmp, 'repo-'));
    await writeFile(path.join(repo, 'main.ts'), 'export {};\n');
    const result = await runFleet(plan([
      bot('rhodibot', 'sarif', {}, { files: ['**/*.py'] }),
      bot('panicbot', 'sarif', {}, { dependsOn: ['rhodibot'], files: ['**/*.ts'] }),
    ], repo));
    expect(result.bots[0]).toMatchObject({ status: 'skipped', reason: 'no file matches its files ("**/*.py")' });
    expect(result.bots[1]?.status).toBe('completed');
  });
});

describe('outputs', () => {
  it('credits every finding to the bot that ran, whatever tool the output names, with counts that match', async () => {
    const result = await runFleet(plan([
      bot('panicbot', 'sarif', { tool: 'rhodibot', n: 7, levels: ['error', 'error', 'warning'] }),
      bot('my-linter', 'eslint', { n: 5 }),
      bot('seambot', 'rdjson', { n: 4 }),
    ]), { jobs: 3 });
    const ctx = result.ctx;
    for (const id of ['panicbot', 'my-linter', 'seambot']) {
      const findings = ctx.findings.bySource(id);
      const exec = ctx.execution(id);
      expect(exec?.status).toBe('completed');
      if (exec?.status !== 'completed') continue;
      expect(exec.findingsCount).toBe(findings.length);
      expect(exec.errorsCount).toBe(findings.filter((f) => f.severity === 'error').length);
      expect(exec.filesAnalyzed).toBe(new Set(findings.map((f) => f.file)).size);
    }
    expect(ctx.findings.bySource('panicbot')).toHaveLength(7);
    expect(ctx.findings.bySource('rhodibot')).toHaveLength(0);
    expect(result.bots.map((b) => b.format)).toEqual(['sarif', 'eslint', 'rdjson']);
    expect(ctx.findings.size).toBe(16);
  });

  it('keeps the bots named by the fleet\u2019s own format', async () => {
    const findings = [{ source: 'glambot', ruleId: 'A1', severity: 'warning', message: 'alt text' }, { source: 'hypatia', ruleId: 'H', severity: 'info', message: 'x' }];
    const result = await runFleet(plan([bot('hypatia', 'fleetkit', { findings })]));
    expect(result.ctx.findings.bySource('glambot')).toHaveLength(1);
    expect(result.bots[0]).toMatchObject({ status: 'completed', findings: 1, format: 'fleetkit-findings' });
  });

  it('reads an output file the command writes, and never an old one', async () => {
    const out = path.join(tmp, 'out.sarif');
    await writeFile(out, 'stale');
    const ok = await runFleet(plan([bot('rhodibot', 'sarif-file', { out, n: 2 }, { cwd: tmp, output: { kind: 'file', path: out } })]));
    expect(ok.bots[0]).toMatchObject({ status: 'completed', findings: 2 });
    await writeFile(out, JSON.stringify({ version: '2.1.0', runs: [] }));
    const missing = await runFleet(plan([bot('rhodibot', 'exit', { code: 0 }, { cwd: tmp, output: { kind: 'file', path: out } })]));
    expect(missing.bots[0]).toMatchObject({ status: 'failed', reason: 'its output file out.sarif was not written' });
  });
});

describe('interruption', () => {
  it('ends running bots, skips the rest, and records the session as interrupted', async () => {
    const pidFile = path.join(tmp, 'int.json');
    const stop = new AbortController();
    const result = await runFleet(plan([
      bot('rhodibot', 'hang', { pidFile }),
      bot('panicbot', 'sarif', {}, { dependsOn: ['rhodibot'] }),
    ]), {
      signal: stop.signal,
      killGraceMs: 300,
      onEvent: (e) => {
        if (e.type === 'started') setTimeout(() => stop.abort(), 300);
      },
    });
    expect(result.interrupted).toBe(true);
    expect(result.bots[0]).toMatchObject({ status: 'failed', cause: 'interrupted' });
    expect(result.bots[1]).toMatchObject({ status: 'skipped', reason: 'the run was interrupted before it started' });
    expect(result.ctx.getData('fleet.run')).toMatchObject({ status: 'interrupted' });
    const pids = JSON.parse(await readFile(pidFile, 'utf8')) as { bot: number; child: number };
    expect(await alive(pids.bot)).toBe(false);
    expect(await alive(pids.child)).toBe(false);
  });
});
