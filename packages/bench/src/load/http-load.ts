/**
 * Closed-loop HTTP load on the findings API: `concurrency` connections (kept
 * alive), each sending its next request as soon as the previous answer is
 * read, for a fixed time. Every latency is kept (a few tens of thousands),
 * so percentiles are exact, not estimated.
 */
import { Agent, request } from 'node:http';
import { quantile, sortSamples } from '../stats.js';

/** What one load step measured. */
export interface LoadStep {
  readonly concurrency: number;
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  readonly throughput: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

function get(agent: Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { accept: 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}


/**
 * Runs one step. `paths` are cycled through; a response with a `nextCursor`
 * makes the same connection follow it next (paging), as an explorer does.
 * Connections are spread over `bases` (replicas of one dashboard) in turn.
 */
export async function loadStep(bases: string | readonly string[], paths: readonly string[], concurrency: number, seconds: number): Promise<LoadStep> {
  const all = typeof bases === 'string' ? [bases] : bases;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let connection = 0;
  const latencies: number[] = [];
  let errors = 0;
  let i = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async (): Promise<void> => {
    const base = all[connection++ % all.length]!;
    let next: string | undefined;
    while (performance.now() < end) {
      const path = next ?? paths[i++ % paths.length]!;
      const t0 = performance.now();
      try {
        const r = await get(agent, base + path);
        latencies.push(performance.now() - t0);
        if (r.status !== 200) {
          errors++;
          next = undefined;
          continue;
        }
        const m = /"nextCursor":"([^"]+)"/.exec(r.body);
        next = m === null || Math.random() < 0.5 ? undefined : `${path.split('&cursor=')[0]}&cursor=${encodeURIComponent(m[1]!)}`;
      } catch {
        errors++;
        next = undefined;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  const sorted = latencies.length === 0 ? undefined : sortSamples(latencies);
  const q = (p: number): number => (sorted === undefined ? NaN : quantile(sorted, p));
  return {
    concurrency,
    requests: latencies.length,
    errors,
    seconds: elapsed,
    throughput: latencies.length / elapsed,
    p50Ms: q(0.5),
    p99Ms: q(0.99),
    maxMs: q(1),
  };
}
