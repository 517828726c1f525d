/** A raw SSE reader over node:http, for tests that need the wire (and for slow clients). */
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { SseParser } from '../../src/sse.js';
import type { SseMessage } from '../../src/sse.js';

export interface SseStream {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly messages: SseMessage[];
  /** Raw text received (heartbeats included). */
  raw: string;
  /** Resolves with the first message (from now on, or already received after `from`) matching `pred`. */
  next(pred: (m: SseMessage) => boolean, from?: number): Promise<SseMessage>;
  close(): void;
}

export function openSse(url: string): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream' } }, (res) => {
      const waiters: Array<{ pred: (m: SseMessage) => boolean; from: number; done: (m: SseMessage) => void }> = [];
      const stream: SseStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        messages: [],
        raw: '',
        next(pred, from = 0) {
          const hit = stream.messages.slice(from).find(pred);
          if (hit !== undefined) return Promise.resolve(hit);
          return new Promise((done) => waiters.push({ pred, from, done }));
        },
        close() {
          req.destroy();
        },
      };
      const parser = new SseParser((m) => {
        stream.messages.push(m);
        for (const w of [...waiters]) {
          if (w.pred(m)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.done(m);
          }
        }
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        stream.raw += chunk;
        parser.push(chunk);
      });
      res.on('error', () => undefined);
      resolve(stream);
    });
    req.on('error', reject);
    req.end();
  });
}
