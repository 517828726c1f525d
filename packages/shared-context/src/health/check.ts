/**
 * The health check as a pure function of a snapshot: bots with their
 * executions, the finding counts the set keeps, the clock and (optionally)
 * run history. No walk over findings happens here.
 */
import type { BotInfo } from '../bots/roster.js';
import { isoTime } from '../iso-time.js';
import type { Tier } from '../bots/tier.js';
import { TIERS } from '../bots/tier.js';
import type { BotExecution } from '../context/execution.js';
import {
  errorRateAnomaly,
  longExecutionAnomaly,
  lowSuccessAnomaly,
  NO_FINDINGS,
  slowExecutionAnomaly,
} from './anomalies.js';
import type { FleetHistory } from './history.js';
import { healthScore, overallStatus, SYSTEM_ERROR_RATE } from './score.js';
import type { BotHealth, FleetHealth, HealthAlert, HealthStatus, SystemMetrics, TierHealth } from './types.js';

/** Everything a health check reads. */
export interface HealthInput {
  /** The clock, epoch ms. */
  readonly now: number;
  /** Time since the session started (to completion, once completed), ms. */
  readonly sessionDurationMs: number;
  /** Registered bots with their executions, in registration order. */
  readonly bots: readonly { readonly info: BotInfo; readonly execution: BotExecution }[];
  /** Findings in the set. */
  readonly totalFindings: number;
  /** Error findings in the set. */
  readonly errorFindings: number;
  /** Run history of the repository, if known. */
  readonly history?: FleetHistory;
}

interface BotOutcome {
  readonly health: BotHealth;
  /** Whether the slow-run anomaly fired (raised as `slow_execution`). */
  readonly slow: string | undefined;
}

const NO_RUNS = { durations: [], completed: 0, failed: 0 } as const;

function durationOf(e: BotExecution, now: number): number | null {
  switch (e.status) {
    case 'completed':
    case 'failed':
      return e.durationMs;
    case 'running':
      return Math.max(0, now - Date.parse(e.startedAt));
    default:
      return null;
  }
}

function botHealthOf(info: BotInfo, e: BotExecution, input: HealthInput): BotOutcome {
  const findings = e.status === 'completed' ? e.findingsCount : 0;
  const errors = e.status === 'completed' ? e.errorsCount : 0;
  const durationMs = durationOf(e, input.now);
  const anomalies: string[] = [];
  const add = (a: string | undefined): void => {
    if (a !== undefined) anomalies.push(a);
  };
  add(errorRateAnomaly(findings, errors));
  if (e.status === 'completed' && findings === 0 && info.tier !== 'engine') anomalies.push(NO_FINDINGS);
  add(longExecutionAnomaly(durationMs));

  let avgDurationMs: number | null = null;
  let successRate: number | null = null;
  let slow: string | undefined;
  if (input.history !== undefined) {
    const h = input.history.bots.get(info.id) ?? NO_RUNS;
    // The window is the previous runs plus this one once it has finished.
    const finished = e.status === 'completed' || e.status === 'failed';
    const durations = finished && durationMs !== null ? [...h.durations, durationMs] : h.durations;
    const completed = h.completed + (e.status === 'completed' ? 1 : 0);
    const runs = h.completed + h.failed + (finished ? 1 : 0);
    avgDurationMs = durations.length > 0 ? durations.reduce((a, b) => a + b, 0) / durations.length : null;
    successRate = runs > 0 ? completed / runs : null;
    slow = finished ? slowExecutionAnomaly(durationMs, h.durations) : undefined;
    add(slow);
    add(lowSuccessAnomaly(successRate, runs));
  }

  let status: HealthStatus;
  switch (e.status) {
    case 'failed':
      status = 'critical';
      break;
    case 'completed':
      status = anomalies.length > 0 ? 'degraded' : 'healthy';
      break;
    case 'skipped':
      status = 'degraded';
      break;
    default:
      status = 'healthy';
  }
  return {
    health: { status, executionStatus: e.status, findingsCount: findings, errorsCount: errors, durationMs, avgDurationMs, successRate, anomalies },
    slow,
  };
}

function tierHealthOf(tier: Tier, members: readonly { info: BotInfo; execution: BotExecution }[]): TierHealth {
  let completed = 0;
  let failed = 0;
  let totalFindings = 0;
  let durSum = 0;
  let durCount = 0;
  for (const { execution: e } of members) {
    if (e.status === 'completed') {
      completed++;
      totalFindings += e.findingsCount;
    } else if (e.status === 'failed') failed++;
    if (e.status === 'completed' || e.status === 'failed') {
      durSum += e.durationMs;
      durCount++;
    }
  }
  const n = members.length;
  const status: HealthStatus = failed === n ? 'critical' : failed > 0 ? 'unhealthy' : completed < n ? 'degraded' : 'healthy';
  return { tier, status, botCount: n, healthyCount: completed, failedCount: failed, avgCompletionMs: durCount > 0 ? durSum / durCount : null, totalFindings };
}

/** Computes the fleet's health from a snapshot. Pure: same input, same output. */
export function computeHealth(input: HealthInput): FleetHealth {
  const timestamp = isoTime(input.now);
  const botHealth: Record<string, BotHealth> = Object.create(null) as Record<string, BotHealth>;
  const alerts: HealthAlert[] = [];
  const byTier = new Map<Tier, { info: BotInfo; execution: BotExecution }[]>();
  let anomalyCount = 0;
  let completed = 0;
  let running = 0;
  let failed = 0;
  let durSum = 0;
  let durCount = 0;

  for (const b of input.bots) {
    const { health, slow } = botHealthOf(b.info, b.execution, input);
    botHealth[b.info.id] = health;
    const list = byTier.get(b.info.tier);
    if (list === undefined) byTier.set(b.info.tier, [b]);
    else list.push(b);
    const e = b.execution;
    if (e.status === 'completed') completed++;
    else if (e.status === 'running') running++;
    else if (e.status === 'failed') {
      failed++;
      alerts.push({ severity: 'error', category: 'bot_failure', message: `Bot ${b.info.id} failed: ${e.error}`, bot: b.info.id, timestamp });
    }
    if (e.status === 'completed' || e.status === 'failed') {
      durSum += e.durationMs;
      durCount++;
    }
    for (const a of health.anomalies) {
      anomalyCount++;
      alerts.push({ severity: 'warning', category: a === slow ? 'slow_execution' : 'anomaly_detected', message: a, bot: b.info.id, timestamp });
    }
  }

  const tierHealth: Partial<Record<Tier, TierHealth>> = {};
  let badTiers = 0;
  for (const tier of TIERS) {
    const members = byTier.get(tier);
    if (members === undefined) continue;
    const t = tierHealthOf(tier, members);
    tierHealth[tier] = t;
    if (t.status === 'degraded' || t.status === 'unhealthy') badTiers++;
    if (t.status === 'critical') {
      alerts.push({ severity: 'critical', category: 'dependency_failure', message: `All ${tier} bots failed`, bot: null, timestamp });
    }
  }

  const errorRate = input.totalFindings > 0 ? input.errorFindings / input.totalFindings : 0;
  if (errorRate > SYSTEM_ERROR_RATE) {
    alerts.push({ severity: 'warning', category: 'high_error_rate', message: `System error rate ${(errorRate * 100).toFixed(1)}% (${input.errorFindings}/${input.totalFindings} findings)`, bot: null, timestamp });
  }

  const systemMetrics: SystemMetrics = {
    sessionDurationMs: input.sessionDurationMs,
    totalBots: input.bots.length,
    botsCompleted: completed,
    botsInProgress: running,
    botsFailed: failed,
    totalFindings: input.totalFindings,
    errorRate,
    avgBotDurationMs: durCount > 0 ? durSum / durCount : null,
  };
  const score = healthScore({ registered: input.bots.length, failed, badTiers, evaluatedTiers: byTier.size, anomalies: anomalyCount });
  return {
    status: overallStatus(score, alerts),
    checkedAt: timestamp,
    healthScore: score,
    botHealth,
    tierHealth,
    systemMetrics,
    alerts,
    historySkipped: input.history?.skipped ?? [],
  };
}
