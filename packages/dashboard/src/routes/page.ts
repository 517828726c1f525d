/**
 * The page: every file under `public/`, read once at start (they are small
 * and never change while the server runs) and served with an ETag. Only
 * files that exist there get a route; nothing is resolved from the URL.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const PUBLIC = fileURLToPath(new URL('../../public/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile() && TYPES[extname(e.name)] !== undefined) yield p;
  }
}

/** Registers a route per file of `public/` (`index.html` also at `/`). */
export function pageRoutes(app: FastifyInstance): void {
  for (const file of files(PUBLIC)) {
    const body = readFileSync(file);
    const type = TYPES[extname(file)]!;
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    const url = `/${relative(PUBLIC, file).split(sep).join('/')}`;
    const routes = url === '/index.html' ? ['/', url] : [url];
    for (const route of routes) {
      app.get(route, { schema: { hide: true } }, async (req, reply) => {
        reply.header('ETag', etag).header('Cache-Control', 'no-cache').type(type);
        if (req.headers['if-none-match'] === etag) return reply.code(304).send();
        return reply.send(body);
      });
    }
  }
}
