/**
 * Many live clients: opens `clients` event streams on one session, waits for
 * every snapshot, then posts one batch of findings and times, per client,
 * how long until its update arrives (time until the last one has it).
 */
import { Agent, request } from 'node:http';
import type { ClientRequest } from 'node:http';
import { SseParser } from '@fleetkit/dashboard/client';

/** What the live scenario measured. */
export interface LiveResult {
  readonly clients: number;
  readonly connected: number;
  readonly refused: number;
  readonly updated: number;
  /** ms from the write being sent until each client had the update, sorted. */
  readonly delaysMs: readonly number[];
  readonly connectSeconds: number;
}

/**
 * Runs the scenario; gives up on stragglers after `timeoutMs`. Clients are
 * spread over `bases` (replicas) in turn; the write goes to the first, so
 * clients of the others are updated through the storage's notifications.
 */
export async function liveFanout(bases: string | readonly string[], sessionId: string, token: string, clients: number, timeoutMs = 10_000): Promise<LiveResult> {
  const replicas = typeof bases === 'string' ? [bases] : bases;
  const base = replicas[0]!;
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const reqs: ClientRequest[] = [];
  let refused = 0;
  let t0 = 0;
  let target = -1;
  const delays: number[] = [];
  let onUpdate: (() => void) | undefined;
  const tc = performance.now();
  const connected = await Promise.all(
    Array.from(
      { length: clients },
      (_, i) =>
        new Promise<boolean>((resolve) => {
          let got = false;
          const req = request(`${replicas[i % replicas.length]!}/api/sessions/${encodeURIComponent(sessionId)}/events`, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
            if (res.statusCode !== 200) {
              refused++;
              res.resume();
              resolve(false);
              return;
            }
            const parser = new SseParser((m) => {
              if (m.event === 'snapshot') resolve(true);
              else if (m.event === 'update' && !got && target >= 0) {
                const total = (JSON.parse(m.data) as { findings?: { total: number } }).findings?.total;
                if (total !== undefined && total >= target) {
                  got = true;
                  delays.push(performance.now() - t0);
                  onUpdate?.();
                }
              }
            });
            res.setEncoding('utf8');
            res.on('data', (c: string) => parser.push(c));
            res.on('error', () => resolve(false));
          });
          req.on('error', () => resolve(false));
          req.end();
          reqs.push(req);
        }),
    ),
  );
  const connectSeconds = (performance.now() - tc) / 1000;
  const ok = connected.filter(Boolean).length;
  const status = await fetch(`${base}/api/sessions/${encodeURIComponent(sessionId)}/status`).then((r) => r.json() as Promise<{ totalFindings: number }>);
  target = status.totalFindings + 1;
  const all = new Promise<void>((resolve) => {
    onUpdate = () => {
      if (delays.length >= ok) resolve();
    };
    setTimeout(resolve, timeoutMs).unref();
  });
  t0 = performance.now();
  await fetch(`${base}/api/sessions/${encodeURIComponent(sessionId)}/findings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ findings: [{ source: 'sentinelbot', ruleId: 'LIVE-1', severity: 'error', message: 'live fan-out probe' }] }),
  });
  await all;
  for (const r of reqs) r.destroy();
  agent.destroy();
  return { clients, connected: ok, refused, updated: delays.length, delaysMs: delays.sort((a, b) => a - b), connectSeconds };
}
