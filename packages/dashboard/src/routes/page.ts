/**
 * The page: static files from `public/`, read once at start (they are small
 * and never change while the server runs) and served with their ETag.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const PUBLIC = fileURLToPath(new URL('../../public/', import.meta.url));

const FILES: ReadonlyArray<readonly [route: string, file: string, type: string]> = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/app.js', 'app.js', 'text/javascript; charset=utf-8'],
  ['/app.css', 'app.css', 'text/css; charset=utf-8'],
  ['/favicon.svg', 'favicon.svg', 'image/svg+xml'],
];

/** Registers the page's routes. */
export function pageRoutes(app: FastifyInstance): void {
  for (const [route, file, type] of FILES) {
    const body = readFileSync(PUBLIC + file);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    app.get(route, { schema: { hide: true } }, async (req, reply) => {
      reply.header('ETag', etag).header('Cache-Control', 'no-cache').type(type);
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.send(body);
    });
  }
}
