/** What a run tells as it goes ({@link RunEvent}) and what it gives at the end ({@link RunResult}). */
import type { BotId, Context, ImportFormat, Severity } from '@fleetkit/shared-context';
import type { RunStorageError } from './errors.js';

/** Findings counted by severity. */
export type SeverityCounts = Readonly<Record<Severity, number>>;

/** A bot event, in the order they happen. */
export type RunEvent =
  | { readonly type: 'started'; readonly bot: BotId }
  | { readonly type: 'completed'; readonly bot: BotId; readonly durationMs: number; readonly findings: number; readonly severities: SeverityCounts; readonly rejected: number }
  | { readonly type: 'failed'; readonly bot: BotId; readonly durationMs: number; readonly reason: string; readonly stderrTail: string; readonly allowFailure: boolean }
  | { readonly type: 'skipped'; readonly bot: BotId; readonly reason: string }
  /** Something to know that did not fail the bot (a record of its output that was rejected). */
  | { readonly type: 'warning'; readonly bot: BotId; readonly message: string };

/** How one bot ended. */
export interface BotResult {
  readonly id: BotId;
  readonly status: 'completed' | 'failed' | 'skipped';
  readonly allowFailure: boolean;
  /** Run time, ms (0 when skipped). */
  readonly durationMs: number;
  /** Findings credited to the bot. */
  readonly findings: number;
  readonly severities: SeverityCounts;
  /** Records of its output that could not be read. */
  readonly rejected: number;
  /** The format its output was read as. */
  readonly format?: ImportFormat | undefined;
  readonly exitCode?: number | undefined;
  /** Why it failed or was skipped. */
  readonly reason?: string;
  /** What kind of failure. */
  readonly cause?: 'not-started' | 'exit-code' | 'signal' | 'timeout' | 'interrupted' | 'output';
  /** The end of its stderr (failed bots). */
  readonly stderrTail?: string;
}

/** The end of a run. */
export interface RunResult {
  /** The session, completed: bots, executions, findings, and the run's data under `fleet.run`. */
  readonly ctx: Context;
  /** Every bot, in the plan's order. */
  readonly bots: readonly BotResult[];
  /** True when the run was interrupted. */
  readonly interrupted: boolean;
  /** Bots that failed and do not allow failure. */
  readonly failed: readonly BotId[];
  /** Bots allowed at once. */
  readonly jobs: number;
  /** Most bots that ran at once. */
  readonly peakConcurrency: number;
  /** The run's wall time, ms. */
  readonly wallMs: number;
  /** The first write to the recorder that failed; the record is incomplete from there on. */
  readonly recordingError: RunStorageError | undefined;
  /** The session's id where the recorder keeps it (a dashboard names its own). */
  readonly recordedAs: string | undefined;
}
