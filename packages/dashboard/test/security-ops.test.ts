import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboard, DashboardConfigError, PAGE_CSP } from '../src/index.js';
import type { Running } from './support/server.js';
import { startDashboard } from './support/server.js';

let s: Running;
let sessionId: string;
beforeAll(async () => {
  s = await startDashboard();
  sessionId = (await s.api<{ sessionId: string }>('POST', '/api/sessions', { repoName: 'sec' })).json.sessionId;
  await s.api('POST', `/api/sessions/${sessionId}/findings`, { findings: [{ source: 'sentinelbot', ruleId: 'S', severity: 'error', message: 'x' }] });
});
afterAll(() => s.stop());

const HEADERS: Record<string, string> = {
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

describe('security by default', () => {
  it.each([
    ['GET', '/'],
    ['GET', '/js/main.js'],
    ['GET', '/app.css'],
    ['GET', '/api/repos'],
    ['GET', '/api/sessions/missing/health'],
    ['GET', '/no/such/route'],
    ['POST', '/api/sessions'],
    ['GET', '/metrics'],
    ['GET', '/healthz'],
  ])('puts the security headers on %s %s', async (method, path) => {
    const r = await s.api(method, path, method === 'POST' ? { repoName: 'h' } : undefined, { token: method === 'POST' ? null : undefined });
    for (const [k, v] of Object.entries(HEADERS)) expect(r.headers.get(k), `${k} on ${path}`).toBe(v);
  });

  it('sends no CORS headers unless origins are allowed', async () => {
    const r = await s.api('GET', '/api/repos', undefined, { headers: { origin: 'https://evil.example' } });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(`${s.url}/api/sessions`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows exactly the listed origins when given an allow-list', async () => {
    const c = await startDashboard({ corsOrigins: ['https://ci.example.com'] });
    try {
      const ok = await c.api('GET', '/api/repos', undefined, { headers: { origin: 'https://ci.example.com' } });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://ci.example.com');
      const no = await c.api('GET', '/api/repos', undefined, { headers: { origin: 'https://evil.example' } });
      expect(no.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await c.stop();
    }
  });

  it('refuses to listen beyond loopback without a token, and names bad options', async () => {
    await expect(createDashboard({ storage: s.dir, host: '0.0.0.0' })).rejects.toThrow(DashboardConfigError);
    await expect(createDashboard({ storage: s.dir, host: '0.0.0.0' })).rejects.toThrow(/requires a token/);
    await expect(createDashboard({ storage: s.dir, token: 'short' })).rejects.toThrow(/token: must be at least 16/);
    await expect(createDashboard({ storage: s.dir, liveWindowMs: 500 })).rejects.toThrow(/liveWindowMs/);
    await expect(createDashboard({ storage: s.dir, port: -1 })).rejects.toThrow(/port/);
    await expect(createDashboard({ storage: s.dir, nonsense: true } as never)).rejects.toThrow(/nonsense/);
  });

  it('sandboxes downloaded HTML reports', async () => {
    const r = await s.api('GET', `/api/sessions/${sessionId}/report/html`);
    expect(r.headers.get('content-security-policy')).toMatch(/sandbox allow-scripts/);
    expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  });
});

describe('operations endpoints', () => {
  it('answers liveness and readiness', async () => {
    expect((await s.api('GET', '/healthz')).json).toEqual({ status: 'ok' });
    expect((await s.api('GET', '/readyz')).json).toEqual({ status: 'ready' });
  });

  it('exports Prometheus metrics: latency by route, live connections, health score, findings, cache', async () => {
    await s.api('GET', `/api/sessions/${sessionId}/health`);
    await s.api('GET', `/api/sessions/${sessionId}/health`);
    const r = await s.api('GET', '/metrics');
    expect(r.headers.get('content-type')).toContain('text/plain');
    const text = r.text;
    expect(text).toMatch(/fleet_dashboard_http_request_duration_seconds_count\{method="GET",route="\/api\/sessions\/:sessionId\/health",status_code="200"\} [1-9]/);
    expect(text).toMatch(/fleet_dashboard_live_connections \d+/);
    expect(text).toMatch(/fleet_dashboard_health_score\{repo="sec"\} \d+/);
    expect(text).toMatch(/fleet_dashboard_findings\{repo="sec",severity="error"\} 1/);
    expect(text).toMatch(/fleet_dashboard_health_cache_hits_total [1-9]/);
    expect(text).toMatch(/fleet_dashboard_health_cache_misses_total [1-9]/);
    expect(text).toMatch(/fleet_dashboard_process_resident_memory_bytes \d+/);
  });

  it('serves only the files of public/, never a path resolved from the URL', async () => {
    expect((await fetch(`${s.url}/js/main.js`)).headers.get('content-type')).toContain('text/javascript');
    for (const path of ['/package.json', '/../package.json', '/%2e%2e/package.json', '/js/../../package.json', '/src/server.ts', '/public/index.html']) {
      const r = await fetch(`${s.url}${path}`);
      expect(r.status, path).toBe(404);
    }
  });

  it('serves the page with an ETag and answers 304 for a fresh copy', async () => {
    const first = await fetch(`${s.url}/`);
    expect(first.headers.get('content-type')).toContain('text/html');
    const etag = first.headers.get('etag')!;
    const again = await fetch(`${s.url}/`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });
});
