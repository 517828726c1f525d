/**
 * The errors of the `fleet` command line. Each has a stable `code`
 * (`FK_CLI_*`) and the exit code the command ends with.
 */

/** Stable error codes of the CLI. */
export const CLI_ERROR_CODES = ['FK_CLI_USAGE', 'FK_CLI_INPUT', 'FK_CLI_OUTPUT'] as const;

/** One of {@link CLI_ERROR_CODES}. */
export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];

/**
 * Exit codes: 0 success, 1 gate blocked (or rejected inputs under `--strict`),
 * 2 usage or unusable input, 3 a bot of `fleet run` failed, 130 / 143 `fleet
 * run` interrupted by SIGINT (Ctrl-C) / SIGTERM (128 + the signal's number,
 * as shells report it).
 */
export const EXIT = { ok: 0, blocked: 1, usage: 2, botFailed: 3, interrupted: 130, terminated: 143 } as const;

/** An error the CLI reports on stderr before exiting with {@link EXIT}.usage. */
export class CliError extends Error {
  /** Stable machine-readable code. */
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.code = code;
  }
}

/** Bad command line: unknown command or option, missing or malformed value. */
export class UsageError extends CliError {
  /** The command whose usage to show, if known. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super('FK_CLI_USAGE', message);
    this.name = 'UsageError';
    this.command = command;
  }
}
