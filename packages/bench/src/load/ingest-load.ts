/**
 * Ingest under load: `bots` concurrent posting bots, each posting batches of
 * `batch` findings into one session (spread over the replicas), each batch
 * under its own Idempotency-Key, as fast as the answers come, until each bot
 * has posted `batchesPerBot` batches (or, given `until`, until that moment of
 * `performance.now()`). Throughput is acknowledged findings per second of wall time.
 */
import { Agent, request } from 'node:http';
import { findingInputs } from '../cases/fixtures.js';

/** What one ingest run measured. */
export interface IngestResult {
  readonly bots: number;
  readonly batch: number;
  readonly batches: number;
  readonly findings: number;
  readonly errors: number;
  readonly seconds: number;
  readonly findingsPerSecond: number;
}

function post(agent: Agent, url: string, token: string, key: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs one ingest scenario against `sessionId`. */
export async function ingestLoad(bases: readonly string[], sessionId: string, token: string, bots: number, batch: number, batchesPerBot: number, until = Number.POSITIVE_INFINITY): Promise<IngestResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: bots });
  // Bodies are made before the clock starts: the load generator's JSON work is not the server's.
  const bodies = Array.from({ length: bots }, (_, b) =>
    Array.from({ length: batchesPerBot }, (_, k) => JSON.stringify({ findings: findingInputs(batch, (b * batchesPerBot + k) * batch) })),
  );
  let findings = 0;
  let errors = 0;
  let batches = 0;
  const run = `${Date.now().toString(36)}`;
  const t0 = performance.now();
  await Promise.all(
    bodies.map(async (mine, b) => {
      const url = `${bases[b % bases.length]!}/api/sessions/${encodeURIComponent(sessionId)}/findings`;
      for (const [k, body] of mine.entries()) {
        if (performance.now() >= until) break;
        batches++;
        const status = await post(agent, url, token, `${run}-b${b}-k${k}`, body).catch(() => 0);
        if (status === 201) findings += batch;
        else errors++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { bots, batch, batches, findings, errors, seconds, findingsPerSecond: findings / seconds };
}
