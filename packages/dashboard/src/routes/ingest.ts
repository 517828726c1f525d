/**
 * The write API for bots: create a session, move bots through their
 * lifecycle, add findings in validated all-or-nothing batches, mark findings
 * fixed, complete the session. Every write needs the bearer token, is rate
 * limited per client, and is acknowledged only once it is stored.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CompletionCounts, FindingInput } from '@fleetkit/shared-context';
import type { SessionStore } from '../store.js';
import type { TokenGuard } from '../security.js';
import {
  AppendResultSchema,
  BotParams,
  CompleteBodySchema,
  CreateSessionBodySchema,
  EmptyBodySchema,
  ErrorSchema,
  FailBodySchema,
  FindingsBodySchema,
  IdempotencyHeadersSchema,
  SessionIdSchema,
  SessionParams,
  SkipBodySchema,
} from '../schemas.js';

const security = [{ bearer: [] }];
const errors = { 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 413: ErrorSchema, 422: ErrorSchema, 429: ErrorSchema, 503: ErrorSchema };

/** Registers the write routes. */
export function ingestRoutes(app: FastifyInstance, store: SessionStore, guard: TokenGuard, ratePerMinute: number): void {
  const config = { rateLimit: { max: ratePerMinute, timeWindow: 60_000 } };
  const auth = async (req: FastifyRequest): Promise<void> => guard.check(req.headers);

  app.post<{ Body: { repoName: string; repoPath?: string; bots?: string[] } }>(
    '/api/sessions',
    {
      config,
      onRequest: auth,
      schema: {
        tags: ['write'],
        summary: 'Create a session (optionally registering bots)',
        security,
        body: CreateSessionBodySchema,
        response: { 201: { type: 'object', properties: { sessionId: { type: 'string' } }, required: ['sessionId'] }, ...errors },
      },
    },
    async (req, reply) => {
      const ctx = await store.create(req.body.repoName, req.body.repoPath ?? '', req.body.bots ?? []);
      return reply.code(201).send({ sessionId: ctx.sessionId });
    },
  );

  const transition = <B>(name: 'start' | 'complete' | 'fail' | 'skip', body: object, apply: (ctx: Parameters<Parameters<SessionStore['mutate']>[1]>[0], bot: string, b: B) => void): void => {
    app.post<{ Params: { sessionId: string; bot: string }; Body: B }>(
      `/api/sessions/:sessionId/bots/:bot/${name}`,
      {
        config,
        onRequest: auth,
        schema: { tags: ['write'], summary: `Bot lifecycle: ${name}`, security, params: BotParams, body, response: { 200: { type: 'object', additionalProperties: true }, ...errors } },
      },
      async (req) => {
        const execution = await store.mutate(req.params.sessionId, (ctx) => {
          apply(ctx, req.params.bot, req.body as B);
          return ctx.execution(req.params.bot);
        });
        return execution;
      },
    );
  };
  // Starting an unregistered bot registers it first (roster info for known ids, a custom bot otherwise).
  transition<Record<string, never>>('start', EmptyBodySchema, (ctx, bot) => {
    if (ctx.bot(bot) === undefined) ctx.registerBot(bot);
    ctx.startBot(bot);
  });
  transition<CompletionCounts>('complete', CompleteBodySchema, (ctx, bot, b) => ctx.completeBot(bot, b));
  transition<{ message: string }>('fail', FailBodySchema, (ctx, bot, b) => ctx.failBot(bot, b.message));
  transition<{ reason: string }>('skip', SkipBodySchema, (ctx, bot, b) => ctx.skipBot(bot, b.reason));

  app.post<{ Params: { sessionId: string }; Body: { findings: FindingInput[] }; Headers: { 'idempotency-key'?: string } }>(
    '/api/sessions/:sessionId/findings',
    {
      config,
      onRequest: auth,
      schema: {
        tags: ['write'],
        summary: 'Add a batch of findings (all or nothing; each validated). With an Idempotency-Key, a retried batch is added once.',
        security,
        params: SessionParams,
        headers: IdempotencyHeadersSchema,
        body: FindingsBodySchema,
        response: { 201: AppendResultSchema, ...errors },
      },
    },
    async (req, reply) => {
      const result = await store.appendFindings(req.params.sessionId, req.body.findings, req.headers['idempotency-key']);
      if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
      return reply.code(201).send(result);
    },
  );

  app.post<{ Params: { sessionId: string; findingId: string } }>(
    '/api/sessions/:sessionId/findings/:findingId/fix',
    {
      config,
      onRequest: auth,
      schema: {
        tags: ['write'],
        summary: 'Mark a finding fixed',
        security,
        params: { type: 'object', additionalProperties: false, required: ['sessionId', 'findingId'], properties: { sessionId: SessionIdSchema, findingId: SessionIdSchema } },
        response: { 200: { type: 'object', properties: { changed: { type: 'boolean' } }, required: ['changed'] }, ...errors },
      },
    },
    async (req) => ({ changed: await store.markFixed(req.params.sessionId, req.params.findingId) }),
  );

  app.post<{ Params: { sessionId: string } }>(
    '/api/sessions/:sessionId/complete',
    {
      config,
      onRequest: auth,
      schema: {
        tags: ['write'],
        summary: "Complete the session and add it to its repository's history",
        security,
        params: SessionParams,
        response: { 200: { type: 'object', properties: { completedAt: { type: 'string' } }, required: ['completedAt'] }, ...errors },
      },
    },
    async (req) => ({ completedAt: (await store.complete(req.params.sessionId)).completedAt! }),
  );
}
