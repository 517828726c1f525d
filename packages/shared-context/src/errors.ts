/**
 * The one error catalogue of `@fleetkit/shared-context`. Every error extends
 * {@link FleetError} and carries a stable `code` (`FK_<AREA>_<WHAT>`) that
 * callers can switch on; messages are for people and may change.
 */
import type { Issue } from './issue.js';
import { formatIssues } from './issue.js';

/** Stable error codes, documented in `docs/errors.md`. */
export const ERROR_CODES = [
  'FK_BOT_NOT_REGISTERED',
  'FK_INVALID_TRANSITION',
  'FK_DEPENDENCIES_NOT_DONE',
  'FK_VALIDATION',
  'FK_NOT_FOUND',
  'FK_DUPLICATE_FINDING',
  'FK_STORAGE',
  'FK_STORAGE_UNAVAILABLE',
  'FK_IDEMPOTENCY_KEY_REUSED',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Base class of every error fleetkit throws on purpose. */
export class FleetError extends Error {
  /** Stable machine-readable code, e.g. `FK_VALIDATION`. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A bot was used (started, completed, …) before it was registered. */
export class BotNotRegisteredError extends FleetError {
  /** The bot id that is not registered. */
  readonly bot: string;

  constructor(bot: string) {
    super('FK_BOT_NOT_REGISTERED', `bot "${bot}" is not registered in this context`);
    this.bot = bot;
  }
}

/** A bot lifecycle transition that the state machine does not allow. */
export class InvalidTransitionError extends FleetError {
  /** The bot whose transition was refused. */
  readonly bot: string;
  /** The bot's state when the transition was attempted. */
  readonly from: string;
  /** The state the transition would have led to. */
  readonly to: string;

  constructor(bot: string, from: string, to: string) {
    super('FK_INVALID_TRANSITION', `bot "${bot}" cannot go from "${from}" to "${to}"`);
    this.bot = bot;
    this.from = from;
    this.to = to;
  }
}

/**
 * A bot was started while dependencies of it that are registered in the
 * session are not done (completed or skipped). `startBot(id, { force: true })`
 * starts it anyway.
 */
export class DependenciesNotDoneError extends FleetError {
  /** The bot that was not started. */
  readonly bot: string;
  /** Its registered dependencies that are not done, in its `dependsOn` order. */
  readonly pending: readonly string[];

  constructor(bot: string, pending: readonly string[]) {
    const names = pending.map((d) => `"${d}"`).join(', ');
    const its = pending.length === 1 ? 'its dependency' : 'its dependencies';
    const have = pending.length === 1 ? 'has' : 'have';
    super('FK_DEPENDENCIES_NOT_DONE', `bot "${bot}" cannot start: ${its} ${names} ${have} not completed (pass { force: true } to start it anyway)`);
    this.bot = bot;
    this.pending = Object.freeze([...pending]);
  }
}

/**
 * Outside input did not have the expected shape. `issues` lists every
 * problem with its path (rendered like `findings[3].severity`); `source`
 * names the file or argument the input came from, when known.
 */
export class ValidationError extends FleetError {
  /** Every problem found, each with its path. */
  readonly issues: readonly Issue[];
  /** Where the input came from (a file path or an argument name), if known. */
  readonly source: string | undefined;

  constructor(issues: readonly Issue[], source?: string, options?: { cause?: unknown }) {
    const where = source === undefined ? '' : `${source}: `;
    super('FK_VALIDATION', `${where}invalid input: ${formatIssues(issues)}`, options);
    this.issues = issues;
    this.source = source;
  }
}

/** A thing looked up by id or name does not exist. */
export class NotFoundError extends FleetError {
  /** What kind of thing was looked up (`finding`, `session`, `repo`, …). */
  readonly kind: string;
  /** The id or name that was not found. */
  readonly id: string;

  constructor(kind: string, id: string) {
    super('FK_NOT_FOUND', `${kind} "${id}" not found`);
    this.kind = kind;
    this.id = id;
  }
}

/** A finding with an id that the set already holds was added. */
export class DuplicateFindingError extends FleetError {
  /** The duplicated finding id. */
  readonly id: string;

  constructor(id: string, where?: string) {
    super('FK_DUPLICATE_FINDING', `${where === undefined ? '' : `${where}: `}a finding with id "${id}" is already in the set`);
    this.id = id;
  }
}

/** The storage (a directory, a database) could not be read or written, or is not usable as configured. */
export class StorageError extends FleetError {
  /** The file or directory involved. */
  readonly path: string;

  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('FK_STORAGE', `${path}: ${message}`, options);
    this.path = path;
  }
}

/**
 * The storage cannot be reached now (a database restarting, a dropped
 * connection); the same request may succeed later. Nothing of the request
 * was stored unless it was acknowledged.
 */
export class StorageUnavailableError extends FleetError {
  /** The storage (a database URL without its password). */
  readonly location: string;
  /** Seconds after which a retry is sensible. */
  readonly retryAfterSeconds: number;

  constructor(location: string, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super('FK_STORAGE_UNAVAILABLE', `${location}: ${message}`, options);
    this.location = location;
    this.retryAfterSeconds = options?.retryAfterSeconds ?? 1;
  }
}

/** An idempotency key was used again for a batch that is not the one first stored under it. */
export class IdempotencyKeyReusedError extends FleetError {
  /** The key. */
  readonly key: string;

  constructor(sessionId: string, key: string) {
    super('FK_IDEMPOTENCY_KEY_REUSED', `session "${sessionId}": idempotency key "${key}" was already used for a different batch of findings`);
    this.key = key;
  }
}
