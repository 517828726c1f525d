/**
 * Errors of @fleetkit/dashboard. Every error answered over HTTP has the body
 * `{ "error": { "code", "message", "issues"? } }`; `issues` name the field
 * (`path`, e.g. `findings[3].severity`) and what is wrong with it.
 */
import type { FleetError } from '@fleetkit/shared-context';
import { formatPath, StorageUnavailableError, ValidationError } from '@fleetkit/shared-context';

/** Stable codes of dashboard errors (documented in docs/errors.md). */
export const DASHBOARD_ERROR_CODES = [
  'FK_HTTP_BAD_REQUEST',
  'FK_HTTP_UNAUTHORIZED',
  'FK_HTTP_NOT_FOUND',
  'FK_HTTP_TOO_LARGE',
  'FK_HTTP_UNSUPPORTED_MEDIA',
  'FK_HTTP_RATE_LIMITED',
  'FK_HTTP_TOO_MANY_CLIENTS',
  'FK_HTTP_INTERNAL',
  'FK_DASHBOARD_CONFIG',
] as const;

/** A dashboard error code. */
export type DashboardErrorCode = (typeof DASHBOARD_ERROR_CODES)[number];

/** One problem with a request, by field. */
export interface HttpIssue {
  /** Where: `body.findings[3].severity`, `query.limit`, `params.sessionId`. */
  readonly path: string;
  readonly message: string;
}

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly error: {
    readonly code: DashboardErrorCode | FleetError['code'];
    readonly message: string;
    readonly issues?: readonly HttpIssue[];
  };
}

/** An error with an HTTP status, answered as an {@link ErrorBody}. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: DashboardErrorCode | FleetError['code'];
  readonly issues: readonly HttpIssue[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    statusCode: number,
    code: DashboardErrorCode | FleetError['code'],
    message: string,
    options: { issues?: readonly HttpIssue[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.issues = options.issues;
    this.headers = options.headers ?? {};
  }

  /** The response body. */
  body(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.issues === undefined ? {} : { issues: this.issues }) } };
  }
}

/** A bad dashboard configuration (options or command line). */
export class DashboardConfigError extends Error {
  readonly code = 'FK_DASHBOARD_CONFIG' as const;
  constructor(message: string) {
    super(message);
    this.name = 'DashboardConfigError';
  }
}

const FLEET_STATUS: Readonly<Record<FleetError['code'], number>> = {
  FK_VALIDATION: 400,
  FK_NOT_FOUND: 404,
  FK_BOT_NOT_REGISTERED: 404,
  FK_INVALID_TRANSITION: 409,
  FK_DEPENDENCIES_NOT_DONE: 409,
  FK_DUPLICATE_FINDING: 409,
  FK_STORAGE: 500,
  FK_STORAGE_UNAVAILABLE: 503,
  FK_IDEMPOTENCY_KEY_REUSED: 422,
};

/**
 * The HTTP answer for a library error. `prefix` is prepended to validation
 * paths so they name the request part (`body`).
 */
export function fromFleetError(err: FleetError, prefix = 'body'): HttpError {
  const status = FLEET_STATUS[err.code];
  if (err instanceof StorageUnavailableError) {
    return new HttpError(503, 'FK_STORAGE_UNAVAILABLE', 'the storage is unavailable: retry later (a batch of findings with its Idempotency-Key is then stored once, whether or not this attempt was)', {
      cause: err,
      headers: { 'Retry-After': String(err.retryAfterSeconds) },
    });
  }
  if (status >= 500) return new HttpError(500, 'FK_HTTP_INTERNAL', 'the server could not complete the request', { cause: err });
  if (err instanceof ValidationError) {
    const issues = err.issues.map((i) => ({ path: i.path.length === 0 ? prefix : `${prefix}.${formatPath(i.path)}`.replace('.[', '['), message: i.message }));
    return new HttpError(400, 'FK_VALIDATION', `invalid ${prefix}: ${issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues, cause: err });
  }
  return new HttpError(status, err.code, err.message, { cause: err });
}
