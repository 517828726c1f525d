/** The read API, the same tests on both storages: a directory and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, parseReport, SEVERITIES } from '@fleetkit/shared-context';
import type { Finding, FleetHealth } from '@fleetkit/shared-context';
import type { FindingPage } from '../src/index.js';
import type { Running } from './support/server.js';
import { corpusContext, startDashboard, STORE_KINDS } from './support/server.js';

describe.each(STORE_KINDS)('read API over a real socket (%s)', (kind) => {
  let s: Running;
  let ctx: Context;

  beforeAll(async () => {
    s = await startDashboard({}, undefined, kind);
    // Real findings of the original fleet, saved the way `fleet import` saves a session.
    ctx = await corpusContext('echidnabot');
    const storage = await s.backend();
    await storage.recordSession(ctx);
    const older = new Context('echidnabot', '/var/repos/echidnabot');
    older.completeSession();
    await storage.recordSession(older);
  });
  afterAll(() => s.stop());

  async function allPages(path: string, limit: number): Promise<Finding[]> {
    const out: Finding[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const r: { status: number; json: FindingPage } = await s.api<FindingPage>('GET', `${path}${sep}limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      expect(r.status).toBe(200);
      out.push(...r.json.items);
      cursor = r.json.nextCursor;
    } while (cursor !== null);
    return out;
  }

  describe('repositories, sessions, findings, reports', () => {
    it('lists repositories and sessions from the storage', async () => {
      const repos = await s.api<{ repos: Array<{ name: string; sessions: number; trend: string | null }> }>('GET', '/api/repos');
      expect(repos.status).toBe(200);
      expect(repos.json.repos).toEqual([expect.objectContaining({ name: 'echidnabot', sessions: 2, trend: expect.any(String) })]);
      const sessions = await s.api<{ sessions: Array<{ sessionId: string }> }>('GET', '/api/sessions?repo=echidnabot');
      expect(sessions.json.sessions.map((x) => x.sessionId).sort()).toContain(ctx.sessionId);
      expect((await s.api<{ sessions: unknown[] }>('GET', '/api/sessions?repo=nobody')).json.sessions).toEqual([]);
    });

    it('answers a session, its status and bots as the library sees them', async () => {
      const one = await s.api<{ summary: unknown; repoName: string }>('GET', `/api/sessions/${ctx.sessionId}`);
      expect(one.status).toBe(200);
      expect(one.json.summary).toEqual(JSON.parse(JSON.stringify(ctx.summary())));
      const status = await s.api<{ totalFindings: number; blocksRelease: boolean; findingsBySeverity: unknown; findingsBySource: unknown; botsRun: number }>('GET', `/api/sessions/${ctx.sessionId}/status`);
      expect(status.json).toMatchObject({ totalFindings: ctx.findings.size, blocksRelease: ctx.blocksRelease(), findingsBySeverity: ctx.findings.countBySeverity(), findingsBySource: ctx.findings.countBySource(), botsRun: 4 });
      const bots = await s.api<{ bots: Array<{ id: string; status: string; dependsOn: string[] }> }>('GET', `/api/sessions/${ctx.sessionId}/bots`);
      expect(bots.json.bots.map((b) => b.id)).toEqual([...ctx.bots()].map((b) => b.id));
      expect(bots.json.bots.filter((b) => b.status === 'completed')).toHaveLength(4);
      expect(bots.json.bots.find((b) => b.id === 'echidnabot')?.dependsOn).toEqual([...(ctx.bot('echidnabot')?.dependsOn ?? [])]);
    });

    it('answers the health check with every field of the library result (history included)', async () => {
      const r = await s.api<FleetHealth>('GET', `/api/sessions/${ctx.sessionId}/health`);
      expect(r.status).toBe(200);
      const history = await (await s.backend()).loadRepoState('echidnabot');
      const local = await (await s.backend()).loadSession(ctx.sessionId);
      const expected = JSON.parse(JSON.stringify(local.healthCheck({ history: history! }))) as FleetHealth;
      // Only the check time (and times derived from it) may differ between the two checks.
      const untimed = (h: FleetHealth) => ({ ...h, checkedAt: '', alerts: h.alerts.map((a) => ({ ...a, timestamp: '' })) });
      const { systemMetrics: sa, ...restA } = untimed(r.json);
      const { systemMetrics: sb, ...restB } = untimed(expected);
      expect(restA).toEqual(restB);
      expect({ ...sa, sessionDurationMs: 0 }).toEqual({ ...sb, sessionDurationMs: 0 });
    });

    it('serves repeated health checks from the TTL cache', async () => {
      const before = s.d.store.healthCacheCounts();
      await s.api('GET', `/api/sessions/${ctx.sessionId}/health`);
      await s.api('GET', `/api/sessions/${ctx.sessionId}/health`);
      const after = s.d.store.healthCacheCounts();
      expect(after.hits - before.hits).toBeGreaterThanOrEqual(1);
    });

    it('pages through every finding once, in insertion order', async () => {
      const got = await allPages(`/api/sessions/${ctx.sessionId}/findings`, 7);
      expect(got.map((f) => f.id)).toEqual(ctx.findings.all().map((f) => f.id));
      expect(got[0]).toEqual(JSON.parse(JSON.stringify(ctx.findings.all()[0])));
    });

    it.each([
      ['severity=error', (f: Finding) => f.severity === 'error'],
      ['bot=echidnabot', (f: Finding) => f.source === 'echidnabot'],
      ['file=src%2F', (f: Finding) => f.file?.startsWith('src/') === true],
      ['q=UNSAFE', (f: Finding) => [f.message, f.ruleId, f.file ?? '', f.element ?? ''].some((t) => t.toLowerCase().includes('unsafe'))],
      ['severity=warning&q=panic', (f: Finding) => f.severity === 'warning' && [f.message, f.ruleId, f.file ?? '', f.element ?? ''].some((t) => t.toLowerCase().includes('panic'))],
      ['tier=verifier&fixed=false', (f: Finding) => ctx.tierOf(f.source) === 'verifier' && !f.fixed],
    ])('filters findings by %s like a plain filter over all findings', async (query, pred) => {
      const expected = ctx.findings.all().filter(pred).map((f) => f.id);
      const first = await s.api<FindingPage>('GET', `/api/sessions/${ctx.sessionId}/findings?${query}&limit=5`);
      expect(first.json.total).toBe(expected.length);
      const got = await allPages(`/api/sessions/${ctx.sessionId}/findings?${query}`, 5);
      expect(got.map((f) => f.id)).toEqual(expected);
    });

    it('answers one finding, and 404 for an unknown one', async () => {
      const f = ctx.findings.all()[3]!;
      const r = await s.api<Finding>('GET', `/api/sessions/${ctx.sessionId}/findings/${f.id}`);
      expect(r.json).toEqual(JSON.parse(JSON.stringify(f)));
      const missing = await s.api('GET', `/api/sessions/${ctx.sessionId}/findings/nope`);
      expect(missing.status).toBe(404);
      expect(missing.json.error.code).toBe('FK_NOT_FOUND');
    });

    it.each([
      ['markdown', 'text/markdown', '.md'],
      ['json', 'application/json', '.json'],
      ['html', 'text/html', '.html'],
      ['sarif', 'application/sarif+json', '.sarif'],
    ])('downloads the %s report with its content type and a file name', async (format, type, ext) => {
      const r = await s.api('GET', `/api/sessions/${ctx.sessionId}/report/${format}?maxFindings=20`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain(type);
      expect(r.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="fleet-echidnabot-[0-9a-f]{8}\\${ext}"$`));
      if (format === 'json') expect(parseReport(r.text).summary.totalFindings).toBe(ctx.findings.size);
      if (format === 'html') expect(r.headers.get('content-security-policy')).toContain('sandbox');
      if (format === 'markdown') expect(r.text).toContain('echidnabot');
    });

    it('answers the repository history, oldest first, with its trend', async () => {
      const r = await s.api<{ sessions: Array<{ sessionId: string }>; trend: string }>('GET', '/api/repos/echidnabot/history');
      expect(r.status).toBe(200);
      expect(r.json.sessions.map((x) => x.sessionId)[0]).toBe(ctx.sessionId);
      expect(r.json.sessions).toHaveLength(2);
      expect(['improving', 'declining', 'stable']).toContain(r.json.trend);
      expect((await s.api('GET', '/api/repos/unknown-repo/history')).status).toBe(404);
    });

    it('publishes an OpenAPI document describing every API route', async () => {
      const r = await s.api<{ openapi: string; paths: Record<string, Record<string, unknown>> }>('GET', '/api/openapi.json');
      expect(r.status).toBe(200);
      expect(r.json.openapi).toMatch(/^3\./);
      for (const p of [
        '/api/repos',
        '/api/sessions',
        '/api/sessions/{sessionId}',
        '/api/sessions/{sessionId}/health',
        '/api/sessions/{sessionId}/status',
        '/api/sessions/{sessionId}/bots',
        '/api/sessions/{sessionId}/findings',
        '/api/sessions/{sessionId}/report/{format}',
        '/api/repos/{repo}/history',
        '/api/sessions/{sessionId}/events',
        '/api/sessions/{sessionId}/findings/{findingId}/fix',
      ]) {
        expect(Object.keys(r.json.paths), p).toContain(p);
      }
      expect(Object.keys(r.json.paths['/api/sessions']!)).toEqual(expect.arrayContaining(['get', 'post']));
    });

    it('picks up a session changed by another process, without a restart', async () => {
      const before = await s.api<{ totalFindings: number }>('GET', `/api/sessions/${ctx.sessionId}/status`);
      const backend = await s.backend();
      const other = await backend.loadSession(ctx.sessionId);
      other.addFinding({ source: 'rhodibot', ruleId: 'EXT-1', severity: 'error', message: 'written by another process' });
      await backend.saveSession(other);
      await expect
        .poll(async () => (await s.api<{ totalFindings: number }>('GET', `/api/sessions/${ctx.sessionId}/status`)).json.totalFindings, { timeout: 10_000, interval: 100 })
        .toBe(before.json.totalFindings + 1);
    });

    it('sees a session created by another process', async () => {
      const fresh = new Context('late-repo', '.');
      await (await s.backend()).saveSession(fresh);
      const r = await s.api<{ sessions: Array<{ sessionId: string }> }>('GET', '/api/sessions?repo=late-repo');
      expect(r.json.sessions.map((x) => x.sessionId)).toEqual([fresh.sessionId]);
      expect((await s.api('GET', `/api/sessions/${fresh.sessionId}/health`)).status).toBe(200);
    });

    it('answers a findings page again from its cache, and never with less than the session held shows', async () => {
      const cacheCount = async (kind: 'hits' | 'misses'): Promise<number> => Number(/^fleet_dashboard_page_cache_(\w+)_total (\d+)$/m.exec((await s.api('GET', '/metrics')).text.split('\n').filter((l) => l.startsWith(`fleet_dashboard_page_cache_${kind}_total `)).join('\n'))?.[2]);
      const id = (await s.api<{ sessionId: string }>('POST', '/api/sessions', { repoName: 'cached-pages', bots: ['rhodibot'] })).json.sessionId;
      const post = (n: number) => s.api('POST', `/api/sessions/${id}/findings`, { findings: Array.from({ length: n }, (_, i) => ({ source: 'rhodibot', ruleId: `C${i}`, severity: 'error', message: `cached ${i}` })) });
      const page = () => s.api<FindingPage>('GET', `/api/sessions/${id}/findings?severity=error&limit=50`);
      const status = async () => (await s.api<{ totalFindings: number; fixedFindings: number }>('GET', `/api/sessions/${id}/status`)).json;
      await post(3);
      const first = await page();
      const hits = await cacheCount('hits');
      const again = await page();
      // The same bytes, from the cache.
      expect(again.text).toBe(first.text);
      expect(again.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await cacheCount('hits')).toBe(hits + 1);
      // Its own writes, at once: a batch, then a fix.
      expect((await post(2)).status).toBe(201);
      const five = (await page()).json;
      expect(five.total).toBe(5);
      const fixedId = five.items[4]!.id;
      expect((await s.api('POST', `/api/sessions/${id}/findings/${fixedId}/fix`)).status).toBe(200);
      expect((await page()).json.items.find((f) => f.id === fixedId)?.fixed).toBe(true);
      // Another process's writes: once the status shows them, so does the page, with no wait of its own.
      const other = await s.backend();
      const added = await other.appendFindings(id, [{ source: 'rhodibot', ruleId: 'X1', severity: 'error', message: 'from another process' }]);
      const otherId = (await other.queryFindings(id, {}, { afterSeq: added.firstSeq - 1, limit: 1 })).items[0]!.id;
      await expect.poll(async () => (await status()).totalFindings, { timeout: 10_000, interval: 50 }).toBe(6);
      expect((await page()).json.items.map((f) => f.id)).toContain(otherId);
      expect(await other.markFixed(id, otherId)).toBe(true);
      await expect.poll(async () => (await status()).fixedFindings, { timeout: 10_000, interval: 50 }).toBe(2);
      expect((await page()).json.items.find((f) => f.id === otherId)?.fixed).toBe(true);
    });

    it('counts findings by every severity', async () => {
      const status = await s.api<{ findingsBySeverity: Record<string, number> }>('GET', `/api/sessions/${ctx.sessionId}/status`);
      expect(Object.keys(status.json.findingsBySeverity)).toEqual([...SEVERITIES]);
    });
  });
});
