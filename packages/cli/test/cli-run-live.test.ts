/**
 * `fleet run` live: a real dashboard, started here, serves the storage the
 * run writes to (a directory, and PostgreSQL) — or takes the run through its
 * API (`--dashboard`) — and a client subscribed over SSE sees the bots go
 * from running to completed while the run goes on. At the end the session
 * is in its repository's history, whose durations drive the slow-run
 * anomaly of a later run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '@fleetkit/dashboard';
import { createDashboard } from '@fleetkit/dashboard';
import { createDashboardClient } from '@fleetkit/dashboard/client';
import { testPostgres } from '@fleetkit/testing-postgres';
import { bin, buildCli, fleet } from './run-fleet.js';
import type { RunJSON } from './support/fleet-file.js';
import { botRun, writeFleet } from './support/fleet-file.js';

const TOKEN = 'live-test-token-0123456789';
const dir = mkdtempSync(path.join(tmpdir(), 'fleet-run-live-'));
beforeAll(() => buildCli(), 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `fleet …` as a child process; resolves with its exit code and output. */
function fleetAsync(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Watches a dashboard for the first session of `repo` and records each bot's statuses as its live stream tells them. */
async function watchRun(url: string, repo: string, run: Promise<{ code: number | null; stdout: string; stderr: string }>): Promise<{ seen: Record<string, string[]>; code: number | null; stdout: string; stderr: string }> {
  const client = createDashboardClient({ baseUrl: url, token: TOKEN });
  const sessionId = await until(`a session of ${repo}`, async () => (await client.sessions({ repo }))[0]?.sessionId);
  const seen: Record<string, string[]> = {};
  const stop = client.subscribe(sessionId, (e) => {
    const bots = e.type === 'snapshot' ? e.data.bots : (e.data.bots ?? {});
    for (const [id, b] of Object.entries(bots)) {
      const list = (seen[id] ??= []);
      if (list.at(-1) !== b.status) list.push(b.status);
    }
  });
  const done = await run;
  await until('the last bot to complete on the live stream', () => (seen.panicbot?.at(-1) === 'completed' ? true : undefined));
  stop();
  return { seen, ...done };
}

const liveFleet = (repo: string): Record<string, unknown> => ({
  repo,
  bots: [
    { id: 'rhodibot', run: botRun('sarif', { ms: 1200, n: 3 }) },
    { id: 'panicbot', run: botRun('eslint', { ms: 1200, n: 2 }), dependsOn: ['rhodibot'] },
  ],
});

describe.each(['files', 'postgres'] as const)('a dashboard on the storage the run writes to (%s)', (kind) => {
  let d: Dashboard;
  let url = '';
  let store = '';
  beforeAll(async () => {
    store = kind === 'files' ? mkdtempSync(path.join(dir, 'store-')) : await testPostgres().createDatabase();
    d = await createDashboard({ store, port: 0, token: TOKEN });
    url = await d.listen();
  }, 120_000);
  afterAll(() => d?.close());

  it('sees the bots go from running to completed over SSE, and the session join its history', async () => {
    const cwd = mkdtempSync(path.join(dir, 'cwd-'));
    const repo = `live/${kind}`;
    writeFleet(cwd, liveFleet(repo));
    const r = await watchRun(url, repo, fleetAsync(['run', '--store', store, '--json'], cwd));
    expect(r.code, r.stderr).toBe(0);
    expect(r.seen.panicbot).toEqual(expect.arrayContaining(['running', 'completed']));
    expect(r.seen.panicbot!.indexOf('running')).toBeLessThan(r.seen.panicbot!.indexOf('completed'));
    expect(r.seen.rhodibot?.at(-1)).toBe('completed');
    const out = JSON.parse(r.stdout) as RunJSON;
    expect(out.session).toBeNull();
    const client = createDashboardClient({ baseUrl: url, token: TOKEN });
    const status = await client.status(out.sessionId);
    expect(status.totalFindings).toBe(5);
    expect(status.completedAt).not.toBeNull();
    const history = await client.history(repo);
    expect(history.sessions.map((s) => s.sessionId)).toContain(out.sessionId);
  }, 60_000);
});

describe('through the dashboard API (--dashboard)', () => {
  let d: Dashboard;
  let url = '';
  beforeAll(async () => {
    d = await createDashboard({ store: mkdtempSync(path.join(dir, 'api-store-')), port: 0, token: TOKEN });
    url = await d.listen();
  }, 60_000);
  afterAll(() => d?.close());

  it('records the run with the typed client, live, and completes the session', async () => {
    const cwd = mkdtempSync(path.join(dir, 'cwd-'));
    writeFleet(cwd, liveFleet('live/api'));
    const r = await watchRun(url, 'live/api', fleetAsync(['run', '--dashboard', url, '--json'], cwd, { FLEET_DASHBOARD_TOKEN: TOKEN }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.seen.panicbot!.indexOf('running')).toBeLessThan(r.seen.panicbot!.indexOf('completed'));
    const out = JSON.parse(r.stdout) as RunJSON;
    expect(out.recordedAs).not.toBeNull();
    const client = createDashboardClient({ baseUrl: url, token: TOKEN });
    const bots = await client.bots(out.recordedAs!);
    expect(bots.map((b) => [b.id, b.status])).toEqual([['rhodibot', 'completed'], ['panicbot', 'completed']]);
    expect((await client.status(out.recordedAs!)).totalFindings).toBe(5);
    expect((await client.history('live/api')).sessions).toHaveLength(1);
  }, 60_000);

  it('fails clearly, with exit 2, when the dashboard refuses the token', async () => {
    const cwd = mkdtempSync(path.join(dir, 'cwd-'));
    writeFleet(cwd, liveFleet('live/denied'));
    // Not spawnSync: the dashboard answers from this very process.
    const r = await fleetAsync(['run', '--dashboard', url, '--quiet'], cwd, { FLEET_DASHBOARD_TOKEN: 'wrong-token-0123456789' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/recording the run in http:\/\/127\.0\.0\.1:\d+ failed at creating the session: /);
    // Refused before any bot ran.
    expect(r.stdout).toBe('');
  });
});

describe('history', () => {
  it('feeds the slow-run anomaly of a later run from the durations of earlier ones', () => {
    const cwd = mkdtempSync(path.join(dir, 'hist-'));
    const store = path.join(cwd, 'store');
    writeFleet(cwd, { repo: 'acme/history', bots: [{ id: 'rhodibot', run: botRun('sarif', { n: 1 }) }] });
    for (let i = 0; i < 5; i++) expect(fleet(['run', '--store', store, '--quiet'], cwd).code).toBe(0);
    writeFleet(cwd, { repo: 'acme/history', bots: [{ id: 'rhodibot', run: botRun('sarif', { n: 1, ms: 2500 }) }] });
    const r = fleet(['run', '--store', store, '--json'], cwd);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as RunJSON;
    expect(out.health.alerts).toEqual(expect.arrayContaining([expect.objectContaining({ category: 'slow_execution', bot: 'rhodibot', message: expect.stringMatching(/^Slow execution: .* over 5 runs$/) })]));
  }, 60_000);
});
