/**
 * The write API for bots: create a session, move bots through their
 * lifecycle, add findings in validated all-or-nothing batches, mark findings
 * fixed, complete the session. Every write needs the bearer token, is rate
 * limited per client, and is acknowledged only once it is stored.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CompletionCounts, Context, FindingInput } from '@fleetkit/shared-context';
import { DependenciesNotDoneError, botInfo } from '@fleetkit/shared-context';
import { BudgetWaitAbortedError } from '../body-budget.js';
import type { BodyBudget } from '../body-budget.js';
import type { SessionBotInput } from '../session-bots.js';
import type { SessionStore } from '../store.js';
import type { TokenGuard } from '../security.js';
import {
  AppendResultSchema,
  BotParams,
  CompleteBodySchema,
  CreateSessionBodySchema,
  ErrorSchema,
  FailBodySchema,
  FindingsBodySchema,
  IdempotencyHeadersSchema,
  SessionIdSchema,
  SessionParams,
  SkipBodySchema,
  StartBodySchema,
} from '../schemas.js';

const security = [{ bearer: [] }];

// No one reads the answer: a 4xx, so it is not logged as a server fault.
const clientGone = (): Error => Object.assign(new Error('the client left before its batch was read'), { statusCode: 499 });
const errors = { 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 413: ErrorSchema, 422: ErrorSchema, 429: ErrorSchema, 503: ErrorSchema };

/** How the write routes are limited. */
export interface IngestLimits {
  /** Writes per client address per minute. */
  readonly ratePerMinute: number;
  /** Body bytes of findings batches processed at once. */
  readonly budget: BodyBudget;
  /** Largest body (what a body of unknown length is counted as). */
  readonly bodyLimit: number;
}

/** Registers the write routes. */
export function ingestRoutes(app: FastifyInstance, store: SessionStore, guard: TokenGuard, limits: IngestLimits): void {
  const config = { rateLimit: { max: limits.ratePerMinute, timeWindow: 60_000 } };
  const auth = async (req: FastifyRequest): Promise<void> => guard.check(req.headers);

  app.post<{ Body: { repoName: string; repoPath?: string; bots?: SessionBotInput[] } }>(
    '/api/sessions',
    {
      config,
      onRequest: auth,
      schema: {
        tags: ['write'],
        summary: 'Create a session (optionally registering bots)',
        description:
          "Each of `bots` is a bot id (a roster bot gets its roster entry, another id is a custom bot) or an object `{ id, name?, tier?, dependsOn?, description?, categories?, canFix?, version? }` whose fields replace the roster's (a runner's own bots, their tiers and dependencies). An id listed twice is a 400.",
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

  const transition = <B>(name: 'start' | 'complete' | 'fail' | 'skip', body: object, apply: (ctx: Parameters<Parameters<SessionStore['mutate']>[1]>[0], bot: string, b: B) => void, description?: string): void => {
    app.post<{ Params: { sessionId: string; bot: string }; Body: B }>(
      `/api/sessions/:sessionId/bots/:bot/${name}`,
      {
        config,
        onRequest: auth,
        schema: { tags: ['write'], summary: `Bot lifecycle: ${name}`, ...(description === undefined ? {} : { description }), security, params: BotParams, body, response: { 200: { type: 'object', additionalProperties: true }, ...errors } },
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
  // A bot whose registered dependencies are not done is refused (409) unless `force`.
  transition<{ force?: boolean }>('start', StartBodySchema, (ctx, bot, b) => {
    const force = b.force === true;
    if (ctx.bot(bot) === undefined) {
      if (!force) refuseUnregisteredStart(ctx, bot);
      ctx.registerBot(bot);
    }
    ctx.startBot(bot, { force });
  }, 'A bot whose dependencies registered in the session are not done (completed or skipped) is refused with 409 `FK_DEPENDENCIES_NOT_DONE`, naming them; body `{ "force": true }` starts it anyway. An unregistered bot is registered first.');
  transition<CompletionCounts>('complete', CompleteBodySchema, (ctx, bot, b) => ctx.completeBot(bot, b));
  transition<{ message: string }>('fail', FailBodySchema, (ctx, bot, b) => ctx.failBot(bot, b.message));
  transition<{ reason: string }>('skip', SkipBodySchema, (ctx, bot, b) => ctx.skipBot(bot, b.reason));

  app.post<{ Params: { sessionId: string }; Body: { findings: FindingInput[] }; Headers: { 'idempotency-key'?: string } }>(
    '/api/sessions/:sessionId/findings',
    {
      config,
      onRequest: auth,
      // After the token check, before the body is read: a batch waits here for its share of the ingest budget.
      preParsing: async (req, reply, payload) => {
        const declared = Number(req.headers['content-length']);
        const bytes = Number.isSafeInteger(declared) && declared >= 0 ? Math.min(declared, limits.bodyLimit) : limits.bodyLimit;
        // A client that leaves (also before this hook ran, or while it waits) gives up its place.
        const left = new AbortController();
        const leave = (): void => left.abort();
        reply.raw.once('close', leave);
        if (reply.raw.destroyed) left.abort();
        let release: () => void;
        try {
          release = await limits.budget.acquire(bytes, left.signal);
        } catch (err) {
          throw err instanceof BudgetWaitAbortedError ? clientGone() : err;
        }
        reply.raw.off('close', leave);
        if (reply.raw.destroyed) {
          release();
          throw clientGone();
        }
        // Held until the answer is done or the connection is gone.
        reply.raw.once('close', release);
        return payload;
      },
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
    (req, reply) => {
      const stored = store.appendFindings(req.params.sessionId, req.body.findings, req.headers['idempotency-key']);
      // The store has made what it keeps of the batch (its rows' text, or its findings). The parsed body
      // is let go while the batch waits for its turn: kept, each young-generation collection meanwhile
      // would copy its 10,000 objects, and promote them for a full collection to find.
      (req as { body: unknown }).body = undefined;
      return stored.then((result) => {
        if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
        return reply.code(201).send(result);
      });
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

/**
 * Throws what `startBot` would throw for `bot`, not registered yet, once
 * registered with its roster entry. A change must refuse before it changes
 * anything: registering and then being refused would leave the registration
 * in the session the storage holds, unsaved, for its next write to save.
 */
function refuseUnregisteredStart(ctx: Context, bot: string): void {
  const pending = (botInfo(bot)?.dependsOn ?? []).filter((dep) => ctx.execution(dep) !== undefined && !ctx.botCompleted(dep));
  if (pending.length > 0) throw new DependenciesNotDoneError(bot, pending);
}
