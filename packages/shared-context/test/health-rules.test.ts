import { describe, expect, it } from 'vitest';
import { Context, HIGH_ERROR_RATE, LONG_EXECUTION_MS, STANDARD_BOTS, computeHealth, healthScore, overallStatus } from '../src/index.js';
import type { HealthAlert } from '../src/index.js';

/** A context on a hand-driven clock. */
function fleet(bots: readonly string[] = [], start = 1_700_000_000_000) {
  const clock = { t: start };
  const ctx = new Context('repo', '/repo', { now: () => clock.t, healthTtlMs: 0 });
  for (const b of bots) ctx.registerBot(b);
  return { ctx, clock };
}

function run(ctx: Context, clock: { t: number }, bot: string, ms: number, findings: number, errors: number, force = false): void {
  ctx.startBot(bot, { force });
  clock.t += ms;
  ctx.completeBot(bot, { findings, errors, files: 1 });
}

const alert = (severity: HealthAlert['severity'], category: HealthAlert['category']) => expect.objectContaining({ severity, category });

describe('health check — scenarios of the original', () => {
  it('one verifier completed with 5 findings is healthy, scores above 80 and raises no alert', () => {
    const { ctx, clock } = fleet(['rhodibot']);
    run(ctx, clock, 'rhodibot', 1000, 5, 0);
    const h = ctx.healthCheck();
    expect(h.status).toBe('healthy');
    expect(h.healthScore).toBeGreaterThan(80);
    expect(h.alerts).toEqual([]);
  });

  it('8 errors out of 10 findings is a "High error rate" anomaly', () => {
    const { ctx, clock } = fleet(['rhodibot']);
    run(ctx, clock, 'rhodibot', 1000, 10, 8);
    const h = ctx.healthCheck();
    expect(h.botHealth.rhodibot?.anomalies).toEqual(['High error rate: 80.0% (8/10)']);
    expect(h.botHealth.rhodibot?.status).toBe('degraded');
    expect(h.alerts).toContainEqual(alert('warning', 'anomaly_detected'));
  });

  it('a failed bot among all registered makes the fleet unhealthy or critical, with alerts', () => {
    const { ctx, clock } = fleet();
    ctx.registerAllBots();
    ctx.startBot('rhodibot');
    clock.t += 500;
    ctx.failBot('rhodibot', 'crashed');
    const h = ctx.healthCheck();
    expect(['unhealthy', 'critical']).toContain(h.status);
    expect(h.alerts).toContainEqual({ severity: 'error', category: 'bot_failure', message: 'Bot rhodibot failed: crashed', bot: 'rhodibot', timestamp: new Date(clock.t).toISOString() });
  });
});

describe('health check — bot anomalies at and past their thresholds', () => {
  it('an error rate of exactly 0.5 is not an anomaly, just above is', () => {
    expect(HIGH_ERROR_RATE).toBe(0.5);
    const a = fleet(['rhodibot']);
    run(a.ctx, a.clock, 'rhodibot', 10, 10, 5);
    expect(a.ctx.healthCheck().botHealth.rhodibot?.anomalies).toEqual([]);
    const b = fleet(['rhodibot']);
    run(b.ctx, b.clock, 'rhodibot', 10, 1000, 501);
    expect(b.ctx.healthCheck().botHealth.rhodibot?.anomalies).toEqual(['High error rate: 50.1% (501/1000)']);
  });

  it('a completed bot with zero findings is an anomaly, except the engine bot', () => {
    const { ctx, clock } = fleet(['rhodibot', 'hypatia']);
    run(ctx, clock, 'rhodibot', 10, 0, 0);
    run(ctx, clock, 'hypatia', 10, 0, 0);
    const h = ctx.healthCheck();
    expect(h.botHealth.rhodibot?.anomalies).toEqual(['No findings produced by completed bot']);
    expect(h.botHealth.hypatia?.anomalies).toEqual([]);
    expect(h.botHealth.hypatia?.status).toBe('healthy');
  });

  it('a duration of exactly 300,000 ms is not long; 301,000 ms is', () => {
    expect(LONG_EXECUTION_MS).toBe(300_000);
    const a = fleet(['rhodibot']);
    run(a.ctx, a.clock, 'rhodibot', 300_000, 3, 0);
    expect(a.ctx.healthCheck().botHealth.rhodibot?.anomalies).toEqual([]);
    const b = fleet(['rhodibot']);
    run(b.ctx, b.clock, 'rhodibot', 301_000, 3, 0);
    expect(b.ctx.healthCheck().botHealth.rhodibot?.anomalies).toEqual(['Long execution time: 301.0s']);
  });

  it('a running bot is measured up to now and flagged when running too long, yet stays healthy', () => {
    const { ctx, clock } = fleet(['rhodibot']);
    ctx.startBot('rhodibot');
    clock.t += 301_000;
    const bh = ctx.healthCheck().botHealth.rhodibot;
    expect(bh?.durationMs).toBe(301_000);
    expect(bh?.anomalies).toEqual(['Long execution time: 301.0s']);
    expect(bh?.status).toBe('healthy');
  });
});

describe('health check — statuses', () => {
  it('gives every bot status: failed critical, completed healthy or degraded, running and pending healthy, skipped degraded', () => {
    const { ctx, clock } = fleet(['rhodibot', 'echidnabot', 'sustainabot', 'glambot', 'hypatia', 'cipherbot']);
    run(ctx, clock, 'rhodibot', 10, 4, 0);
    run(ctx, clock, 'echidnabot', 10, 0, 0);
    ctx.startBot('sustainabot');
    ctx.skipBot('glambot', 'not needed');
    ctx.startBot('hypatia');
    ctx.failBot('hypatia', 'x');
    const b = ctx.healthCheck().botHealth;
    expect(b.rhodibot?.status).toBe('healthy');
    expect(b.echidnabot?.status).toBe('degraded');
    expect(b.sustainabot?.status).toBe('healthy');
    expect(b.cipherbot?.status).toBe('healthy');
    expect(b.glambot?.status).toBe('degraded');
    expect(b.hypatia?.status).toBe('critical');
    expect(b.cipherbot?.executionStatus).toBe('pending');
    expect(b.cipherbot?.durationMs).toBeNull();
  });

  it('gives every tier status: all failed critical, some failed unhealthy, unfinished degraded, all completed healthy', () => {
    const { ctx, clock } = fleet(['hypatia', 'rhodibot', 'echidnabot', 'glambot', 'seambot', 'cipherbot', 'robot-repo-automaton']);
    ctx.startBot('hypatia');
    ctx.failBot('hypatia', 'x'); // engine: all failed
    run(ctx, clock, 'rhodibot', 100, 2, 0);
    ctx.startBot('echidnabot');
    clock.t += 300;
    ctx.failBot('echidnabot', 'y'); // verifier: some failed
    run(ctx, clock, 'glambot', 10, 1, 0); // finisher: seambot pending
    run(ctx, clock, 'cipherbot', 10, 1, 0, true); // specialist: all completed (forced: its dependency echidnabot failed)
    const t = ctx.healthCheck().tierHealth;
    expect(t.engine?.status).toBe('critical');
    expect(t.verifier).toEqual({ tier: 'verifier', status: 'unhealthy', botCount: 2, healthyCount: 1, failedCount: 1, avgCompletionMs: 200, totalFindings: 2 });
    expect(t.finisher?.status).toBe('degraded');
    expect(t.specialist?.status).toBe('healthy');
    expect(t.executor?.status).toBe('degraded');
    expect(t.custom).toBeUndefined();
  });

  it('a fully failed tier raises a critical dependency_failure alert and makes the fleet critical', () => {
    const { ctx } = fleet(['rhodibot', 'echidnabot', 'glambot']);
    for (const b of ['rhodibot', 'echidnabot']) {
      ctx.startBot(b);
      ctx.failBot(b, 'down');
    }
    const h = ctx.healthCheck();
    expect(h.alerts).toContainEqual(expect.objectContaining({ severity: 'critical', category: 'dependency_failure', message: 'All verifier bots failed', bot: null }));
    expect(h.status).toBe('critical');
  });

  it('the empty fleet scores 100 and is healthy', () => {
    const h = fleet().ctx.healthCheck();
    expect(h.healthScore).toBe(100);
    expect(h.status).toBe('healthy');
    expect(h.tierHealth).toEqual({});
    expect(h.systemMetrics).toMatchObject({ totalBots: 0, errorRate: 0, avgBotDurationMs: null });
  });

  it('a fresh register-all session has every tier pending: score 80, degraded, no alerts', () => {
    const { ctx } = fleet();
    ctx.registerAllBots();
    const h = ctx.healthCheck();
    expect(Object.keys(h.botHealth)).toEqual([...STANDARD_BOTS]);
    expect(Object.keys(h.tierHealth).sort()).toEqual(['engine', 'executor', 'finisher', 'specialist', 'verifier']);
    expect(h.healthScore).toBe(80);
    expect(h.status).toBe('degraded');
    expect(h.alerts).toEqual([]);
  });
});

describe('health check — system metrics and alerts', () => {
  it('counts bots and findings, and warns when the fleet-wide error rate is above 0.3', () => {
    const { ctx, clock } = fleet(['rhodibot', 'echidnabot']);
    run(ctx, clock, 'rhodibot', 1000, 10, 3);
    ctx.startBot('echidnabot');
    for (let i = 0; i < 10; i++) ctx.addFinding({ source: 'rhodibot', ruleId: 'r', severity: i < 3 ? 'error' : 'info', message: `m${i}` });
    let h = ctx.healthCheck();
    expect(h.systemMetrics).toMatchObject({ totalBots: 2, botsCompleted: 1, botsInProgress: 1, botsFailed: 0, totalFindings: 10, avgBotDurationMs: 1000 });
    expect(h.systemMetrics.errorRate).toBeCloseTo(0.3);
    expect(h.alerts.filter((a) => a.category === 'high_error_rate')).toEqual([]);
    ctx.addFinding({ source: 'rhodibot', ruleId: 'r', severity: 'error', message: 'one more' });
    h = ctx.healthCheck();
    expect(h.alerts).toContainEqual(expect.objectContaining({ severity: 'warning', category: 'high_error_rate', bot: null }));
  });

  it('the whole result is JSON as it is', () => {
    const { ctx, clock } = fleet();
    ctx.registerAllBots();
    run(ctx, clock, 'rhodibot', 10, 2, 2);
    const h = ctx.healthCheck();
    expect(JSON.parse(JSON.stringify(h))).toEqual(h);
  });
});

describe('health score and overall status', () => {
  it('follows the formula: 100 − 30·failed/registered − 20·bad tiers/tiers − min(anomalies, 20), floored at 0', () => {
    expect(healthScore({ registered: 0, failed: 0, badTiers: 0, evaluatedTiers: 0, anomalies: 50 })).toBe(100);
    expect(healthScore({ registered: 10, failed: 2, badTiers: 1, evaluatedTiers: 4, anomalies: 3 })).toBe(100 - 6 - 5 - 3);
    expect(healthScore({ registered: 10, failed: 0, badTiers: 0, evaluatedTiers: 4, anomalies: 25 })).toBe(80);
    expect(healthScore({ registered: 1, failed: 1, badTiers: 1, evaluatedTiers: 1, anomalies: 60 })).toBe(30);
    expect(healthScore({ registered: 1, failed: 1, badTiers: 1, evaluatedTiers: 1, anomalies: 20 })).toBeGreaterThanOrEqual(0);
  });

  it('maps scores and alerts to the four bands at their edges', () => {
    const warn: HealthAlert = { severity: 'warning', category: 'anomaly_detected', message: 'm', bot: null, timestamp: '' };
    expect(overallStatus(85, [])).toBe('healthy');
    expect(overallStatus(84.9, [])).toBe('degraded');
    expect(overallStatus(60, [warn])).toBe('degraded');
    expect(overallStatus(59.9, [])).toBe('unhealthy');
    expect(overallStatus(30, [])).toBe('unhealthy');
    expect(overallStatus(29.9, [])).toBe('critical');
    expect(overallStatus(100, [{ ...warn, severity: 'error' }])).toBe('unhealthy');
    expect(overallStatus(100, [{ ...warn, severity: 'critical' }])).toBe('critical');
  });

  it('is a pure function of its input', () => {
    const input = { now: 0, sessionDurationMs: 0, bots: [], totalFindings: 0, errorFindings: 0 };
    expect(computeHealth(input)).toEqual(computeHealth(input));
  });
});
