/** Security headers and bearer-token checks. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { HttpError } from './errors.js';

/** The page's policy: nothing inline, nothing from elsewhere. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Downloaded HTML reports carry their own stricter policy (a script hash) in a
 * meta tag; both apply, and the sandbox keeps them away from the dashboard's origin.
 */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox allow-scripts";

const COMMON: ReadonlyArray<readonly [string, string]> = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
];

/** Sets the security headers on a raw response (so hijacked streams get them too). */
export function setSecurityHeaders(res: ServerResponse, csp = PAGE_CSP): void {
  for (const [k, v] of COMMON) res.setHeader(k, v);
  res.setHeader('Content-Security-Policy', csp);
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Checks `Authorization: Bearer <token>` in constant time. */
export class TokenGuard {
  readonly #expected: Buffer | undefined;

  constructor(token: string | undefined) {
    this.#expected = token === undefined ? undefined : digest(token);
  }

  /** True when a token is configured (writes are possible). */
  get enabled(): boolean {
    return this.#expected !== undefined;
  }

  /** Throws a 401 {@link HttpError} unless the request carries the token. */
  check(headers: IncomingHttpHeaders): void {
    const challenge = { 'WWW-Authenticate': 'Bearer realm="fleetkit"' };
    if (this.#expected === undefined) {
      throw new HttpError(401, 'FK_HTTP_UNAUTHORIZED', 'writes are disabled: start the dashboard with --token (or FLEET_DASHBOARD_TOKEN) to accept them', { headers: challenge });
    }
    const auth = headers.authorization;
    const m = typeof auth === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
    if (m === null) throw new HttpError(401, 'FK_HTTP_UNAUTHORIZED', 'missing bearer token (header Authorization: Bearer <token>)', { headers: challenge });
    // Comparing fixed-length digests keeps the time independent of where they differ and of the length.
    if (!timingSafeEqual(digest(m[1]!), this.#expected)) throw new HttpError(401, 'FK_HTTP_UNAUTHORIZED', 'wrong bearer token', { headers: challenge });
  }
}

/** The cookie that carries read access for the page (set by POST /api/login). */
export const READ_COOKIE = 'fk_read';

/**
 * Read access: open, or a bearer token (the read token, or the write token,
 * which reads too), or the page's cookie. The cookie holds a digest of the
 * token, never the token, so every replica that knows the token accepts it
 * and a leaked cookie does not give the token away.
 */
export class ReadGuard {
  readonly #tokens: readonly Buffer[];
  readonly #cookies: readonly string[];

  /** `tokens`: the tokens that may read; none means reads are open. */
  constructor(tokens: readonly string[]) {
    this.#tokens = tokens.map(digest);
    this.#cookies = tokens.map(cookieValue);
  }

  /** True when reads need a token. */
  get enabled(): boolean {
    return this.#tokens.length > 0;
  }

  /** Throws a 401 {@link HttpError} unless reads are open or the request carries a token that may read (header or cookie). */
  check(headers: IncomingHttpHeaders): void {
    if (!this.enabled) return;
    const auth = headers.authorization;
    const m = typeof auth === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
    if (m !== null && this.#accepts(m[1]!)) return;
    const cookie = cookieOf(headers.cookie, READ_COOKIE);
    if (cookie !== undefined && this.#cookies.some((c) => safeEqual(c, cookie))) return;
    throw new HttpError(401, 'FK_HTTP_UNAUTHORIZED', 'reads need a token: send Authorization: Bearer <read token>, or sign in on the page', {
      headers: { 'WWW-Authenticate': 'Bearer realm="fleetkit"' },
    });
  }

  /** The cookie value for a token that may read, or undefined for any other text. */
  cookieFor(token: string): string | undefined {
    return this.#accepts(token) ? cookieValue(token) : undefined;
  }

  #accepts(token: string): boolean {
    const d = digest(token);
    let ok = false;
    // Every token is compared (no early exit), each in constant time.
    for (const t of this.#tokens) ok = timingSafeEqual(d, t) || ok;
    return ok;
  }
}

function cookieValue(token: string): string {
  return createHash('sha256').update(`fleetkit-read-cookie\u0000${token}`, 'utf8').digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function cookieOf(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
