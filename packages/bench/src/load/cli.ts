/**
 * `bench-fleet.sh load`: the dashboard under load, on 127.0.0.1 only, bounded
 * in time. A session of 100,000 findings is served by real dashboard
 * processes — one over a directory (`--store files`), or two replicas over
 * one PostgreSQL database (`--store postgres`). We measure the findings API's
 * throughput and p50/p99 latency at rising concurrency, ingest throughput
 * (10 bots posting batches of 100 and of 10,000), the time until 1,000 live
 * clients (spread over the replicas) all have an update, and each server's
 * peak RSS. Goals (this 2-core machine): p99 < 50 ms, every live client
 * updated within 1 s; files: RSS < 500 MB; PostgreSQL: ingest ≥ 50,000
 * findings/s and RSS < 300 MB per replica.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Context } from '@fleetkit/shared-context';
import { findingInputs, registered } from '../cases/fixtures.js';
import { BenchError } from '../errors.js';
import { loadStep } from './http-load.js';
import type { LoadStep } from './http-load.js';
import { ingestLoad } from './ingest-load.js';
import type { IngestResult } from './ingest-load.js';
import { liveFanout } from './live-load.js';
import { openLoadStore } from './load-store.js';
import type { LoadStore } from './load-store.js';
import { startServer } from './server-process.js';
import type { ServerProcess } from './server-process.js';

const HELP = `bench-fleet.sh load — the dashboard under load (127.0.0.1 only, bounded in time)

Options:
  --store KIND       files (one dashboard over a directory, the default) or
                     postgres (two replicas over one PostgreSQL database: a
                     throwaway server, or FLEETKIT_PG_URL's)
  --findings N       findings in the served session (default 100000)
  --clients N        concurrent live clients (default 1000)
  --concurrency LIST HTTP connections per step (default 1,4,16,64)
  --seconds S        length of each HTTP step (default 5)
  --results DIR      where the JSON result goes (default benchmark-results)
  --heap-mb MB       cap each dashboard's old generation (node --max-old-space-size),
                     as a deployment bounding memory would (default: node's own)
  --page-cache-mb MB  each dashboard's findings-page cache (its --page-cache-mb;
                     0 makes every read a query, to measure reads that miss it)
  --quick            20,000 findings, 200 clients, 2 s steps, smaller ingest (a smoke run)
`;

const P99_GOAL_MS = 50;
const LIVE_GOAL_MS = 1000;
const RSS_GOAL_BYTES: Readonly<Record<LoadStore['kind'], number>> = { files: 500 * 1024 * 1024, postgres: 300 * 1024 * 1024 };
const INGEST_GOAL = 50_000;
const BOTS = 10;
const MIXED_CONNECTIONS = 16;

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
      store: { type: 'string' },
      'heap-mb': { type: 'string' },
      'page-cache-mb': { type: 'string' },
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
  const heapMb = a['heap-mb'] === undefined ? undefined : int('heap-mb', a['heap-mb'], 0, 64, 65_536);
  const pageCacheMb = a['page-cache-mb'] === undefined ? undefined : int('page-cache-mb', a['page-cache-mb'], 0, 0, 4096);
  const kind = a.store ?? 'files';
  if (kind !== 'files' && kind !== 'postgres') throw new BenchError('FK_BENCH_USAGE', `--store must be files or postgres, got ${JSON.stringify(kind)}`);

  const token = `load-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const log = (s: string): void => void process.stderr.write(`load: ${s}\n`);
  const servers: ServerProcess[] = [];
  let store: LoadStore | undefined;
  const cleanup = async (): Promise<void> => {
    await Promise.all(servers.map((x) => x.stop()));
    await store?.close();
  };
  process.once('SIGINT', () => {
    void cleanup().finally(() => process.exit(130));
  });
  try {
    store = await openLoadStore(kind, log);
    log(`building a session of ${nFindings} findings`);
    const ctx = registered();
    for (const b of ['rhodibot', 'echidnabot', 'sustainabot']) ctx.startBot(b);
    for (let off = 0; off < nFindings; off += 10_000) ctx.addFindings(findingInputs(Math.min(10_000, nFindings - off), off));
    await store.save(ctx);
    const id = ctx.sessionId;
    const ingestSession = new Context('load/ingest', '.');
    await store.save(ingestSession);

    for (let r = 0; r < store.replicas; r++) servers.push(await startServer(store.spec, token, { ...(heapMb === undefined ? {} : { heapMb }), ...(pageCacheMb === undefined ? {} : { pageCacheMb }) }));
    const bases = servers.map((x) => x.url);
    log(`${servers.length === 1 ? 'dashboard' : 'replicas'} ${servers.map((x) => `pid ${x.pid} at ${x.url}`).join(', ')}`);
    const warm = performance.now();
    await Promise.all(bases.map((b) => fetch(`${b}/api/sessions/${id}/status`)));
    const loadMs = performance.now() - warm;
    log(`session loaded in ${loadMs.toFixed(0)} ms`);

    const s = `/api/sessions/${id}/findings`;
    const paths = [`${s}?limit=100`, `${s}?severity=error&limit=100`, `${s}?bot=echidnabot&limit=50`, `${s}?file=src%2Fmodule-1&limit=100`, `${s}?q=finding%2042&limit=20`, `/api/sessions/${id}/health`, `/api/sessions/${id}/status`];
    const measured: LoadStep[] = [];
    for (const c of steps) {
      log(`HTTP step: ${c} connections for ${seconds} s`);
      measured.push(await loadStep(bases, paths, c, seconds));
    }
    const ingest: IngestResult[] = [];
    for (const [batch, perBot] of quick ? [[100, 20], [10_000, 1]] : [[100, 100], [10_000, 2]]) {
      log(`ingest: ${BOTS} bots posting ${perBot} batches of ${batch}`);
      ingest.push(await ingestLoad(bases, ingestSession.sessionId, token, BOTS, batch!, perBot!));
    }
    log(`live: ${nClients} clients`);
    const live = await liveFanout(bases, id, token, nClients);
    // Measured before the step below, which grows the session served (the goal is for the session of nFindings).
    const mems = servers.map((x) => x.memory());
    // Reads of a session while it is written: every batch changes it, so cached pages answer only until the next one.
    log(`reads while writing: ${MIXED_CONNECTIONS} connections reading the session while ${BOTS} bots post batches of 100 to it`);
    const mixedEnd = performance.now() + seconds * 1000;
    const [mixedReads, mixedIngest] = await Promise.all([loadStep(bases, paths, MIXED_CONNECTIONS, seconds), ingestLoad(bases, id, token, BOTS, 100, 200, mixedEnd)]);
    const memsAfter = servers.map((x) => x.memory());
    const rssGoal = RSS_GOAL_BYTES[store.kind];

    const sustained = measured.filter((m) => m.p99Ms < P99_GOAL_MS && m.errors === 0).sort((x, y) => y.throughput - x.throughput)[0];
    const last = live.delaysMs.at(-1) ?? NaN;
    const ingestOk = store.kind === 'files' || ingest.every((x) => x.errors === 0 && x.findingsPerSecond >= INGEST_GOAL);
    const memOk = mems.every((m) => m !== undefined && m.peakRssBytes < rssGoal);
    const where = store.kind === 'files' ? 'one dashboard over a directory' : `${servers.length} replicas over one PostgreSQL database`;
    const lines = [
      `# Dashboard load (${nFindings.toLocaleString('en')} findings, ${where}, 127.0.0.1)`,
      '',
      `Session load on first request: ${loadMs.toFixed(0)} ms. Requests mix first pages, filters (severity, bot, file prefix, text), cursor paging, health and status${servers.length > 1 ? ', with connections spread over the replicas' : ''}; findings-page cache: ${pageCacheMb === undefined ? 'the default' : pageCacheMb === 0 ? 'off (every page a query)' : `${pageCacheMb} MB`}.`,
      '',
      '| Connections | Requests | Errors | Throughput (req/s) | p50 | p99 | max | p99 < 50 ms |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |',
      ...measured.map((m) => `| ${m.concurrency} | ${m.requests} | ${m.errors} | ${m.throughput.toFixed(0)} | ${ms(m.p50Ms)} | ${ms(m.p99Ms)} | ${ms(m.maxMs)} | ${m.p99Ms < P99_GOAL_MS ? '✓' : '✗'} |`),
      '',
      `Highest throughput with p99 < ${P99_GOAL_MS} ms: ${sustained === undefined ? 'none of the steps' : `${sustained.throughput.toFixed(0)} req/s at ${sustained.concurrency} connections (p99 ${ms(sustained.p99Ms)})`}.`,
      '',
      `Ingest (${BOTS} bots posting at once, each batch under its own Idempotency-Key${store.kind === 'postgres' ? `; goal ≥ ${INGEST_GOAL.toLocaleString('en')} findings/s` : ''}):`,
      '',
      '| Batch | Batches | Findings | Errors | Time | Findings/s |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      ...ingest.map((x) => `| ${x.batch.toLocaleString('en')} | ${x.batches} | ${x.findings.toLocaleString('en')} | ${x.errors} | ${x.seconds.toFixed(2)} s | ${x.findingsPerSecond.toFixed(0)} ${store!.kind === 'postgres' ? (x.findingsPerSecond >= INGEST_GOAL && x.errors === 0 ? '✓' : '✗') : ''} |`),
      '',
      `Reads while the session is written (${MIXED_CONNECTIONS} connections; ${BOTS} bots posting batches of 100 to the same session, ${mixedIngest.findingsPerSecond.toFixed(0)} findings/s, ${mixedIngest.errors} errors): ${mixedReads.throughput.toFixed(0)} req/s, p50 ${ms(mixedReads.p50Ms)}, p99 ${ms(mixedReads.p99Ms)}, max ${ms(mixedReads.maxMs)}, ${mixedReads.errors} errors ${mixedReads.p99Ms < P99_GOAL_MS ? '✓' : '✗'}.`,
      '',
      `Live: ${live.connected}/${live.clients} clients${servers.length > 1 ? ` (split over ${servers.length} replicas, the write sent to the first)` : ''} connected (snapshots received) in ${ms(live.connectSeconds * 1000)} (${live.refused} refused); ${live.updated} received the update; median ${ms(live.delaysMs[Math.floor(live.delaysMs.length / 2)] ?? NaN)}, last ${ms(last)} — ${live.updated === live.clients && last <= LIVE_GOAL_MS ? '✓ all within 1 s' : '✗ goal: every client within 1 s'}.`,
      '',
      `Server memory (goal < ${mb(rssGoal)} each${heapMb === undefined ? '' : `; node --max-old-space-size=${heapMb}`}): ${mems.map((m, i) => `${servers.length > 1 ? `replica ${i + 1} ` : ''}peak RSS ${m === undefined ? 'unavailable' : mb(m.peakRssBytes)}`).join(', ')} ${memOk ? '✓' : '✗'} (after reads while writing: ${memsAfter.map((m) => (m === undefined ? 'unavailable' : mb(m.peakRssBytes))).join(', ')}).`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `load-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ store: store.kind, replicas: servers.length, findings: nFindings, sessionLoadMs: loadMs, steps: measured, ingest, live: { ...live, lastMs: last }, readsWhileWriting: { reads: mixedReads, ingest: mixedIngest }, memory: mems.map((m) => m ?? null), memoryAfterReadsWhileWriting: memsAfter.map((m) => m ?? null), heapMb: heapMb ?? null, pageCacheMb: pageCacheMb ?? null, node: process.version }, null, 2)}\n`,
    );
    log(`results written to ${file}`);
    const pass = sustained !== undefined && live.updated === live.clients && last <= LIVE_GOAL_MS && memOk && ingestOk;
    return pass ? 0 : 1;
  } finally {
    await cleanup();
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
