/**
 * The dashboard under load runs in its own process (the built
 * `fleet-dashboard` binary), so its memory is measured apart from the load
 * generator's, from /proc (peak resident set, VmHWM).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BenchError } from '../errors.js';

/** A running dashboard process. */
export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** Current and peak resident set size in bytes (Linux /proc), or undefined elsewhere. */
  memory(): { rssBytes: number; peakRssBytes: number } | undefined;
  stop(): Promise<void>;
}

function dashboardBin(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@fleetkit/dashboard/package.json');
  return join(dirname(pkg), 'dist', 'bin.js');
}

function procMemory(pid: number): { rssBytes: number; peakRssBytes: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * Starts `fleet-dashboard --port 0` on 127.0.0.1 over `store` (a directory or
 * a database URL, passed in FLEETKIT_STORE so a password is not on the
 * command line) and waits for its URL. `heapMb` caps its old generation
 * (`--max-old-space-size`), as a deployment bounding memory would;
 * `pageCacheMb` sets its findings-page cache (`--page-cache-mb`).
 */
export function startServer(store: string, token: string, options: { heapMb?: number; pageCacheMb?: number; timeoutMs?: number } = {}): Promise<ServerProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const node = options.heapMb === undefined ? [] : [`--max-old-space-size=${options.heapMb}`];
  const cache = options.pageCacheMb === undefined ? [] : ['--page-cache-mb', String(options.pageCacheMb)];
  const child: ChildProcess = spawn(process.execPath, [...node, dashboardBin(), '--port', '0', '--host', '127.0.0.1', '--token', token, ...cache], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FLEETKIT_STORE: store },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new BenchError('FK_BENCH_CRASHED', `the dashboard did not start within ${timeoutMs} ms: ${out}`));
    }, timeoutMs);
    const poll = setInterval(() => {
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m === null) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ url: m[1]!, pid: child.pid!, memory: () => procMemory(child.pid!), stop });
    }, 20);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new BenchError('FK_BENCH_CRASHED', `the dashboard exited (${code}) before listening: ${out}`));
    });
  });
}
