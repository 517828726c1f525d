/**
 * A fleet plan: the fleet file resolved into what the scheduler runs. Every
 * path is absolute, every default applied, every dependency checked; the
 * scheduler trusts it and reads nothing else.
 */
import type { BotId, BotInfo, ImportFormat, ReportFormat } from '@fleetkit/shared-context';

/** How a bot's command is started: an argv run without a shell, or a script for `/bin/sh -c`. */
export type BotCommand =
  | { readonly shell: false; readonly argv: readonly [string, ...string[]] }
  | { readonly shell: true; readonly script: string };

/** Where a bot's findings are read from. */
export type BotOutput = { readonly kind: 'stdout' } | { readonly kind: 'file'; readonly path: string };

/** One bot of a plan. */
export interface PlannedBot {
  readonly id: BotId;
  /** Registration info: roster entry or custom bot, with `dependsOn` the bot's effective dependencies (all in the plan). */
  readonly info: BotInfo;
  readonly command: BotCommand;
  /** Working directory, absolute. */
  readonly cwd: string;
  /** Added to the environment of `fleet run`. */
  readonly env: Readonly<Record<string, string>>;
  /** Time allowed, ms. */
  readonly timeoutMs: number;
  readonly output: BotOutput;
  /** The output's format; detected when undefined. */
  readonly format: ImportFormat | undefined;
  /** Exit codes that mean the bot ran (most linters exit 1 when they find something). */
  readonly okExitCodes: readonly number[];
  /** A failure of this bot neither skips its dependents nor fails the run. */
  readonly allowFailure: boolean;
  /** Globs (relative to the repository root): the bot is skipped when none matches a file. */
  readonly files: readonly string[] | undefined;
}

/** Gate policy of the fleet file (used by `fleet run --gate`). */
export interface FleetGatePolicy {
  readonly failOn?: 'error' | 'warning';
  readonly maxErrors?: number;
  readonly maxWarnings?: number;
}

/** A report the run writes at the end. */
export interface PlannedReport {
  readonly format: ReportFormat;
  /** Absolute path. */
  readonly out: string;
}

/** A fleet file, resolved. */
export interface FleetPlan {
  /** The fleet file, absolute. */
  readonly configFile: string;
  readonly repoName: string;
  /** The repository root, absolute. */
  readonly repoPath: string;
  /** Bots run at once; undefined: the caller's default (the number of cores). */
  readonly jobs: number | undefined;
  /** Every bot, in a dependency order (a bot after everything it depends on). */
  readonly bots: readonly PlannedBot[];
  readonly reports: readonly PlannedReport[];
  readonly gate: FleetGatePolicy;
}
