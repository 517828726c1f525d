import { describe, expect, it } from 'vitest';
import { Context, LOW_SUCCESS_RATE, SLOW_FACTOR, SLOW_MIN_RUNS, updateRepoState } from '../src/index.js';
import type { RepoState } from '../src/index.js';

const T0 = 1_700_000_000_000;

/** Builds a repo history from past runs of one bot: a duration (ms) or 'fail' per session. */
function history(bot: string, runs: ReadonlyArray<number | 'fail'>): RepoState {
  let state: RepoState | undefined;
  runs.forEach((r, i) => {
    const clock = { t: T0 + i * 3_600_000 };
    const ctx = new Context('repo', '/repo', { now: () => clock.t, sessionId: `s${i}` });
    ctx.registerBot(bot);
    ctx.startBot(bot);
    clock.t += r === 'fail' ? 1000 : r;
    if (r === 'fail') ctx.failBot(bot, 'x');
    else ctx.completeBot(bot, { findings: 1, errors: 0, files: 1 });
    ctx.completeSession();
    state = updateRepoState(state, ctx);
  });
  return state!;
}

function current(bot: string, outcome: number | 'fail' | 'running') {
  const clock = { t: T0 + 1e9 };
  const ctx = new Context('repo', '/repo', { now: () => clock.t, sessionId: 'now', healthTtlMs: 0 });
  ctx.registerBot(bot);
  ctx.startBot(bot);
  if (outcome === 'running') return ctx;
  clock.t += outcome === 'fail' ? 1000 : outcome;
  if (outcome === 'fail') ctx.failBot(bot, 'x');
  else ctx.completeBot(bot, { findings: 2, errors: 0, files: 1 });
  return ctx;
}

describe('health with run history', () => {
  it('fills the average duration and success rate from previous runs and this one', () => {
    const h = current('rhodibot', 4000).healthCheck({ history: history('rhodibot', [1000, 2000, 'fail', 3000]) });
    const b = h.botHealth.rhodibot!;
    expect(b.avgDurationMs).toBe((1000 + 2000 + 1000 + 3000 + 4000) / 5);
    expect(b.successRate).toBe(4 / 5);
  });

  it('leaves them null without history, and while a bot new to history has not finished', () => {
    expect(current('rhodibot', 10).healthCheck().botHealth.rhodibot?.successRate).toBeNull();
    const past = history('rhodibot', [1000]);
    const running = current('glambot', 'running').healthCheck({ history: past });
    expect(running.botHealth.glambot?.avgDurationMs).toBeNull();
    expect(running.botHealth.glambot?.successRate).toBeNull();
    const done = current('glambot', 10).healthCheck({ history: past });
    expect(done.botHealth.glambot?.avgDurationMs).toBe(10);
    expect(done.botHealth.glambot?.successRate).toBe(1);
  });

  it('uses only the last N sessions (window)', () => {
    const state = history('rhodibot', ['fail', 'fail', 'fail', 1000, 1000]);
    expect(current('rhodibot', 1000).healthCheck({ history: state, window: 2 }).botHealth.rhodibot?.successRate).toBe(1);
    expect(current('rhodibot', 1000).healthCheck({ history: state }).botHealth.rhodibot?.successRate).toBe(3 / 6);
  });

  it('flags a run more than 3× the median of at least 5 previous runs as slow_execution', () => {
    expect([SLOW_FACTOR, SLOW_MIN_RUNS]).toEqual([3, 5]);
    const past = history('rhodibot', [1000, 1000, 1000, 1000, 1000]);
    const atThreshold = current('rhodibot', 3000).healthCheck({ history: past });
    expect(atThreshold.botHealth.rhodibot?.anomalies).toEqual([]);
    const past3001 = current('rhodibot', 3001).healthCheck({ history: past });
    expect(past3001.botHealth.rhodibot?.anomalies).toEqual(['Slow execution: 3.0s is more than 3× the median of 1.0s over 5 runs']);
    expect(past3001.alerts).toContainEqual(expect.objectContaining({ severity: 'warning', category: 'slow_execution', bot: 'rhodibot' }));
  });

  it('needs at least 5 previous runs before calling a run slow', () => {
    const past = history('rhodibot', [1000, 1000, 1000, 1000]);
    expect(current('rhodibot', 60_000).healthCheck({ history: past }).botHealth.rhodibot?.anomalies).toEqual([]);
  });

  it('flags a success rate below 0.8 over the window, not at 0.8', () => {
    expect(LOW_SUCCESS_RATE).toBe(0.8);
    const at = current('rhodibot', 1000).healthCheck({ history: history('rhodibot', [1000, 1000, 1000, 'fail']) });
    expect(at.botHealth.rhodibot?.successRate).toBe(0.8);
    expect(at.botHealth.rhodibot?.anomalies).toEqual([]);
    const below = current('rhodibot', 'fail').healthCheck({ history: history('rhodibot', [1000, 1000, 1000, 'fail']) });
    expect(below.botHealth.rhodibot?.successRate).toBeCloseTo(0.6);
    expect(below.botHealth.rhodibot?.anomalies).toEqual(['Low success rate: 60.0% over the last 5 runs']);
    expect(below.alerts).toContainEqual(expect.objectContaining({ category: 'anomaly_detected', message: 'Low success rate: 60.0% over the last 5 runs' }));
  });

  it('skips missing and corrupt history entries and reports them, without failing', () => {
    const state = history('rhodibot', [1000, 1000]);
    const corrupt: RepoState = { ...state, sessions: [null, ...state.sessions, { sessionId: 7 }, 'garbage'] };
    const h = current('rhodibot', 1000).healthCheck({ history: corrupt });
    expect(h.historySkipped).toEqual([0, 3, 4]);
    expect(h.botHealth.rhodibot?.successRate).toBe(1);
  });

  it('does not count the session being checked as its own history', () => {
    const ctx = current('rhodibot', 1000);
    ctx.completeSession();
    const state = updateRepoState(undefined, ctx);
    expect(ctx.healthCheck({ history: state }).botHealth.rhodibot?.successRate).toBe(1);
    expect(ctx.healthCheck({ history: state }).botHealth.rhodibot?.avgDurationMs).toBe(1000);
  });

  it('rejects history that is not a repo state', () => {
    expect(() => current('rhodibot', 10).healthCheck({ history: { sessions: 'no' } as unknown as RepoState })).toThrow(/options\.history\.sessions/);
  });
});
