/**
 * Signing the page in when reads need a token: the token is posted in a JSON
 * body (never in a URL, so never in a log or a browser history) and answered
 * with an HttpOnly, SameSite=Strict cookie that the page's requests, its live
 * stream and its report downloads then carry.
 */
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors.js';
import { ErrorSchema } from '../schemas.js';
import type { ReadGuard } from '../security.js';
import { READ_COOKIE } from '../security.js';

/** Registers POST /api/login and POST /api/logout. */
export function authRoutes(app: FastifyInstance, guard: ReadGuard, ratePerMinute: number): void {
  const config = { rateLimit: { max: Math.min(ratePerMinute, 60), timeWindow: 60_000 } };
  const cookie = (value: string, maxAge: number, secure: boolean): string =>
    `${READ_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;

  app.post<{ Body: { token: string } }>(
    '/api/login',
    {
      config,
      schema: {
        tags: ['auth'],
        summary: 'Sign the page in for reads: the token in the body, a cookie in the answer',
        body: { type: 'object', additionalProperties: false, required: ['token'], properties: { token: { type: 'string', minLength: 1, maxLength: 512 } } },
        response: { 204: { type: 'null' }, 400: ErrorSchema, 401: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (req, reply) => {
      if (!guard.enabled) return reply.code(204).send();
      const value = guard.cookieFor(req.body.token);
      if (value === undefined) throw new HttpError(401, 'FK_HTTP_UNAUTHORIZED', 'wrong token', { issues: [{ path: 'body.token', message: 'is not a token of this dashboard' }] });
      return reply.code(204).header('Set-Cookie', cookie(value, 12 * 3600, req.protocol === 'https')).send();
    },
  );

  app.post('/api/logout', { schema: { tags: ['auth'], summary: 'Sign the page out', response: { 204: { type: 'null' } } } }, async (req, reply) =>
    reply.code(204).header('Set-Cookie', cookie('', 0, req.protocol === 'https')).send(),
  );
}
