/** The read API: repositories, sessions, health, bots, findings, reports, history. */
import type { FastifyInstance } from 'fastify';
import { generateReport, readSessionRecords } from '@fleetkit/shared-context';
import type { ReportFormat, ReportOptions, Severity, Tier } from '@fleetkit/shared-context';
import { HttpError } from '../errors.js';
import { FindingQuery } from '../findings-query.js';
import type { FindingFilters } from '../findings-query.js';
import type { PageCache } from '../page-cache.js';
import { REPORT_CSP } from '../security.js';
import type { HeldSession } from '../counted-session.js';
import type { SessionStore } from '../store.js';
import {
  BotsSchema,
  ErrorSchema,
  FindingPageSchema,
  FindingSchema,
  FindingsQuerySchema,
  HealthSchema,
  HistorySchema,
  ReportParamsSchema,
  ReportQuerySchema,
  RepoListSchema,
  RepoParams,
  SessionListSchema,
  SessionParams,
  SessionIdSchema,
  StatusSchema,
} from '../schemas.js';

const errors = { 400: ErrorSchema, 404: ErrorSchema };

const REPORT_TYPES: Readonly<Record<ReportFormat, { type: string; ext: string }>> = {
  markdown: { type: 'text/markdown; charset=utf-8', ext: 'md' },
  json: { type: 'application/json; charset=utf-8', ext: 'json' },
  html: { type: 'text/html; charset=utf-8', ext: 'html' },
  sarif: { type: 'application/sarif+json; charset=utf-8', ext: 'sarif' },
};

const safeFilePart = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'session';

/** The live status of a session (what a CI step or a status badge reads). */
export function statusOf(store: SessionStore, ctx: HeldSession): Record<string, unknown> {
  const health = store.healthOf(ctx, store.cachedHistory(ctx.repoName));
  const summary = ctx.summary();
  let running = 0;
  let pending = 0;
  for (const e of ctx.executions()) {
    if (e.status === 'running') running++;
    else if (e.status === 'pending') pending++;
  }
  return {
    sessionId: ctx.sessionId,
    repoName: ctx.repoName,
    repoPath: ctx.repoPath,
    startedAt: ctx.startedAt,
    completedAt: ctx.completedAt,
    version: ctx.version,
    healthStatus: health.status,
    healthScore: health.healthScore,
    blocksRelease: summary.blocksRelease,
    totalFindings: summary.totalFindings,
    fixedFindings: ctx.findings.fixedCount(),
    findingsBySeverity: ctx.findings.countBySeverity(),
    findingsBySource: ctx.findings.countBySource(),
    botsRun: summary.botsRun,
    botsFailed: summary.botsFailed,
    botsRunning: running,
    botsPending: pending,
    readyBots: ctx.readyBots(),
  };
}

/** Registers the read routes. */
export function readRoutes(app: FastifyInstance, store: SessionStore, pages: PageCache): void {
  const query = new FindingQuery(store, pages);

  app.get('/api/repos', { schema: { tags: ['read'], summary: 'Repositories with stored sessions', response: { 200: RepoListSchema } } }, async () => {
    const sessions = await store.storage.listSessions();
    const repos = await store.storage.listRepos();
    return {
      repos: await Promise.all(
        repos.map(async (name) => {
          const own = sessions.filter((s) => s.repoName === name);
          const state = await store.history(name).catch(() => undefined);
          return { name, sessions: own.length, latestSessionId: own[0]?.sessionId ?? null, latestModifiedAt: own[0]?.modifiedAt ?? null, trend: state?.trend ?? null };
        }),
      ),
    };
  });

  app.get<{ Querystring: { repo?: string } }>(
    '/api/sessions',
    {
      schema: {
        tags: ['read'],
        summary: 'Stored sessions, newest first',
        querystring: { type: 'object', additionalProperties: false, properties: { repo: SessionIdSchema } },
        response: { 200: SessionListSchema, 400: ErrorSchema },
      },
    },
    async (req) => {
      const list = await store.storage.listSessions(req.query.repo === undefined ? {} : { repo: req.query.repo });
      return {
        sessions: list.map(({ sessionId, repoName, modifiedAt, sizeBytes, findingsCount }) => ({
          sessionId,
          repoName,
          modifiedAt,
          ...(sizeBytes === undefined ? {} : { sizeBytes }),
          ...(findingsCount === undefined ? {} : { findingsCount }),
        })),
      };
    },
  );

  app.get<{ Params: { sessionId: string } }>(
    '/api/sessions/:sessionId',
    { schema: { tags: ['read'], summary: 'A session: its summary and shared data keys', params: SessionParams, response: errors } },
    async (req) => {
      const ctx = await store.get(req.params.sessionId);
      return { sessionId: ctx.sessionId, repoName: ctx.repoName, repoPath: ctx.repoPath, startedAt: ctx.startedAt, completedAt: ctx.completedAt, version: ctx.version, summary: ctx.summary(), dataKeys: [...ctx.dataKeys()] };
    },
  );

  app.get<{ Params: { sessionId: string } }>(
    '/api/sessions/:sessionId/health',
    { schema: { tags: ['read'], summary: "The session's health (from the TTL cache)", params: SessionParams, response: { 200: HealthSchema, ...errors } } },
    async (req) => (await store.health(req.params.sessionId)).health,
  );

  app.get<{ Params: { sessionId: string } }>(
    '/api/sessions/:sessionId/status',
    { schema: { tags: ['read'], summary: 'Status at a glance: health, release verdict, counts, bots', params: SessionParams, response: { 200: StatusSchema, ...errors } } },
    async (req) => {
      const ctx = await store.get(req.params.sessionId);
      await store.history(ctx.repoName);
      return statusOf(store, ctx);
    },
  );

  app.get<{ Params: { sessionId: string } }>(
    '/api/sessions/:sessionId/bots',
    { schema: { tags: ['read'], summary: 'Registered bots with their execution (in dependency order)', params: SessionParams, response: { 200: BotsSchema, ...errors } } },
    async (req) => {
      const ctx = await store.get(req.params.sessionId);
      return { bots: [...ctx.bots()].map((info) => ({ ...info, ...ctx.execution(info.id)! })) };
    },
  );

  app.get<{ Params: { sessionId: string }; Querystring: FindingFilters & { cursor?: string; limit: number } }>(
    '/api/sessions/:sessionId/findings',
    {
      schema: {
        tags: ['read'],
        summary: 'Findings, filtered, in a stable order, with cursor pagination',
        params: SessionParams,
        querystring: FindingsQuerySchema,
        response: { 200: FindingPageSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { cursor, limit, ...filters } = req.query;
      // Serialized by the route's own schema, so a page kept is the bytes it would have sent.
      const body = await query.serializedPage(req.params.sessionId, filters as FindingFilters & { severity?: Severity; tier?: Tier }, limit, cursor, (page) => reply.serialize(page) as string);
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  app.get<{ Params: { sessionId: string; findingId: string } }>(
    '/api/sessions/:sessionId/findings/:findingId',
    {
      schema: {
        tags: ['read'],
        summary: 'One finding',
        params: { type: 'object', additionalProperties: false, required: ['sessionId', 'findingId'], properties: { sessionId: SessionIdSchema, findingId: SessionIdSchema } },
        response: { 200: FindingSchema, ...errors },
      },
    },
    async (req) => {
      const f = await store.finding(req.params.sessionId, req.params.findingId);
      if (f === undefined) throw new HttpError(404, 'FK_NOT_FOUND', `finding "${req.params.findingId}" not found in session "${req.params.sessionId}"`);
      return f;
    },
  );

  app.get<{ Params: { sessionId: string; format: ReportFormat }; Querystring: ReportOptions }>(
    '/api/sessions/:sessionId/report/:format',
    {
      schema: {
        tags: ['read'],
        summary: 'A report (markdown, json, html or sarif) as a download',
        params: ReportParamsSchema,
        querystring: ReportQuerySchema,
        response: errors,
      },
    },
    async (req, reply) => {
      const { format } = req.params;
      if (req.query.target !== undefined && format !== 'markdown') {
        throw new HttpError(400, 'FK_HTTP_BAD_REQUEST', 'query.target: only markdown reports have a target', { issues: [{ path: 'query.target', message: 'only for markdown' }] });
      }
      // With every finding: over a database, read for this report (a replica holds only counts).
      const ctx = await store.whole(req.params.sessionId);
      const text = generateReport(ctx, format, req.query);
      const t = REPORT_TYPES[format];
      if (format === 'html') reply.header('Content-Security-Policy', REPORT_CSP);
      return reply
        .type(t.type)
        .header('Content-Disposition', `attachment; filename="fleet-${safeFilePart(ctx.repoName)}-${safeFilePart(ctx.sessionId.slice(0, 8))}.${t.ext}"`)
        .send(text);
    },
  );

  app.get<{ Params: { repo: string } }>(
    '/api/repos/:repo/history',
    { schema: { tags: ['read'], summary: "A repository's session history and trend, oldest first", params: RepoParams, response: { 200: HistorySchema, ...errors } } },
    async (req) => {
      const state = await store.history(req.params.repo);
      if (state === undefined) {
        const known = (await store.storage.listRepos()).includes(req.params.repo);
        if (!known) throw new HttpError(404, 'FK_NOT_FOUND', `repository "${req.params.repo}" has no stored sessions or history`);
        return { repoName: req.params.repo, trend: null, updatedAt: null, sessions: [], skipped: [] };
      }
      const { records, skipped } = readSessionRecords(state);
      return { repoName: state.repoName, trend: state.trend, updatedAt: state.updatedAt, sessions: records, skipped };
    },
  );
}
