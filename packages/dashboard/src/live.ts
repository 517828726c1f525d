/**
 * Live updates over server-sent events. Why SSE rather than WebSocket: the
 * stream is one-way (server → page), SSE is plain HTTP (same auth, CSP
 * `connect-src 'self'`, proxies and the security headers apply unchanged),
 * browsers reconnect by themselves, and a Node client needs only `fetch`.
 *
 * Changes of a session are coalesced: the first change opens a window
 * (≤ 100 ms), and at its end one delta — computed once, serialized once — is
 * written to every client of the session. A client whose unsent bytes exceed
 * the buffer cap is dropped (it reconnects and gets a fresh snapshot) so a
 * slow reader can never grow the server's memory.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeldSession } from './counted-session.js';
import { HttpError } from './errors.js';
import type { LiveState } from './live-state.js';
import { liveDelta, liveStateOf } from './live-state.js';
import { setSecurityHeaders } from './security.js';
import type { SessionStore, StoreEvent } from './store.js';

/** Options of a {@link LiveHub}. */
export interface LiveHubOptions {
  readonly maxClients: number;
  readonly bufferBytes: number;
  readonly windowMs: number;
  readonly heartbeatMs: number;
}

interface Channel {
  ctx: HeldSession;
  readonly clients: Set<ServerResponse>;
  last: LiveState | undefined;
  timer: NodeJS.Timeout | undefined;
  flushing: boolean;
  again: boolean;
}

/** Live clients of every session. */
export class LiveHub {
  readonly #store: SessionStore;
  readonly #o: LiveHubOptions;
  readonly #channels = new Map<string, Channel>();
  readonly #unsubscribe: () => void;
  readonly #heartbeat: NodeJS.Timeout;
  #clients = 0;
  #dropped = 0;
  #seq = 0;

  constructor(store: SessionStore, options: LiveHubOptions) {
    this.#store = store;
    this.#o = options;
    this.#unsubscribe = store.subscribe((e) => this.#onStore(e));
    this.#heartbeat = setInterval(() => this.#beat(), options.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Connected live clients. */
  get clients(): number {
    return this.#clients;
  }

  /** Clients dropped for being too slow, since start. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Refuses politely when at capacity (503 with Retry-After). */
  admit(): void {
    if (this.#clients >= this.#o.maxClients) {
      throw new HttpError(503, 'FK_HTTP_TOO_MANY_CLIENTS', `the dashboard already serves ${this.#o.maxClients} live clients; try again later`, {
        headers: { 'Retry-After': '5' },
      });
    }
  }

  /** Takes over a request's socket as an event stream of `ctx`'s session; sends a snapshot first. */
  async connect(req: IncomingMessage, res: ServerResponse, ctx: HeldSession): Promise<void> {
    this.admit();
    const id = ctx.sessionId;
    let ch = this.#channels.get(id);
    if (ch === undefined) {
      ch = { ctx, clients: new Set(), last: undefined, timer: undefined, flushing: false, again: false };
      this.#channels.set(id, ch);
    }
    setSecurityHeaders(res);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    ch.clients.add(res);
    this.#clients++;
    const channel = ch;
    const gone = (): void => {
      if (channel.clients.delete(res)) this.#clients--;
      if (channel.clients.size === 0) {
        clearTimeout(channel.timer);
        // Only this channel: a session's channel is replaced when it ends (deleted).
        if (this.#channels.get(id) === channel) this.#channels.delete(id);
      }
    };
    req.on('close', gone);
    res.on('error', gone);
    const state = await this.#state(channel);
    channel.last ??= state;
    if (!res.destroyed) this.#write(channel, res, `retry: 2000\nid: ${++this.#seq}\nevent: snapshot\ndata: ${JSON.stringify(state)}\n\n`);
  }

  /** Ends every stream (on shutdown). */
  close(): void {
    this.#unsubscribe();
    clearInterval(this.#heartbeat);
    for (const ch of this.#channels.values()) {
      clearTimeout(ch.timer);
      for (const res of ch.clients) res.end();
    }
    this.#channels.clear();
    this.#clients = 0;
  }

  #onStore(e: StoreEvent): void {
    const ch = this.#channels.get(e.sessionId);
    if (ch === undefined) return;
    if (e.type === 'deleted') {
      this.#ended(e.sessionId, ch);
      return;
    }
    ch.ctx = e.ctx;
    if (e.type === 'loaded' && e.reset) {
      void this.#resnapshot(ch);
      return;
    }
    this.#schedule(ch);
  }

  /**
   * The session was deleted: its clients are told (`deleted`, so a page stops
   * rather than reconnect to a 404) and their streams end.
   */
  #ended(sessionId: string, ch: Channel): void {
    this.#channels.delete(sessionId);
    clearTimeout(ch.timer);
    const chunk = `id: ${++this.#seq}\nevent: deleted\ndata: ${JSON.stringify({ sessionId })}\n\n`;
    for (const res of ch.clients) {
      this.#write(ch, res, chunk);
      res.end();
    }
  }

  /** Sends every client of the channel a fresh snapshot (changes may have been missed, so no delta can be trusted). */
  async #resnapshot(ch: Channel): Promise<void> {
    try {
      const state = await this.#state(ch);
      ch.last = state;
      const chunk = `id: ${++this.#seq}\nevent: snapshot\ndata: ${JSON.stringify(state)}\n\n`;
      for (const res of ch.clients) this.#write(ch, res, chunk);
    } catch {
      // The session cannot be read now; clients keep their last state until the next change.
    }
  }

  #schedule(ch: Channel): void {
    if (ch.flushing) {
      ch.again = true;
      return;
    }
    ch.timer ??= setTimeout(() => void this.#flush(ch), this.#o.windowMs);
  }

  async #flush(ch: Channel): Promise<void> {
    ch.timer = undefined;
    ch.flushing = true;
    try {
      const next = await this.#state(ch);
      const delta = ch.last === undefined ? undefined : liveDelta(ch.last, next);
      ch.last = next;
      if (delta !== undefined) {
        const chunk = `id: ${++this.#seq}\nevent: update\ndata: ${JSON.stringify(delta)}\n\n`;
        for (const res of ch.clients) this.#write(ch, res, chunk);
      }
    } catch {
      // The session could not be read (e.g. its file was removed); clients keep their last state.
    } finally {
      ch.flushing = false;
      if (ch.again) {
        ch.again = false;
        this.#schedule(ch);
      }
    }
  }

  async #state(ch: Channel): Promise<LiveState> {
    const history = await this.#store.history(ch.ctx.repoName);
    return liveStateOf(ch.ctx, this.#store.healthOf(ch.ctx, history));
  }

  #write(ch: Channel, res: ServerResponse, chunk: string): void {
    if (res.destroyed || res.writableEnded) return;
    res.write(chunk);
    if (res.writableLength > this.#o.bufferBytes) {
      this.#dropped++;
      if (ch.clients.delete(res)) this.#clients--;
      res.destroy();
    }
  }

  #beat(): void {
    for (const ch of this.#channels.values()) for (const res of ch.clients) this.#write(ch, res, ': heartbeat\n\n');
  }
}
