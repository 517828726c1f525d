import { describe, expect, it } from 'vitest';
import { Context, buildReport, generateReport, startHealthMonitor, updateRepoState } from '../src/index.js';
import type { FleetHealth, SessionView } from '../src/index.js';

const T0 = Date.parse('2025-01-01T00:00:00.000Z');

function session(): Context {
  let t = T0;
  let n = 0;
  const ctx = new Context('repo', '/repo', { sessionId: 's1', now: () => t, newId: () => `f${++n}` });
  ctx.registerBot('rhodibot');
  ctx.registerBot('echidnabot');
  ctx.startBot('rhodibot');
  t += 1500;
  ctx.addFindings([
    { source: 'rhodibot', ruleId: 'missing-license', severity: 'error', message: 'No LICENSE file', file: 'LICENSE' },
    { source: 'rhodibot', ruleId: 'readme', severity: 'warning', message: 'Short README', file: 'README.md' },
  ]);
  ctx.completeBot('rhodibot', { findings: 2, errors: 1, files: 10 });
  ctx.setData('k', { a: 1 });
  return ctx;
}

// A view that is not a Context: only the members SessionView declares, read through.
function viewOf(ctx: Context): SessionView {
  return {
    get sessionId() { return ctx.sessionId; },
    get repoName() { return ctx.repoName; },
    get repoPath() { return ctx.repoPath; },
    get startedAt() { return ctx.startedAt; },
    get completedAt() { return ctx.completedAt; },
    get version() { return ctx.version; },
    get healthTtlMs() { return ctx.healthTtlMs; },
    get now() { return ctx.now; },
    get findings() { return ctx.findings; },
    bots: () => ctx.bots(),
    bot: (id) => ctx.bot(id),
    execution: (id) => ctx.execution(id),
    executions: () => ctx.executions(),
    durationMs: () => ctx.durationMs(),
    elapsedMs: () => ctx.elapsedMs(),
    summary: () => ctx.summary(),
    getData: (key) => ctx.getData(key),
    dataKeys: () => ctx.dataKeys(),
  };
}

describe('SessionView', () => {
  it('is all that reports and history need: a plain view gives what the Context gives', () => {
    const options = { now: () => T0 };
    const a = session();
    const b = session();
    expect(generateReport(viewOf(b), 'json', options)).toBe(generateReport(a, 'json', options));
    expect(generateReport(viewOf(b), 'markdown', options)).toBe(generateReport(a, 'markdown', options));
    expect(updateRepoState(undefined, viewOf(b))).toEqual(updateRepoState(undefined, a));
  });

  it("shares the Context's own health cache with reports and monitors", async () => {
    const ctx = session();
    const health = ctx.healthCheck();
    buildReport(ctx);
    expect(ctx.healthCacheStats().hits).toBe(1);
    const seen: FleetHealth[] = [];
    const monitor = startHealthMonitor(ctx, { intervalMs: 60_000, onChange: (h) => void seen.push(h) });
    await monitor.stop();
    expect(seen[0]).toBe(health);
    expect(ctx.healthCacheStats()).toMatchObject({ hits: 2, misses: 1 });
  });
});
