/** Operations: liveness, readiness, Prometheus metrics and the OpenAPI document. */
import type { FastifyInstance } from 'fastify';
import type { DashboardMetrics } from '../metrics.js';
import type { SessionStore } from '../store.js';

/** Registers /healthz, /readyz, /metrics and /api/openapi.json. */
export function opsRoutes(app: FastifyInstance, store: SessionStore, metrics: DashboardMetrics, isClosing: () => boolean): void {
  const hide = { hide: true };
  app.get('/healthz', { schema: { ...hide } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { ...hide } }, async (_req, reply) => {
    const problems: string[] = [];
    if (isClosing()) problems.push('shutting down');
    try {
      await store.storage.probe();
    } catch {
      problems.push('the storage cannot be read and written now');
    }
    if (problems.length > 0) return reply.code(503).send({ status: 'unavailable', problems });
    return { status: 'ready' };
  });

  app.get('/metrics', { schema: { ...hide } }, async (_req, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });

  app.get('/api/openapi.json', { schema: { ...hide } }, async () => app.swagger());
}
