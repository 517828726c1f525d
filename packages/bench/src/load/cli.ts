/**
 * `bench-fleet.sh load`: the dashboard under load, on 127.0.0.1 only, bounded
 * in time. A session of 100,000 findings is served by a real dashboard
 * process; we measure the findings API's throughput and p99 latency at rising
 * concurrency, the time until 1,000 live clients all have an update, and the
 * server's peak RSS. Goals (this 2-core machine): p99 < 50 ms at the highest
 * sustainable throughput, every live client updated within 1 s, RSS < 500 MB.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ContextStorage } from '@fleetkit/shared-context';
import { findingInputs, registered } from '../cases/fixtures.js';
import { BenchError } from '../errors.js';
import { loadStep } from './http-load.js';
import type { LoadStep } from './http-load.js';
import { liveFanout } from './live-load.js';
import { startServer } from './server-process.js';

const HELP = `bench-fleet.sh load — the dashboard under load (127.0.0.1 only, bounded in time)

Options:
  --findings N       findings in the served session (default 100000)
  --clients N        concurrent live clients (default 1000)
  --concurrency LIST HTTP connections per step (default 1,4,16,64)
  --seconds S        length of each HTTP step (default 5)
  --results DIR      where the JSON result goes (default benchmark-results)
  --quick            20,000 findings, 200 clients, 2 s steps (a smoke run)
`;

const P99_GOAL_MS = 50;
const LIVE_GOAL_MS = 1000;
const RSS_GOAL_BYTES = 500 * 1024 * 1024;

const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MB`;
const ms = (x: number): string => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms` : '—');

async function main(argv: string[]): Promise<number> {
  const { values: a } = parseArgs({
    args: argv,
    strict: true,
    options: {
      findings: { type: 'string' },
      clients: { type: 'string' },
      concurrency: { type: 'string' },
      seconds: { type: 'string' },
      results: { type: 'string' },
      quick: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (a.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  const int = (name: string, v: string | undefined, d: number, min: number, max: number): number => {
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new BenchError('FK_BENCH_USAGE', `--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return n;
  };
  const quick = a.quick === true;
  const nFindings = int('findings', a.findings, quick ? 20_000 : 100_000, 1, 2_000_000);
  const nClients = int('clients', a.clients, quick ? 200 : 1000, 1, 5000);
  const seconds = int('seconds', a.seconds, quick ? 2 : 5, 1, 60);
  const steps = (a.concurrency ?? '1,4,16,64').split(',').map((c) => int('concurrency', c, 1, 1, 1024));
  const resultsDir = resolve(a.results ?? 'benchmark-results');

  const token = `load-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const storage = mkdtempSync(join(tmpdir(), 'fleet-load-'));
  const log = (s: string): void => void process.stderr.write(`load: ${s}\n`);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  const cleanup = (): void => {
    void server?.stop();
    rmSync(storage, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    log(`building a session of ${nFindings} findings`);
    const ctx = registered();
    for (const b of ['rhodibot', 'echidnabot', 'sustainabot']) ctx.startBot(b);
    for (let off = 0; off < nFindings; off += 10_000) ctx.addFindings(findingInputs(Math.min(10_000, nFindings - off), off));
    await new ContextStorage(storage).saveContext(ctx);
    const id = ctx.sessionId;

    server = await startServer(storage, token);
    log(`dashboard pid ${server.pid} at ${server.url}`);
    const warm = performance.now();
    await fetch(`${server.url}/api/sessions/${id}/status`);
    const loadMs = performance.now() - warm;
    log(`session loaded in ${loadMs.toFixed(0)} ms`);

    const s = `/api/sessions/${id}/findings`;
    const paths = [`${s}?limit=100`, `${s}?severity=error&limit=100`, `${s}?bot=echidnabot&limit=50`, `${s}?file=src%2Fmodule-1&limit=100`, `${s}?q=finding%2042&limit=20`, `/api/sessions/${id}/health`, `/api/sessions/${id}/status`];
    const measured: LoadStep[] = [];
    for (const c of steps) {
      log(`HTTP step: ${c} connections for ${seconds} s`);
      measured.push(await loadStep(server.url, paths, c, seconds));
    }
    log(`live: ${nClients} clients`);
    const live = await liveFanout(server.url, id, token, nClients);
    const mem = server.memory();

    const sustained = measured.filter((m) => m.p99Ms < P99_GOAL_MS && m.errors === 0).sort((x, y) => y.throughput - x.throughput)[0];
    const last = live.delaysMs.at(-1) ?? NaN;
    const lines = [
      `# Dashboard load (${nFindings.toLocaleString('en')} findings, 127.0.0.1)`,
      '',
      `Session load on first request: ${loadMs.toFixed(0)} ms. Requests mix first pages, filters (severity, bot, file prefix, text), cursor paging, health and status.`,
      '',
      '| Connections | Requests | Errors | Throughput (req/s) | p50 | p99 | max | p99 < 50 ms |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |',
      ...measured.map((m) => `| ${m.concurrency} | ${m.requests} | ${m.errors} | ${m.throughput.toFixed(0)} | ${ms(m.p50Ms)} | ${ms(m.p99Ms)} | ${ms(m.maxMs)} | ${m.p99Ms < P99_GOAL_MS ? '✓' : '✗'} |`),
      '',
      `Highest throughput with p99 < ${P99_GOAL_MS} ms: ${sustained === undefined ? 'none of the steps' : `${sustained.throughput.toFixed(0)} req/s at ${sustained.concurrency} connections (p99 ${ms(sustained.p99Ms)})`}.`,
      '',
      `Live: ${live.connected}/${live.clients} clients connected (snapshots received) in ${ms(live.connectSeconds * 1000)} (${live.refused} refused); ${live.updated} received the update; median ${ms(live.delaysMs[Math.floor(live.delaysMs.length / 2)] ?? NaN)}, last ${ms(last)} — ${live.updated === live.clients && last <= LIVE_GOAL_MS ? '✓ all within 1 s' : '✗ goal: every client within 1 s'}.`,
      '',
      `Server memory: peak RSS ${mem === undefined ? 'unavailable' : mb(mem.peakRssBytes)} (goal < ${mb(RSS_GOAL_BYTES)}) ${mem !== undefined && mem.peakRssBytes < RSS_GOAL_BYTES ? '✓' : '✗'}.`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `load-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify({ findings: nFindings, sessionLoadMs: loadMs, steps: measured, live: { ...live, lastMs: last }, memory: mem ?? null, node: process.version }, null, 2)}\n`);
    log(`results written to ${file}`);
    const pass = sustained !== undefined && live.updated === live.clients && last <= LIVE_GOAL_MS && mem !== undefined && mem.peakRssBytes < RSS_GOAL_BYTES;
    return pass ? 0 : 1;
  } finally {
    await server?.stop();
    rmSync(storage, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof BenchError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`error: ${(err as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
  } else throw err;
}
