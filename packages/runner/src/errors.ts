/**
 * The errors of `@fleetkit/runner`. Each has a stable `code` (`FK_RUN_*`);
 * messages are for people and may change.
 */
import type { PathSegment } from '@fleetkit/shared-context';
import { formatPath } from '@fleetkit/shared-context';

/** Stable error codes of the runner. */
export const RUNNER_ERROR_CODES = ['FK_RUN_CONFIG', 'FK_RUN_STORAGE'] as const;

/** One of {@link RUNNER_ERROR_CODES}. */
export type RunnerErrorCode = (typeof RUNNER_ERROR_CODES)[number];

/** Base class of every error the runner throws on purpose. */
export class RunnerError extends Error {
  /** Stable machine-readable code. */
  readonly code: RunnerErrorCode;

  constructor(code: RunnerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One problem of a fleet file, at a place in it. */
export interface ConfigIssue {
  /** Where in the file, e.g. `['bots', 3, 'dependsOn', 0]`; empty for the file as a whole. */
  readonly path: readonly PathSegment[];
  readonly message: string;
}

/**
 * A fleet file that cannot be used: unreadable, not JSON, or not a valid
 * fleet. Lists every problem with its place (`bots[3].dependsOn[0]: unknown
 * bot "glambot2"`), one per line after the file name.
 */
export class FleetConfigError extends RunnerError {
  /** The fleet file (as given), or an argument name such as `--only`. */
  readonly file: string;
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    const lines = issues.map((i) => (i.path.length === 0 ? i.message : `${formatPath(i.path)}: ${i.message}`));
    super('FK_RUN_CONFIG', `${file}: ${lines.length === 1 ? (lines[0] ?? '') : `${lines.length} problems:\n  ${lines.join('\n  ')}`}`, options);
    this.file = file;
    this.issues = issues;
  }
}

/** A storage or dashboard the run records into failed; the run went on, but the record is incomplete. */
export class RunStorageError extends RunnerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FK_RUN_STORAGE', message, options);
  }
}
