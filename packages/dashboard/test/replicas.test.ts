/**
 * Several dashboard replicas over one PostgreSQL database, all real: a
 * finding posted to one reaches the live clients of another (LISTEN/NOTIFY);
 * the database restarting makes writes answer 503 with Retry-After, and the
 * replicas recover by themselves, live clients getting a fresh snapshot; a
 * replica killed with SIGKILL in the middle of an ingest leaves every
 * acknowledged batch whole and no batch in part; and the typed client's
 * retries, with an answer lost on the way, add a batch once.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingInput } from '@fleetkit/shared-context';
import { PostgresStorage } from '@fleetkit/store-postgres';
import { startTestPostgres, testPostgres } from '@fleetkit/testing-postgres';
import type { TestPostgres } from '@fleetkit/testing-postgres';
import { createDashboardClient } from '../src/client.js';
import type { LiveDelta, LiveState } from '../src/index.js';
import type { Running } from './support/server.js';
import { startDashboard, TOKEN } from './support/server.js';
import { openSse } from './support/sse.js';

const BIN = resolve(import.meta.dirname, '../bin/fleet-dashboard.js');
const finding = (i: number, extra: Partial<FindingInput> = {}): FindingInput => ({ source: 'sentinelbot', ruleId: `R${i}`, severity: 'warning', message: `finding ${i}`, ...extra });
const WAIT = { timeout: 15_000, interval: 50 };

describe('two replicas over one database', () => {
  let a: Running;
  let b: Running;
  beforeAll(async () => {
    const url = await testPostgres().createDatabase();
    a = await startDashboard({ liveWindowMs: 20 }, url);
    b = await startDashboard({ liveWindowMs: 20 }, url);
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
  });

  it("brings a finding posted to one replica to the other's live clients, and its status", async () => {
    const id = (await a.api<{ sessionId: string }>('POST', '/api/sessions', { repoName: 'fleet/web', bots: ['sentinelbot'] })).json.sessionId;
    const sse = await openSse(`${b.url}/api/sessions/${id}/events`);
    try {
      const snap = JSON.parse((await sse.next((m) => m.event === 'snapshot')).data) as LiveState;
      expect(snap.findings.total).toBe(0);
      const at = sse.messages.length;
      expect((await a.api('POST', `/api/sessions/${id}/findings`, { findings: [finding(1, { severity: 'error' }), finding(2)] })).status).toBe(201);
      const upd = JSON.parse((await sse.next((m) => m.event === 'update' && (JSON.parse(m.data) as LiveDelta).findings?.total === 2, at)).data) as LiveDelta;
      expect(upd.findings?.bySeverity.error).toBe(1);
      await a.api('POST', `/api/sessions/${id}/bots/sentinelbot/start`, {});
      await sse.next((m) => m.event === 'update' && (JSON.parse(m.data) as LiveDelta).bots?.sentinelbot?.status === 'running', at);
      await a.api('POST', `/api/sessions/${id}/findings/${(await b.api<{ items: Array<{ id: string }> }>('GET', `/api/sessions/${id}/findings?severity=error`)).json.items[0]!.id}/fix`);
      await sse.next((m) => m.event === 'update' && (JSON.parse(m.data) as LiveDelta).findings?.fixed === 1, at);
      const status = await b.api<{ totalFindings: number; fixedFindings: number; botsRunning: number }>('GET', `/api/sessions/${id}/status`);
      expect(status.json).toMatchObject({ totalFindings: 2, fixedFindings: 1, botsRunning: 1 });
    } finally {
      sse.close();
    }
  });

  it("ends the other replica's live streams of a session deleted from the database", async () => {
    const id = (await a.api<{ sessionId: string }>('POST', '/api/sessions', { repoName: 'fleet/gone' })).json.sessionId;
    const sse = await openSse(`${b.url}/api/sessions/${id}/events`);
    try {
      await sse.next((m) => m.event === 'snapshot');
      await (await a.backend()).deleteSession(id);
      expect(JSON.parse((await sse.next((m) => m.event === 'deleted')).data)).toEqual({ sessionId: id });
      expect((await b.api('GET', `/api/sessions/${id}/status`)).status).toBe(404);
    } finally {
      sse.close();
    }
  });

  it('adds batches posted at once to both replicas, each once, in one order everywhere', async () => {
    const id = (await a.api<{ sessionId: string }>('POST', '/api/sessions', { repoName: 'fleet/web' })).json.sessionId;
    const posts = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).api('POST', `/api/sessions/${id}/findings`, { findings: [finding(i * 2), finding(i * 2 + 1)] }, { headers: { 'idempotency-key': `k-${i}` } }));
    expect((await Promise.all(posts)).map((r) => r.status)).toEqual(posts.map(() => 201));
    // A retry of one batch to the other replica is recognised there too.
    const retry = await b.api<{ replayed: boolean }>('POST', `/api/sessions/${id}/findings`, { findings: [finding(0), finding(1)] }, { headers: { 'idempotency-key': 'k-0' } });
    expect(retry.json.replayed).toBe(true);
    const ids = async (r: Running): Promise<string[]> => (await r.api<{ items: Array<{ ruleId: string }> }>('GET', `/api/sessions/${id}/findings?limit=1000`)).json.items.map((f) => f.ruleId);
    await expect.poll(async () => (await b.api<{ totalFindings: number }>('GET', `/api/sessions/${id}/status`)).json.totalFindings, WAIT).toBe(40);
    expect(await ids(a)).toEqual(await ids(b));
    expect(new Set(await ids(a)).size).toBe(40);
  });
});

describe('the database restarting under two replicas', () => {
  let pg: TestPostgres;
  let a: Running;
  let b: Running;
  beforeAll(async () => {
    // A server of this test's own: stopping the shared one would fail every other test file.
    pg = await startTestPostgres({ fsync: true });
    const url = await pg.createDatabase();
    a = await startDashboard({ liveWindowMs: 20 }, url);
    b = await startDashboard({ liveWindowMs: 20 }, url);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await pg?.close();
  });

  it('answers writes 503 with Retry-After while it is down, then recovers without a restart, live clients getting a fresh snapshot', async () => {
    const id = (await a.api<{ sessionId: string }>('POST', '/api/sessions', { repoName: 'fleet/restart' })).json.sessionId;
    expect((await a.api('POST', `/api/sessions/${id}/findings`, { findings: [finding(1)] }, { headers: { 'idempotency-key': 'before' } })).status).toBe(201);
    const sse = await openSse(`${b.url}/api/sessions/${id}/events`);
    try {
      await sse.next((m) => m.event === 'snapshot');
      await pg.stopServer();
      const down = await a.api('POST', `/api/sessions/${id}/findings`, { findings: [finding(2)] }, { headers: { 'idempotency-key': 'during' } });
      expect(down.status).toBe(503);
      expect(down.json.error.code).toBe('FK_STORAGE_UNAVAILABLE');
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await a.api('GET', '/readyz')).status).toBe(503);
      const snapshots = sse.messages.filter((m) => m.event === 'snapshot').length;
      // Bots keep posting (the typed client, retrying under its keys) across the restart.
      const client = createDashboardClient({ baseUrl: b.url, token: TOKEN, retries: 40, retryDelayMs: 100 });
      const acked: string[] = [];
      const posting = Array.from({ length: 3 }, async (_, w) => {
        for (let i = 0; i < 4; i++) {
          const key = `restart-w${w}-b${i}`;
          await client.addFindings(id, Array.from({ length: 50 }, (_, j) => finding(j, { ruleId: key })), { idempotencyKey: key });
          acked.push(key);
        }
      });
      await new Promise((r) => setTimeout(r, 300));
      await pg.startServer();
      await Promise.all(posting);
      expect(acked).toHaveLength(12);
      await expect.poll(async () => (await a.api('POST', `/api/sessions/${id}/findings`, { findings: [finding(2)] }, { headers: { 'idempotency-key': 'during' } })).status, WAIT).toBe(201);
      // Replica B re-listened by itself and told its live client to start again from a snapshot.
      await expect.poll(() => sse.messages.filter((m) => m.event === 'snapshot').length, WAIT).toBeGreaterThan(snapshots);
      const at = sse.messages.length;
      expect((await a.api('POST', `/api/sessions/${id}/findings`, { findings: [finding(3, { ruleId: 'after' })] })).status).toBe(201);
      await sse.next((m) => m.event === 'update' && (JSON.parse(m.data) as LiveDelta).findings?.total === 3 + 12 * 50, at);
      expect((await b.api<{ totalFindings: number }>('GET', `/api/sessions/${id}/status`)).json.totalFindings).toBe(3 + 12 * 50);
      // Every acknowledged batch is there once, whole.
      const stored = await (await b.backend()).loadSession(id);
      const perBatch = new Map<string, number>();
      for (const f of stored.findings.all()) perBatch.set(f.ruleId, (perBatch.get(f.ruleId) ?? 0) + 1);
      for (const key of acked) expect(perBatch.get(key), key).toBe(50);
      expect((await b.api('GET', '/readyz')).status).toBe(200);
    } finally {
      sse.close();
    }
  });
});

describe('a replica killed in the middle of an ingest', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  afterAll(() => child?.kill('SIGKILL'));

  it('leaves every acknowledged batch whole, and no batch in part', async () => {
    const url = await testPostgres().createDatabase();
    child = spawn(process.execPath, [BIN, '--port', '0', '--token', TOKEN], { env: { ...process.env, FLEETKIT_STORE: url } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await expect.poll(() => /at (http:\/\/127\.0\.0\.1:\d+)\//.test(out), WAIT).toBe(true);
    expect(out).not.toContain(new URL(url).password);
    const base = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)![1]!;
    const client = createDashboardClient({ baseUrl: base, token: TOKEN, retries: 0 });
    const { sessionId } = await client.createSession({ repoName: 'fleet/killed' });
    const acked: string[] = [];
    const posting = Array.from({ length: 6 }, async (_, w) => {
      for (let i = 0; ; i++) {
        const key = `w${w}-b${i}`;
        const batch = Array.from({ length: 500 }, (_, j) => finding(j, { ruleId: key }));
        try {
          await client.addFindings(sessionId, batch, { idempotencyKey: key });
          acked.push(key);
        } catch {
          return;
        }
      }
    });
    await expect.poll(() => acked.length, WAIT).toBeGreaterThanOrEqual(6);
    child.kill('SIGKILL');
    await Promise.all(posting);
    const storage = await PostgresStorage.open(url);
    try {
      const ctx = await storage.loadSession(sessionId);
      const perBatch = new Map<string, number>();
      for (const f of ctx.findings.all()) perBatch.set(f.ruleId, (perBatch.get(f.ruleId) ?? 0) + 1);
      for (const key of acked) expect(perBatch.get(key), key).toBe(500);
      for (const [key, n] of perBatch) expect(n, key).toBe(500);
    } finally {
      await storage.close();
    }
  });
});

describe('the typed client when an answer is lost', () => {
  let s: Running;
  let proxy: Server;
  let proxied = '';
  let drops = 0;
  beforeAll(async () => {
    s = await startDashboard({}, await testPostgres().createDatabase());
    // A real proxy that forwards each request and, while `drops` > 0, cuts the connection instead of answering.
    proxy = createServer((req, res) => {
      const up = request(`${s.url}${req.url}`, { method: req.method, headers: req.headers }, (upRes) => {
        if (drops > 0 && req.method === 'POST' && req.url?.endsWith('/findings') === true) {
          drops--;
          upRes.resume();
          upRes.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxied = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => proxy.close(() => r()));
    await s.stop();
  });

  it('retries under the same Idempotency-Key, so the batch the server stored is not added twice', async () => {
    const client = createDashboardClient({ baseUrl: proxied, token: TOKEN, retryDelayMs: 20 });
    const { sessionId } = await client.createSession({ repoName: 'fleet/lossy' });
    drops = 2;
    const r = await client.addFindings(sessionId, [finding(1), finding(2), finding(3)]);
    expect(drops).toBe(0);
    expect(r).toMatchObject({ added: 3, firstSeq: 1, lastSeq: 3, replayed: true });
    expect((await client.status(sessionId)).totalFindings).toBe(3);
    const again = await client.addFindings(sessionId, [finding(1), finding(2), finding(3)]);
    expect(again).toMatchObject({ added: 3, firstSeq: 4, replayed: false });
  });
});
