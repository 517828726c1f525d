/**
 * createDashboard: the fastify server with its store, live hub, metrics and
 * routes. Nothing listens until `listen()`.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { Ajv } from 'ajv';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { handleError } from './error-handler.js';
import { HttpError } from './errors.js';
import { LiveHub } from './live.js';
import { createMetrics } from './metrics.js';
import type { DashboardMetrics } from './metrics.js';
import type { DashboardOptions, ResolvedOptions } from './options.js';
import { resolveOptions } from './options.js';
import { ingestRoutes } from './routes/ingest.js';
import { BodyBudget } from './body-budget.js';
import { PageCache } from './page-cache.js';
import { liveRoutes } from './routes/live.js';
import { opsRoutes } from './routes/ops.js';
import { pageRoutes } from './routes/page.js';
import { readRoutes } from './routes/read.js';
import { ReadGuard, setSecurityHeaders, TokenGuard } from './security.js';
import { authRoutes } from './routes/auth.js';
import { SessionStore } from './store.js';
import { openStorage } from '@fleetkit/store-postgres';
import { StorageError, StorageUnavailableError } from '@fleetkit/shared-context';
import { DashboardConfigError } from './errors.js';

/** A dashboard server. */
export interface Dashboard {
  /** The fastify instance (for `inject` in tests, or more routes). */
  readonly app: FastifyInstance;
  /** Sessions of the storage (a directory or a database). */
  readonly store: SessionStore;
  /** Live clients. */
  readonly live: LiveHub;
  readonly metrics: DashboardMetrics;
  readonly options: ResolvedOptions;
  /** Starts listening; resolves with the base URL (e.g. `http://127.0.0.1:8080`). */
  listen(): Promise<string>;
  /** The base URL once listening. */
  readonly url: string | undefined;
  /** Ends live streams, stops watching and closes the server. */
  close(): Promise<void>;
}

// Bodies are validated strictly (no coercion: a string is not a number);
// query strings and path parameters are text by nature and are coerced.
const strictAjv = new Ajv({ allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: true, strict: false });
const coercingAjv = new Ajv({ allErrors: true, coerceTypes: 'array', removeAdditional: false, useDefaults: true, strict: false });

/**
 * Creates a dashboard over a storage (validating the options). A storage that
 * cannot be used (a malformed URL, a refused login, a database that is down)
 * is a {@link DashboardConfigError} saying why, without the password.
 */
export async function createDashboard(options: DashboardOptions): Promise<Dashboard> {
  const o = resolveOptions(options);
  let storage;
  try {
    storage = await openStorage(o.store, {
      context: { healthTtlMs: o.healthTtlMs },
      postgres: { maxConnections: o.maxDbConnections },
      // A dashboard serves sessions being worked on: a bot posting again after a pause should not wait for the whole file to be read.
      files: { maxOpenSessions: o.maxCachedSessions, openSessionIdleMs: 10 * 60_000 },
    });
    await storage.probe();
  } catch (err) {
    await storage?.close().catch(() => undefined);
    if (err instanceof StorageError || err instanceof StorageUnavailableError) throw new DashboardConfigError(`store: cannot use it: ${err.message}`);
    throw err;
  }
  const store = new SessionStore(storage, { maxCached: o.maxCachedSessions, healthTtlMs: o.healthTtlMs });
  await store.start();
  const live = new LiveHub(store, { maxClients: o.maxLiveClients, bufferBytes: o.liveBufferBytes, windowMs: o.liveWindowMs, heartbeatMs: o.heartbeatMs });
  const ingestBudget = new BodyBudget(o.ingestBudgetBytes);
  const pages = new PageCache(o.pageCacheBytes);
  const metrics = createMetrics(store, () => live, ingestBudget, pages);
  const guard = new TokenGuard(o.token);
  // Reads need a token when one is set for them, or when auth is 'all' (then the write token reads too).
  const readTokens = o.readToken !== undefined || o.auth === 'all' ? [o.readToken, o.token].filter((t): t is string => t !== undefined) : [];
  const readGuard = new ReadGuard(readTokens);
  let closing = false;
  let url: string | undefined;

  const app = Fastify({
    logger: o.logger,
    bodyLimit: o.bodyLimit,
    forceCloseConnections: true,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 500 },
  });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema));
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((req, reply) => {
    const e = new HttpError(404, 'FK_HTTP_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`);
    void reply.code(404).type('application/json; charset=utf-8').send(e.body());
  });

  // An empty body is no body (a bare `POST …/start` or `…/complete` is fine);
  // anything else goes through fastify's JSON parser (which rejects prototype poisoning).
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    defaultJson(req, text, done);
  });
  app.addHook('preValidation', async (req) => {
    if (req.method === 'POST' && req.body === undefined) req.body = {};
  });

  app.addHook('onRequest', async (req, reply) => {
    setSecurityHeaders(reply.raw);
    // Decided on the route the router matched, never on the raw URL: the router decodes
    // `/%61pi/…` and absolute-form targets (`GET http://host/api/…`) to the same routes.
    const route = req.routeOptions.url;
    const data = route !== undefined && (route.startsWith('/api/') || route === '/metrics');
    if (data) reply.header('Cache-Control', 'no-store');
    // Every read of data (the API, live streams, reports, metrics) is checked; the page's files and health probes are not.
    if (data && (req.method === 'GET' || req.method === 'HEAD')) readGuard.check(req.headers);
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.observe(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });

  if (o.corsOrigins.length > 0) {
    await app.register(cors, { origin: [...o.corsOrigins], methods: ['GET', 'POST'], allowedHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID'], maxAge: 600 });
  }
  await app.register(rateLimit, { global: false, errorResponseBuilder: (_req, ctx) => Object.assign(new Error('rate limited'), { statusCode: ctx.statusCode }) });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'fleetkit dashboard API', version: '1', description: 'Read, write and live API of the fleetkit dashboard. Errors answer { error: { code, message, issues? } }.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });

  authRoutes(app, readGuard, o.writeRateLimit);
  readRoutes(app, store, pages);
  ingestRoutes(app, store, guard, { ratePerMinute: o.writeRateLimit, budget: ingestBudget, bodyLimit: o.bodyLimit });
  liveRoutes(app, store, live);
  opsRoutes(app, store, metrics, () => closing);
  pageRoutes(app);
  await app.ready();

  return {
    app,
    store,
    live,
    metrics,
    options: o,
    get url() {
      return url;
    },
    async listen() {
      await app.listen({ host: o.host, port: o.port });
      const addr = app.server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      url = `http://${host}:${addr.port}`;
      return url;
    },
    async close() {
      closing = true;
      live.close();
      await app.close();
      await store.close();
    },
  };
}
