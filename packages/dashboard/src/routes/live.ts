/** The live stream of a session (server-sent events; see live.ts for why). */
import type { FastifyInstance } from 'fastify';
import type { LiveHub } from '../live.js';
import type { SessionStore } from '../store.js';
import { ErrorSchema, SessionParams } from '../schemas.js';

/** Registers GET /api/sessions/:sessionId/events. */
export function liveRoutes(app: FastifyInstance, store: SessionStore, live: LiveHub): void {
  app.get<{ Params: { sessionId: string } }>(
    '/api/sessions/:sessionId/events',
    {
      schema: {
        tags: ['live'],
        summary: 'Live updates (text/event-stream): a `snapshot` event, then `update` events with only what changed',
        params: SessionParams,
        response: { 404: ErrorSchema, 503: ErrorSchema },
      },
    },
    async (req, reply) => {
      live.admit();
      const ctx = await store.get(req.params.sessionId);
      reply.hijack();
      await live.connect(req.raw, reply.raw, ctx);
    },
  );
}
