/**
 * The read-only view of a session that health, reports and history take.
 * It is a type, not the `Context` class, so those modules sit below the class
 * that offers them as methods (`ctx.healthCheck()`, `ctx.generateReport()`)
 * and no import runs back up to it. Type-only: nothing here exists at run time.
 */
import type { BotId, BotInfo } from '../bots/roster.js';
import type { Finding } from '../findings/finding.js';
import type { FindingSet } from '../findings/finding-set.js';
import type { JsonValue } from '../json-value.js';
import type { BotExecution } from './execution.js';

/** The session at a glance. */
export interface ContextSummary {
  readonly sessionId: string;
  readonly repoName: string;
  /** Session duration in ms; null until the session is completed. */
  readonly durationMs: number | null;
  /** Bots that completed. */
  readonly botsRun: number;
  /** Bots that failed. */
  readonly botsFailed: number;
  readonly totalFindings: number;
  readonly totalErrors: number;
  readonly totalWarnings: number;
  /** Files analysed, summed over completed bots. */
  readonly totalFilesAnalyzed: number;
  /** True while an unfixed error finding remains. */
  readonly blocksRelease: boolean;
}

/**
 * The queries of a {@link FindingSet}, without `add`, `addAll`, `markFixed`
 * or `subscribe`: what a reader of a session may ask of its findings.
 * Lists are the set's live, read-only views (see `FindingSet`).
 */
export type FindingsView = Iterable<Finding> &
  Pick<
    FindingSet,
    | 'size'
    | 'version'
    | 'all'
    | 'get'
    | 'has'
    | 'bySource'
    | 'bySeverity'
    | 'byCategory'
    | 'errors'
    | 'warnings'
    | 'hasErrors'
    | 'blocksRelease'
    | 'fixable'
    | 'unfixed'
    | 'countUnfixedErrors'
    | 'fixedCount'
    | 'countBySeverity'
    | 'countBySource'
    | 'countByCategory'
    | 'sources'
    | 'categories'
  >;

/**
 * The counts of a session's findings, without the findings: all that health
 * checks and summaries read of them. A {@link FindingsView} is one; so is a
 * replica's tally of findings it does not hold.
 */
export type FindingCounts = Pick<FindingSet, 'size' | 'fixedCount' | 'countBySeverity' | 'countBySource' | 'countUnfixedErrors' | 'blocksRelease'>;

/**
 * A read-only view of one session whose findings are counts only: what the
 * health check and the summary read. Every {@link SessionView} is one; a
 * dashboard replica over a database holds sessions this way (the findings
 * stay in the database).
 */
export type SessionCountsView = Omit<SessionView, 'findings'> & {
  /** Counts of the session's findings. */
  readonly findings: FindingCounts;
};

/**
 * A read-only view of one session: what health checks, reports and the repo
 * history read. `Context` implements it, so a `Context` is accepted wherever
 * a `SessionView` is asked for; any other object with these members is too
 * (a snapshot, a proxy over a remote session, a test double).
 *
 * Caches keyed on a view (the health cache) trust `version`: two reads that
 * give the same number must have seen the same state.
 */
export interface SessionView {
  /** Unique id of the session. */
  readonly sessionId: string;
  /** Name of the repository analysed. */
  readonly repoName: string;
  /** Path of the repository analysed. */
  readonly repoPath: string;
  /** When the session started, ISO 8601. */
  readonly startedAt: string;
  /** When the session completed (ISO 8601), or null while it runs. */
  readonly completedAt: string | null;
  /** Increases on every change to the session or its findings. */
  readonly version: number;
  /** How long a health check of this session may be served from cache, ms (0: no caching). */
  readonly healthTtlMs: number;
  /** The session's clock, epoch ms. A plain function: callers call it unbound. */
  readonly now: () => number;
  /** Every finding of the session, indexed; read-only here. */
  readonly findings: FindingsView;
  /** Registered bots, in registration order. */
  bots(): Iterable<BotInfo>;
  /** Info of a registered bot, or undefined. */
  bot(id: BotId): BotInfo | undefined;
  /** The execution record of a registered bot, or undefined. */
  execution(id: BotId): BotExecution | undefined;
  /** Every execution record, in registration order. */
  executions(): readonly BotExecution[];
  /** Session duration in ms once completed, else null. */
  durationMs(): number | null;
  /** Milliseconds since the session started (up to completion, once completed). */
  elapsedMs(): number;
  /** The session at a glance. */
  summary(): ContextSummary;
  /** A value the bots share, or undefined. */
  getData(key: string): JsonValue | undefined;
  /** Keys of the shared data. */
  dataKeys(): Iterable<string>;
}
