/** The health score and the overall status bands (fleet-behaviour.md, "Health check"). */
import type { HealthAlert, HealthStatus } from './types.js';

/** A fleet-wide error rate (error findings / findings) above this raises a `high_error_rate` alert. */
export const SYSTEM_ERROR_RATE = 0.3;

/** What the score is made of. */
export interface ScoreInput {
  /** Registered bots. */
  readonly registered: number;
  /** Failed bots. */
  readonly failed: number;
  /** Tiers whose status is degraded or unhealthy (critical tiers are not counted here). */
  readonly badTiers: number;
  /** Tiers evaluated (those with at least one registered bot). */
  readonly evaluatedTiers: number;
  /** Anomalies over all bots. */
  readonly anomalies: number;
}

/**
 * 100 with no bot registered; otherwise 100 − 30 × failed/registered
 * − 20 × bad tiers/evaluated tiers − min(anomalies, 20), never below 0.
 */
export function healthScore(s: ScoreInput): number {
  if (s.registered === 0) return 100;
  let score = 100 - (30 * s.failed) / s.registered;
  if (s.evaluatedTiers > 0) score -= (20 * s.badTiers) / s.evaluatedTiers;
  score -= Math.min(s.anomalies, 20);
  return Math.max(0, score);
}

/** A critical alert or score < 30 → critical; an error alert or score < 60 → unhealthy; score < 85 → degraded; else healthy. */
export function overallStatus(score: number, alerts: readonly HealthAlert[]): HealthStatus {
  let critical = false;
  let error = false;
  for (const a of alerts) {
    if (a.severity === 'critical') critical = true;
    else if (a.severity === 'error') error = true;
  }
  if (critical || score < 30) return 'critical';
  if (error || score < 60) return 'unhealthy';
  if (score < 85) return 'degraded';
  return 'healthy';
}
