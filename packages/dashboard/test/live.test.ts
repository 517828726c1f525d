import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardClient } from '../src/client.js';
import type { LiveEvent } from '../src/client.js';
import type { LiveDelta, LiveState } from '../src/index.js';
import type { Running } from './support/server.js';
import { startDashboard, TOKEN } from './support/server.js';
import { openSse } from './support/sse.js';

let s: Running;
beforeAll(async () => {
  s = await startDashboard({ liveWindowMs: 30, heartbeatMs: 200 });
});
afterAll(() => s.stop());

const newSession = async (): Promise<string> => (await s.api<{ sessionId: string }>('POST', '/api/sessions', { repoName: 'live/repo', bots: ['rhodibot', 'sentinelbot'] })).json.sessionId;
const finding = (i: number, severity = 'warning') => ({ source: 'sentinelbot', ruleId: `L${i}`, severity, message: `live ${i}` });

describe('live updates (server-sent events)', () => {
  it('sends a snapshot, then only what changed', async () => {
    const id = await newSession();
    const sse = await openSse(`${s.url}/api/sessions/${id}/events`);
    try {
      expect(sse.status).toBe(200);
      expect(sse.headers['content-type']).toContain('text/event-stream');
      expect(sse.headers['content-security-policy']).toContain("default-src 'none'");
      const snap = JSON.parse((await sse.next((m) => m.event === 'snapshot')).data) as LiveState;
      expect(snap).toMatchObject({ sessionId: id, findings: { total: 0 }, bots: { rhodibot: { status: 'pending' } } });

      const at = sse.messages.length;
      await s.api('POST', `/api/sessions/${id}/findings`, { findings: [finding(1, 'error')] });
      const upd = JSON.parse((await sse.next((m) => m.event === 'update', at)).data) as LiveDelta;
      expect(upd.findings).toEqual({ total: 1, fixed: 0, bySeverity: { error: 1, warning: 0, info: 0, suggestion: 0 } });
      expect(upd.bots).toBeUndefined();

      const at2 = sse.messages.length;
      await s.api('POST', `/api/sessions/${id}/bots/rhodibot/start`);
      const moved = JSON.parse((await sse.next((m) => m.event === 'update' && (JSON.parse(m.data) as LiveDelta).bots !== undefined, at2)).data) as LiveDelta;
      expect(Object.keys(moved.bots!)).toEqual(['rhodibot']);
      expect(moved.bots!.rhodibot!.status).toBe('running');
      expect(moved.findings).toBeUndefined();
    } finally {
      sse.close();
    }
  });

  it('coalesces a burst of changes into fewer updates, ending at the right counts', async () => {
    const id = await newSession();
    const sse = await openSse(`${s.url}/api/sessions/${id}/events`);
    try {
      await sse.next((m) => m.event === 'snapshot');
      const posts = 30;
      await Promise.all(Array.from({ length: posts }, (_, i) => s.api('POST', `/api/sessions/${id}/findings`, { findings: [finding(i)] })));
      const last = await sse.next((m) => m.event === 'update' && (JSON.parse(m.data) as LiveDelta).findings?.total === posts);
      expect(last).toBeDefined();
      const updates = sse.messages.filter((m) => m.event === 'update');
      expect(updates.length).toBeLessThan(posts);
    } finally {
      sse.close();
    }
  });

  it('sends heartbeats', async () => {
    const id = await newSession();
    const sse = await openSse(`${s.url}/api/sessions/${id}/events`);
    try {
      await expect.poll(() => sse.raw.includes(': heartbeat'), { timeout: 5000 }).toBe(true);
    } finally {
      sse.close();
    }
  });

  it('refuses connections beyond the cap politely (503, Retry-After), and admits again after one leaves', async () => {
    const capped = await startDashboard({ maxLiveClients: 2 });
    try {
      const id = (await capped.api<{ sessionId: string }>('POST', '/api/sessions', { repoName: 'cap' })).json.sessionId;
      const a = await openSse(`${capped.url}/api/sessions/${id}/events`);
      const b = await openSse(`${capped.url}/api/sessions/${id}/events`);
      await a.next((m) => m.event === 'snapshot');
      await b.next((m) => m.event === 'snapshot');
      const refused = await fetch(`${capped.url}/api/sessions/${id}/events`);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('FK_HTTP_TOO_MANY_CLIENTS');
      a.close();
      await expect.poll(() => capped.d.live.clients, { timeout: 5000 }).toBe(1);
      const c = await openSse(`${capped.url}/api/sessions/${id}/events`);
      expect(c.status).toBe(200);
      c.close();
      b.close();
    } finally {
      await capped.stop();
    }
  });

  it('drops a client that does not read instead of buffering for it', async () => {
    const tight = await startDashboard({ liveBufferBytes: 2048, liveWindowMs: 5 });
    try {
      const id = (await tight.api<{ sessionId: string }>('POST', '/api/sessions', { repoName: 'slow' })).json.sessionId;
      // A client that sends the request and never reads a byte: the kernel buffers fill, then ours.
      const sock = connect(Number(new URL(tight.url).port), '127.0.0.1');
      sock.pause();
      await new Promise<void>((r) => sock.once('connect', () => r()));
      sock.write(`GET /api/sessions/${id}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
      await expect.poll(() => tight.d.live.clients, { timeout: 5000 }).toBe(1);
      // Every failure adds an alert, and each update carries all current alerts: the
      // unread bytes grow quickly past what the kernel buffers for the socket.
      const message = 'x'.repeat(9000);
      for (let i = 0; i < 300 && tight.d.live.dropped === 0; i++) {
        await tight.api('POST', `/api/sessions/${id}/bots/bot-${i}/start`);
        await tight.api('POST', `/api/sessions/${id}/bots/bot-${i}/fail`, { message });
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(tight.d.live.dropped).toBe(1);
      expect(tight.d.live.clients).toBe(0);
      sock.destroy();
    } finally {
      await tight.stop();
    }
  });

  it('reaches a program through the typed client', async () => {
    const id = await newSession();
    const client = createDashboardClient({ baseUrl: s.url, token: TOKEN });
    const events: LiveEvent[] = [];
    const stop = client.subscribe(id, (e) => events.push(e));
    try {
      await expect.poll(() => events.length, { timeout: 5000 }).toBeGreaterThan(0);
      expect(events[0]!.type).toBe('snapshot');
      await client.addFindings(id, [{ source: 'sentinelbot', ruleId: 'C1', severity: 'error', message: 'from the client' }]);
      await expect.poll(() => events.some((e) => e.type === 'update' && e.data.findings?.total === 1), { timeout: 5000 }).toBe(true);
      expect((await client.status(id)).blocksRelease).toBe(true);
      const all = [];
      for await (const f of client.allFindings(id, { limit: 1 })) all.push(f.message);
      expect(all).toEqual(['from the client']);
      await expect(client.health('missing-session')).rejects.toMatchObject({ status: 404, code: 'FK_NOT_FOUND' });
      await expect(createDashboardClient({ baseUrl: s.url }).createSession({ repoName: 'x' })).rejects.toMatchObject({ status: 401 });
    } finally {
      stop();
    }
  });

  it('ends the streams of a session deleted by another process with `deleted`, and the typed client stops', async () => {
    const id = await newSession();
    const sse = await openSse(`${s.url}/api/sessions/${id}/events`);
    const events: LiveEvent[] = [];
    const deleted: string[] = [];
    const stop = createDashboardClient({ baseUrl: s.url, token: TOKEN }).subscribe(id, (e) => events.push(e), { onDeleted: (sid) => deleted.push(sid) });
    try {
      await sse.next((m) => m.event === 'snapshot');
      await expect.poll(() => events.length, { timeout: 5000 }).toBeGreaterThan(0);
      const other = await s.backend();
      await other.deleteSession(id);
      const ended = await sse.next((m) => m.event === 'deleted');
      expect(JSON.parse(ended.data)).toEqual({ sessionId: id });
      await expect.poll(() => deleted, { timeout: 5000 }).toEqual([id]);
      expect((await s.api('GET', `/api/sessions/${id}/status`)).status).toBe(404);
    } finally {
      stop();
      sse.close();
    }
  });

  it('pushes a change made to the session file by another process', async () => {
    const { ContextStorage } = await import('@fleetkit/shared-context');
    const id = await newSession();
    const sse = await openSse(`${s.url}/api/sessions/${id}/events`);
    try {
      await sse.next((m) => m.event === 'snapshot');
      const storage = new ContextStorage(s.dir);
      const other = await storage.loadContext(id);
      other.addFinding({ source: 'rhodibot', ruleId: 'EXT', severity: 'info', message: 'from elsewhere' });
      await storage.saveContext(other);
      const upd = await sse.next((m) => m.event === 'update' && (JSON.parse(m.data) as LiveDelta).findings?.total === 1);
      expect(upd).toBeDefined();
    } finally {
      sse.close();
    }
  });
});
