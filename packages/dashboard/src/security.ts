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
