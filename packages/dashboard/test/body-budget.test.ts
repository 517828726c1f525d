/**
 * The ingest budget: findings batches past a budget of body bytes wait,
 * unread, in arrival order; what a batch holds is given back when its answer
 * is done or its client is gone (also while it still waits), so the budget
 * never leaks.
 */
import { request } from 'node:http';
import type { ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyBudget, BudgetWaitAbortedError } from '../src/body-budget.js';
import type { Running } from './support/server.js';
import { startDashboard, TOKEN } from './support/server.js';

const WAIT = { timeout: 10_000, interval: 20 };

describe('BodyBudget', () => {
  it('admits within the budget at once, then in arrival order as room is given back', async () => {
    const budget = new BodyBudget(100);
    const order: string[] = [];
    const a = await budget.acquire(60);
    const b = budget.acquire(50).then((r) => (order.push('b'), r));
    const c = budget.acquire(10).then((r) => (order.push('c'), r));
    await Promise.resolve();
    // c would fit, but b came first and is not overtaken.
    expect(order).toEqual([]);
    expect(budget.waiting).toBe(2);
    a();
    a(); // given back once, however often called
    const releaseB = await b;
    const releaseC = await c;
    expect(order).toEqual(['b', 'c']);
    expect(budget.inFlight).toBe(60);
    releaseB();
    releaseC();
    expect(budget.inFlight).toBe(0);
  });

  it('lets a body larger than the whole budget go alone rather than never', async () => {
    const budget = new BodyBudget(100);
    const small = await budget.acquire(10);
    let big = false;
    const pending = budget.acquire(500).then((r) => ((big = true), r));
    await Promise.resolve();
    expect(big).toBe(false);
    small();
    (await pending)();
    expect(big).toBe(true);
    expect(budget.inFlight).toBe(0);
  });
});

describe('BodyBudget waits that are given up', () => {
  it('drops a waiter whose signal aborts, and admits those behind it that fit', async () => {
    const budget = new BodyBudget(100);
    const first = await budget.acquire(50);
    const gone = new AbortController();
    const big = budget.acquire(80, gone.signal);
    let small = false;
    const next = budget.acquire(40).then((r) => ((small = true), r));
    await Promise.resolve();
    expect([budget.waiting, small]).toEqual([2, false]);
    gone.abort();
    await expect(big).rejects.toBeInstanceOf(BudgetWaitAbortedError);
    (await next)();
    expect(small).toBe(true);
    first();
    expect([budget.inFlight, budget.waiting]).toEqual([0, 0]);
  });

  it('refuses a signal already aborted, and a size that is not a whole number of bytes', async () => {
    const budget = new BodyBudget(100);
    await expect(budget.acquire(1, AbortSignal.abort())).rejects.toBeInstanceOf(BudgetWaitAbortedError);
    await expect(budget.acquire(Number.NaN)).rejects.toBeInstanceOf(RangeError);
    await expect(budget.acquire(-1)).rejects.toBeInstanceOf(RangeError);
    expect(budget.inFlight).toBe(0);
  });
});

describe('ingest budget over HTTP', () => {
  let s: Running;
  let sessionId: string;
  beforeAll(async () => {
    s = await startDashboard({ ingestBudgetBytes: 1024 });
    sessionId = (await s.api<{ sessionId: string }>('POST', '/api/sessions', { repoName: 'budget/repo' })).json.sessionId;
  });
  afterAll(async () => {
    await s.stop();
  });

  const body = (i: number): string => JSON.stringify({ findings: [{ source: 'rhodibot', ruleId: `R${i}`, severity: 'info', message: 'x'.repeat(500) }] });
  /** A POST whose headers are sent (with the full length) but whose body is held back until `finish`. */
  const held = (i: number): { req: ClientRequest; status: Promise<number>; finish(): void } => {
    const text = body(i);
    const req = request(`${s.url}/api/sessions/${sessionId}/findings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'content-length': Buffer.byteLength(text) },
    });
    const status = new Promise<number>((resolve) => {
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
    });
    req.flushHeaders();
    return { req, status, finish: () => req.end(text) };
  };
  const gauge = async (name: string): Promise<number> => {
    const text = (await s.api('GET', '/metrics')).text;
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  };

  it('holds a second batch until the first is answered, and takes back what a client that left was holding', async () => {
    const first = held(1);
    await expect.poll(() => gauge('fleet_dashboard_ingest_bytes_in_flight'), WAIT).toBeGreaterThan(500);
    // Room for one body of this size: the next waits, unread.
    const second = held(2);
    second.finish();
    await expect.poll(() => gauge('fleet_dashboard_ingest_waiting'), WAIT).toBe(1);
    // A third whose client gives up while it waits.
    const third = held(3);
    third.finish();
    await expect.poll(() => gauge('fleet_dashboard_ingest_waiting'), WAIT).toBe(2);
    third.req.destroy();
    // It gives up its place at once, not when its turn comes.
    await expect.poll(() => gauge('fleet_dashboard_ingest_waiting'), WAIT).toBe(1);
    // The first client leaves without sending its body: its share comes back and the second goes.
    first.req.destroy();
    expect(await second.status).toBe(201);
    await expect.poll(() => gauge('fleet_dashboard_ingest_waiting'), WAIT).toBe(0);
    await expect.poll(() => gauge('fleet_dashboard_ingest_bytes_in_flight'), WAIT).toBe(0);
    // Nothing leaked: batches go through one after another as before.
    const results = await Promise.all([4, 5, 6].map((i) => s.api('POST', `/api/sessions/${sessionId}/findings`, JSON.parse(body(i)) as unknown)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    const status = await s.api<{ totalFindings: number }>('GET', `/api/sessions/${sessionId}/status`);
    expect(status.json.totalFindings).toBe(4);
  });
});
