import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Context, ContextStorage } from '@fleetkit/shared-context';
import { openSse } from './support/sse.js';

// The built binary, as users run it (turbo builds before testing).
const BIN = resolve(import.meta.dirname, '../bin/fleet-dashboard.js');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });

let child: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

function start(...args: string[]): Promise<{ url: string; out: () => string }> {
  child = spawn(process.execPath, [BIN, ...args]);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((res, rej) => {
    const t = setInterval(() => {
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m !== null) {
        clearInterval(t);
        res({ url: m[1]!, out: () => out });
      }
    }, 50);
    child!.once('exit', (code) => {
      clearInterval(t);
      rej(new Error(`exited ${code}: ${out}`));
    });
  });
}

const exit = (c: ChildProcessWithoutNullStreams): Promise<number | null> => new Promise((r) => c.once('exit', (code) => r(code)));

describe('fleet-dashboard with a store that cannot be used', () => {
  it('exits 2 naming the problem, never printing the password', () => {
    for (const [url, why] of [
      ['postgres://fleet:Secret-Pw-1@127.0.0.1:99999/x', /malformed/],
      ['postgres://fleet:Secret-Pw-1@127.0.0.1:1/x', /unavailable/],
      ['mysql://fleet:Secret-Pw-1@127.0.0.1/x', /.+/],
    ] as const) {
      const r = spawnSync(process.execPath, [BIN, '--port', '0'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, FLEETKIT_STORE: url } });
      expect(r.status, url).toBe(2);
      expect(r.stderr, url).toMatch(why);
      expect(r.stderr + r.stdout, url).not.toContain('Secret-Pw-1');
    }
  });
});

describe('fleet-dashboard command line', () => {
  it('prints help', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--storage DIR');
    expect(r.stdout).toContain('--demo');
  });

  it.each([
    [[], /--store URL\|DIR is required/],
    [['--storage', '/tmp/x', '--port', 'eighty'], /--port must be an integer/],
    [['--storage', '/tmp/x', '--host', '0.0.0.0'], /requires a token/],
    [['--storage', '/tmp/x', '--token', 'short'], /token: must be at least 16 characters/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--storage', '/tmp/x', '--page-cache-mb', 'lots'], /--page-cache-mb must be a whole number of megabytes/],
    [['--storage', '/tmp/x', '--page-cache-mb', '1.5'], /--page-cache-mb must be a whole number of megabytes/],
  ])('exits 2 naming the problem for %j', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('serves a storage directory, and stops cleanly on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fk-cli-'));
    try {
      const ctx = new Context('served/repo', '.');
      ctx.addFinding({ source: 'rhodibot', ruleId: 'R', severity: 'info', message: 'hello' });
      await new ContextStorage(dir).saveContext(ctx);
      const { url } = await start('--storage', dir, '--port', '0');
      const r = (await (await fetch(`${url}/api/sessions/${ctx.sessionId}/status`)).json()) as { totalFindings: number };
      expect(r.totalFindings).toBe(1);
      const done = exit(child!);
      child!.kill('SIGTERM');
      expect(await done).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs the demo: history, a live fleet run, and a temporary storage removed on exit', async () => {
    const { url, out } = await start('--demo', '--port', '0');
    await expect.poll(() => /#session=([\w-]+)/.test(out()), { timeout: 15_000 }).toBe(true);
    const id = /#session=([\w-]+)/.exec(out())![1]!;
    const dir = /serving (\S+) at/.exec(out())![1]!;
    expect(existsSync(dir)).toBe(true);
    const repos = (await (await fetch(`${url}/api/repos`)).json()) as { repos: Array<{ name: string; sessions: number }> };
    expect(repos.repos).toEqual([expect.objectContaining({ name: 'demo/acme-web', sessions: 7 })]);
    const sse = await openSse(`${url}/api/sessions/${id}/events`);
    try {
      await sse.next((m) => m.event === 'snapshot');
      // The fleet moves by itself: an update arrives without anyone writing.
      const update = await sse.next((m) => m.event === 'update');
      expect(JSON.parse(update.data)).toHaveProperty('sessionId', id);
    } finally {
      sse.close();
    }
    const done = exit(child!);
    child!.kill('SIGINT');
    expect(await done).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });
});
