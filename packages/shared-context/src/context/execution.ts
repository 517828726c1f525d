/** A bot's execution record: a union on `status`, one variant per lifecycle state. */
import type { BotId } from '../bots/roster.js';

/** Lifecycle states of a bot execution. */
export const EXECUTION_STATUSES = ['pending', 'running', 'completed', 'failed', 'skipped'] as const;

/** One of {@link EXECUTION_STATUSES}. */
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** Registered, not started. */
export interface PendingExecution {
  readonly bot: BotId;
  readonly status: 'pending';
}

/** Started, not finished. */
export interface RunningExecution {
  readonly bot: BotId;
  readonly status: 'running';
  /** When the bot started, ISO 8601. */
  readonly startedAt: string;
}

/** Finished normally. */
export interface CompletedExecution {
  readonly bot: BotId;
  readonly status: 'completed';
  readonly startedAt: string;
  /** When the bot finished, ISO 8601. */
  readonly completedAt: string;
  /** Run time in milliseconds. */
  readonly durationMs: number;
  /** Findings the bot reported. */
  readonly findingsCount: number;
  /** Error findings the bot reported. */
  readonly errorsCount: number;
  /** Files the bot analysed. */
  readonly filesAnalyzed: number;
}

/** Finished with an error. */
export interface FailedExecution {
  readonly bot: BotId;
  readonly status: 'failed';
  readonly startedAt: string;
  readonly completedAt: string;
  /** Run time in milliseconds. */
  readonly durationMs: number;
  /** What went wrong. */
  readonly error: string;
}

/** Not run, on purpose. */
export interface SkippedExecution {
  readonly bot: BotId;
  readonly status: 'skipped';
  /** When it was skipped, ISO 8601. */
  readonly completedAt: string;
  /** Why it was skipped. */
  readonly reason: string;
}

/** A bot's execution record, discriminated by `status`. */
export type BotExecution = PendingExecution | RunningExecution | CompletedExecution | FailedExecution | SkippedExecution;

/**
 * Legal transitions: pending → running → completed | failed; pending → skipped.
 * Each state is entered from one state only, so the table names that one:
 * a lookup and a comparison on the transition hot path, no list to search.
 */
const ENTERED_FROM: Readonly<Record<ExecutionStatus, ExecutionStatus | undefined>> = {
  pending: undefined,
  running: 'pending',
  completed: 'running',
  failed: 'running',
  skipped: 'pending',
};

/** True when a bot in state `from` may move to state `to`. */
export function canTransition(from: ExecutionStatus, to: ExecutionStatus): boolean {
  return ENTERED_FROM[to] === from;
}

/** Done for dependency purposes: completed or skipped. */
export function isDone(execution: BotExecution | undefined): boolean {
  return execution !== undefined && (execution.status === 'completed' || execution.status === 'skipped');
}
