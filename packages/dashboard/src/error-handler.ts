/**
 * Every error becomes a JSON answer naming what was wrong: schema failures
 * name the request part and field, library errors keep their codes, and only
 * a real server fault is a 5xx (logged, its details never sent).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { FleetError } from '@fleetkit/shared-context';
import type { HttpIssue } from './errors.js';
import { fromFleetError, HttpError } from './errors.js';

const PART: Readonly<Record<string, string>> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

interface AjvIssue {
  readonly instancePath?: string;
  readonly keyword?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

// A value that matches no branch of an anyOf (a bot given as an id or as an
// object) gets an error from every branch, and the branches for the other
// type only say "must be string" or "must be object". Those are left out when
// the value's own branch says what is wrong, and merged into one when none does.
function withoutOtherBranches(errors: readonly AjvIssue[]): readonly AjvIssue[] {
  const anyOfAt = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath ?? ''));
  if (anyOfAt.size === 0) return errors;
  const within = (path: string, at: string): boolean => path === at || path.startsWith(`${at}/`);
  const out: AjvIssue[] = [];
  const merged = new Set<string>();
  for (const e of errors) {
    const at = e.instancePath ?? '';
    if (!anyOfAt.has(at)) out.push(e);
    else if (e.keyword === 'type') {
      // Explained: an error inside the value, or one about the value that is not its type.
      const explained = errors.some((o) => o.keyword !== 'anyOf' && ((o.instancePath ?? '') === at ? o.keyword !== 'type' : within(o.instancePath ?? '', at)));
      if (explained || merged.has(at)) continue;
      merged.add(at);
      const types = errors.filter((o) => o.keyword === 'type' && o.instancePath === e.instancePath).map((o) => String(o.params?.type));
      out.push({ instancePath: at, keyword: 'type', message: `must be ${types.join(' or ')}` });
    } else if (e.keyword !== 'anyOf') out.push(e);
  }
  return out;
}

function issuesOf(part: string, all: readonly AjvIssue[]): HttpIssue[] {
  return withoutOtherBranches(all).map((e) => {
    let path = part + (e.instancePath ?? '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
    let message = e.message ?? 'is invalid';
    const p = e.params ?? {};
    if (e.keyword === 'additionalProperties' && typeof p.additionalProperty === 'string') {
      path += `.${p.additionalProperty}`;
      message = 'is not a known field';
    } else if (e.keyword === 'required' && typeof p.missingProperty === 'string') {
      path += `.${p.missingProperty}`;
      message = 'is required';
    } else if (e.keyword === 'enum' && Array.isArray(p.allowedValues)) {
      message = `must be one of ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    return { path, message };
  });
}

/** Maps any error thrown while answering to an HttpError. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof FleetError) return fromFleetError(err);
  const fe = err as Partial<FastifyError> & { validation?: readonly AjvIssue[]; validationContext?: string };
  if (Array.isArray(fe.validation)) {
    const part = PART[fe.validationContext ?? 'body'] ?? 'body';
    const issues = issuesOf(part, fe.validation);
    return new HttpError(400, 'FK_HTTP_BAD_REQUEST', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(413, 'FK_HTTP_TOO_LARGE', 'body: larger than the server accepts (see bodyLimit)', { issues: [{ path: 'body', message: 'is too large' }] });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(415, 'FK_HTTP_UNSUPPORTED_MEDIA', 'body: send JSON with Content-Type: application/json', { issues: [{ path: 'headers.content-type', message: 'must be application/json' }] });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpError(400, 'FK_HTTP_BAD_REQUEST', 'body: empty, expected a JSON object', { issues: [{ path: 'body', message: 'is empty' }] });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HttpError(400, 'FK_HTTP_BAD_REQUEST', `body: not valid JSON (${fe.message ?? ''})`, { issues: [{ path: 'body', message: 'is not valid JSON' }] });
    default:
  }
  if (fe.statusCode === 429) {
    return new HttpError(429, 'FK_HTTP_RATE_LIMITED', 'too many writes; slow down', { headers: { 'Retry-After': '60' } });
  }
  if (err instanceof SyntaxError || (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500)) {
    const message = err instanceof SyntaxError ? `body: not valid JSON (${err.message})` : (fe.message ?? 'bad request');
    return new HttpError(fe.statusCode ?? 400, 'FK_HTTP_BAD_REQUEST', message, { issues: [{ path: 'body', message }] });
  }
  return new HttpError(500, 'FK_HTTP_INTERNAL', 'the server could not complete the request', { cause: err });
}

/** fastify error handler. */
export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const http = toHttpError(err);
  if (http.statusCode >= 500) request.log.error({ err }, 'request failed');
  void reply.code(http.statusCode).headers(http.headers).type('application/json; charset=utf-8').send(http.body());
}
