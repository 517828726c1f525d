/**
 * The shape of a health check. Plain data keyed by bot id and by tier, so a
 * FleetHealth is JSON as it is.
 */
import type { BotId } from '../bots/roster.js';
import type { Tier } from '../bots/tier.js';
import type { ExecutionStatus } from '../context/execution.js';

/** Health statuses, best first. */
export const HEALTH_STATUSES = ['healthy', 'degraded', 'unhealthy', 'critical'] as const;
/** One of {@link HEALTH_STATUSES}. */
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** Alert severities, least severe first. */
export const ALERT_SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
/** One of {@link ALERT_SEVERITIES}. */
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** What an alert is about. */
export const ALERT_CATEGORIES = [
  'bot_failure',
  'slow_execution',
  'high_error_rate',
  'dependency_failure',
  'resource_exhaustion',
  'anomaly_detected',
] as const;
/** One of {@link ALERT_CATEGORIES}. */
export type AlertCategory = (typeof ALERT_CATEGORIES)[number];

/** Health of one bot. */
export interface BotHealth {
  readonly status: HealthStatus;
  readonly executionStatus: ExecutionStatus;
  /** Findings the bot reported on completion (0 before). */
  readonly findingsCount: number;
  /** Error findings the bot reported on completion (0 before). */
  readonly errorsCount: number;
  /** Run time in ms: finished bots' duration, running bots' time so far; null when not started. */
  readonly durationMs: number | null;
  /** Mean duration over the bot's recent runs in history (ms); null without history. */
  readonly avgDurationMs: number | null;
  /** Share of recent runs in history that completed (0..1); null without history. */
  readonly successRate: number | null;
  /** Anomaly messages, e.g. `High error rate: 80.0% (8/10)`. */
  readonly anomalies: readonly string[];
}

/** Health of one tier. */
export interface TierHealth {
  readonly tier: Tier;
  readonly status: HealthStatus;
  readonly botCount: number;
  /** Bots of the tier that completed. */
  readonly healthyCount: number;
  readonly failedCount: number;
  /** Mean duration of the tier's bots that have both start and end (ms); null when none. */
  readonly avgCompletionMs: number | null;
  /** Sum of the findings counts the tier's bots reported. */
  readonly totalFindings: number;
}

/** Fleet-wide numbers. */
export interface SystemMetrics {
  readonly sessionDurationMs: number;
  readonly totalBots: number;
  readonly botsCompleted: number;
  readonly botsInProgress: number;
  readonly botsFailed: number;
  /** Findings in the set. */
  readonly totalFindings: number;
  /** Error findings / all findings (0 when there are none). */
  readonly errorRate: number;
  /** Mean duration of finished bots (ms); null when none. */
  readonly avgBotDurationMs: number | null;
}

/** Something that needs attention. */
export interface HealthAlert {
  readonly severity: AlertSeverity;
  readonly category: AlertCategory;
  readonly message: string;
  /** The bot concerned, or null for fleet-wide alerts. */
  readonly bot: BotId | null;
  /** When it was raised, ISO 8601. */
  readonly timestamp: string;
}

/** The result of a health check. */
export interface FleetHealth {
  readonly status: HealthStatus;
  /** When the check ran, ISO 8601. */
  readonly checkedAt: string;
  /** 0–100. */
  readonly healthScore: number;
  readonly botHealth: Readonly<Record<BotId, BotHealth>>;
  readonly tierHealth: Readonly<Partial<Record<Tier, TierHealth>>>;
  readonly systemMetrics: SystemMetrics;
  readonly alerts: readonly HealthAlert[];
  /** History entries that were skipped as missing or corrupt (indexes into RepoState.sessions). */
  readonly historySkipped: readonly number[];
}
