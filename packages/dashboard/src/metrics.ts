/**
 * Prometheus metrics (prom-client), in a registry of the dashboard's own so
 * two dashboards in one process never mix their numbers.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SEVERITIES } from '@fleetkit/shared-context';
import type { HeldSession } from './counted-session.js';
import type { BodyBudget } from './body-budget.js';
import type { PageCache } from './page-cache.js';
import type { LiveHub } from './live.js';
import type { SessionStore } from './store.js';

/** The dashboard's metrics. */
export interface DashboardMetrics {
  readonly registry: Registry;
  /** Records one answered request. */
  observe(method: string, route: string, status: number, seconds: number): void;
}

/** Latest loaded session of each repository. */
function latestByRepo(sessions: Iterable<HeldSession>): Map<string, HeldSession> {
  const out = new Map<string, HeldSession>();
  for (const ctx of sessions) {
    const prev = out.get(ctx.repoName);
    if (prev === undefined || ctx.startedAt > prev.startedAt) out.set(ctx.repoName, ctx);
  }
  return out;
}

/** Creates the metrics of a dashboard. */
export function createMetrics(store: SessionStore, hub: () => LiveHub | undefined, ingest: BodyBudget, pages: PageCache): DashboardMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fleet_dashboard_' });
  const latency = new Histogram({
    name: 'fleet_dashboard_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'fleet_dashboard_live_connections',
    help: 'Connected live (server-sent events) clients',
    registers: [registry],
    collect() {
      this.set(hub()?.clients ?? 0);
    },
  });
  new Counter({
    name: 'fleet_dashboard_live_dropped_total',
    help: 'Live clients dropped for reading too slowly',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(hub()?.dropped ?? 0);
    },
  });
  new Gauge({
    name: 'fleet_dashboard_health_score',
    help: 'Health score (0-100) of the latest loaded session per repository',
    labelNames: ['repo'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [repo, ctx] of latestByRepo(store.loaded())) this.set({ repo }, store.healthOf(ctx, store.cachedHistory(repo)).healthScore);
    },
  });
  new Gauge({
    name: 'fleet_dashboard_findings',
    help: 'Findings of the latest loaded session per repository, by severity',
    labelNames: ['repo', 'severity'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [repo, ctx] of latestByRepo(store.loaded())) {
        const counts = ctx.findings.countBySeverity();
        for (const severity of SEVERITIES) this.set({ repo, severity }, counts[severity]);
      }
    },
  });
  new Gauge({
    name: 'fleet_dashboard_ingest_bytes_in_flight',
    help: 'Body bytes of findings batches being processed (bounded by ingestBudgetBytes)',
    registers: [registry],
    collect() {
      this.set(ingest.inFlight);
    },
  });
  new Gauge({
    name: 'fleet_dashboard_ingest_waiting',
    help: 'Findings batches waiting for room in the ingest budget',
    registers: [registry],
    collect() {
      this.set(ingest.waiting);
    },
  });
  new Gauge({
    name: 'fleet_dashboard_page_cache_bytes',
    help: 'Serialized findings pages kept (bounded by pageCacheBytes)',
    registers: [registry],
    collect() {
      this.set(pages.bytes);
    },
  });
  // Counters that mirror counts kept elsewhere: each scrape sets them to the count.
  const mirrored = (name: string, help: string, count: () => number): void =>
    void new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(count());
      },
    });
  for (const kind of ['hits', 'misses'] as const) {
    mirrored(`fleet_dashboard_page_cache_${kind}_total`, `Findings pages ${kind === 'hits' ? 'answered from' : 'made past'} the page cache`, () => pages.counts()[kind]);
    mirrored(`fleet_dashboard_health_cache_${kind}_total`, `Health answers ${kind === 'hits' ? 'served from' : 'computed past'} the TTL cache`, () => store.healthCacheCounts()[kind]);
  }
  return {
    registry,
    observe(method, route, status, seconds) {
      latency.observe({ method, route, status_code: String(status) }, seconds);
    },
  };
}
