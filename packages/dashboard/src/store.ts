/**
 * SessionStore: the dashboard's view of a ContextStorage directory. Sessions
 * are loaded on demand and kept (bounded LRU); a session file changed by
 * someone else (a CLI run, another process) is noticed — by a directory
 * watcher, and by a throttled stat on access — and reloaded without a restart.
 * Writes go through memory first (validated, all or nothing) and are
 * acknowledged only after a group-committed save reached the disk.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import { Context, ContextStorage, updateRepoState } from '@fleetkit/shared-context';
import type { ContextEvent, FleetHealth, RepoState } from '@fleetkit/shared-context';
import { GroupCommit } from './group-commit.js';

/** What the store tells listeners. `loaded` means a new Context object now stands for the session. */
export type StoreEvent =
  | { readonly type: 'loaded'; readonly sessionId: string; readonly ctx: Context }
  | { readonly type: 'changed'; readonly sessionId: string; readonly ctx: Context; readonly event: ContextEvent };

interface Stamp {
  readonly ino: number;
  readonly mtimeMs: number;
  readonly size: number;
}

interface Entry {
  readonly ctx: Context;
  readonly path: string;
  stamp: Stamp | undefined;
  checkedAt: number;
  readonly commit: GroupCommit;
  readonly unsubscribe: () => void;
}

const sameStamp = (a: Stamp | undefined, b: Stamp | undefined): boolean =>
  a !== undefined && b !== undefined && a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size;

async function stampOf(path: string): Promise<Stamp | undefined> {
  const st = await stat(path).catch(() => undefined);
  return st === undefined ? undefined : { ino: st.ino, mtimeMs: st.mtimeMs, size: st.size };
}

/** Options of a {@link SessionStore}. */
export interface SessionStoreOptions {
  readonly maxCached: number;
  readonly healthTtlMs: number;
  /** Minimum time between two stat checks of one session on access, ms. @default 250 */
  readonly recheckMs?: number;
}

/** Sessions of a storage directory, loaded, cached, watched and persisted. */
export class SessionStore {
  readonly storage: ContextStorage;
  readonly #cache: LRUCache<string, Entry>;
  readonly #loading = new Map<string, Promise<Entry>>();
  readonly #history = new Map<string, { stamp: Stamp | undefined; state: RepoState | undefined }>();
  readonly #listeners = new Set<(e: StoreEvent) => void>();
  readonly #recheckMs: number;
  readonly #healthTtlMs: number;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #watcher: FSWatcher | undefined;
  #healthHits = 0;
  #healthMisses = 0;

  constructor(dir: string, options: SessionStoreOptions) {
    this.storage = new ContextStorage(dir, { context: { healthTtlMs: options.healthTtlMs } });
    this.#recheckMs = options.recheckMs ?? 250;
    this.#healthTtlMs = options.healthTtlMs;
    this.#cache = new LRUCache<string, Entry>({ max: options.maxCached, dispose: (e) => e.unsubscribe() });
  }

  /** Creates the directory and starts watching it. */
  async start(): Promise<void> {
    await mkdir(this.storage.dir, { recursive: true });
    try {
      this.#watcher = watch(this.storage.dir, { recursive: true }, (_type, name) => {
        if (typeof name === 'string') this.#fileChanged(name);
      });
      this.#watcher.on('error', () => this.#stopWatching());
    } catch {
      // No recursive watch on this platform: changes are still seen by the stat on access.
      this.#watcher = undefined;
    }
  }

  /** Stops watching and drops every loaded session. */
  close(): void {
    this.#stopWatching();
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    this.#cache.clear();
  }

  /** Listens to session loads and changes; returns a function that stops. */
  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Loaded sessions (for metrics), most recently used first. */
  loaded(): IterableIterator<Context> {
    const it = this.#cache.values();
    return (function* () {
      for (const e of it) yield e.ctx;
    })();
  }

  /** Health-cache hits and misses of health answers given by the store. */
  healthCacheCounts(): { hits: number; misses: number } {
    return { hits: this.#healthHits, misses: this.#healthMisses };
  }

  /** The session, loaded or from memory; throws {@link NotFoundError}. */
  async get(sessionId: string): Promise<Context> {
    return (await this.#entry(sessionId)).ctx;
  }

  /** Creates and persists a session, registering `bots`. */
  async create(repoName: string, repoPath: string, bots: readonly string[] = []): Promise<Context> {
    const ctx = new Context(repoName, repoPath, { healthTtlMs: this.#healthTtlMs });
    for (const b of bots) ctx.registerBot(b);
    const path = await this.storage.saveContext(ctx);
    this.#adopt(ctx.sessionId, ctx, path, await stampOf(path));
    return ctx;
  }

  /**
   * Applies `change` to the session in memory (it must validate everything
   * before changing anything) and resolves once the change is on disk. If
   * the save fails, the session is dropped from memory so the disk stays the truth.
   */
  async mutate<T>(sessionId: string, change: (ctx: Context) => T): Promise<T> {
    const entry = await this.#entry(sessionId);
    const before = entry.ctx.version;
    const result = change(entry.ctx);
    if (entry.ctx.version === before) return result;
    try {
      await entry.commit.request();
    } catch (err) {
      if (this.#cache.get(sessionId) === entry) this.#cache.delete(sessionId);
      throw err;
    }
    return result;
  }

  /** Completes a session (persisted like any change) and folds it into its repository's history. */
  async complete(sessionId: string): Promise<Context> {
    const ctx = await this.mutate(sessionId, (c) => {
      c.completeSession();
      return c;
    });
    await this.storage.saveRepoState(updateRepoState(await this.storage.loadRepoState(ctx.repoName), ctx));
    this.#history.delete(ctx.repoName);
    return ctx;
  }

  /** A repository's stored state (cached while its file is unchanged). */
  async history(repoName: string): Promise<RepoState | undefined> {
    const stamp = await stampOf(this.storage.repoStateFile(repoName));
    const hit = this.#history.get(repoName);
    if (hit !== undefined && (hit.stamp === stamp || sameStamp(hit.stamp, stamp))) return hit.state;
    const state = stamp === undefined ? undefined : await this.storage.loadRepoState(repoName);
    this.#history.set(repoName, { stamp, state });
    return state;
  }

  /** The repository state last read by {@link history}, without touching the disk. */
  cachedHistory(repoName: string): RepoState | undefined {
    return this.#history.get(repoName)?.state;
  }

  /** The session's health with its repository's history, from the context's TTL cache. */
  async health(sessionId: string): Promise<{ ctx: Context; health: FleetHealth }> {
    const ctx = await this.get(sessionId);
    const history = await this.history(ctx.repoName);
    return { ctx, health: this.healthOf(ctx, history) };
  }

  /** Health of a loaded context (counts cache hits and misses for metrics). */
  healthOf(ctx: Context, history: RepoState | undefined): FleetHealth {
    const before = ctx.healthCacheStats().hits;
    const health = ctx.healthCheck(history === undefined ? undefined : { history });
    if (ctx.healthCacheStats().hits > before) this.#healthHits++;
    else this.#healthMisses++;
    return health;
  }

  async #entry(sessionId: string): Promise<Entry> {
    const hit = this.#cache.get(sessionId);
    if (hit !== undefined) {
      const now = Date.now();
      // The watcher reports changes at once; the stat on access is the safety net (watchers can miss events).
      const every = this.#watcher === undefined ? this.#recheckMs : this.#recheckMs * 8;
      if (now - hit.checkedAt < every || hit.commit.busy) return hit;
      hit.checkedAt = now;
      const stamp = await stampOf(hit.path);
      if (sameStamp(stamp, hit.stamp) || this.#cache.get(sessionId) !== hit) return this.#cache.get(sessionId) ?? hit;
      return this.#load(sessionId);
    }
    return this.#load(sessionId);
  }

  #load(sessionId: string): Promise<Entry> {
    let p = this.#loading.get(sessionId);
    if (p === undefined) {
      p = (async () => {
        const started = Date.now();
        const { ctx, path } = await this.storage.loadSession(sessionId);
        const stamp = await stampOf(path);
        // A file written while it was being read may be newer than what was read:
        // keep no stamp then, so the next check loads it again.
        return this.#adopt(sessionId, ctx, path, stamp !== undefined && stamp.mtimeMs < started ? stamp : undefined);
      })().finally(() => this.#loading.delete(sessionId));
      this.#loading.set(sessionId, p);
    }
    return p;
  }

  #adopt(sessionId: string, ctx: Context, path: string, stamp: Stamp | undefined): Entry {
    const unsubscribe = ctx.subscribe((event) => this.#emit({ type: 'changed', sessionId, ctx, event }));
    const entry: Entry = {
      ctx,
      path,
      stamp,
      checkedAt: Date.now(),
      unsubscribe,
      commit: new GroupCommit(async () => {
        await this.storage.saveContext(ctx);
        entry.stamp = await stampOf(path);
      }),
    };
    this.#cache.set(sessionId, entry);
    this.#emit({ type: 'loaded', sessionId, ctx });
    return entry;
  }

  #fileChanged(name: string): void {
    if (!name.endsWith('.json')) return;
    if (name.startsWith('repos')) return; // history is re-stat'ed on access
    const path = join(this.storage.dir, name);
    let changed: string | undefined;
    for (const [id, e] of this.#cache.entries()) if (e.path === path) changed = id;
    if (changed === undefined) return; // not loaded: read fresh on first access
    const id = changed;
    clearTimeout(this.#timers.get(id));
    this.#timers.set(
      id,
      setTimeout(() => {
        this.#timers.delete(id);
        void this.#recheck(id);
      }, 25),
    );
  }

  async #recheck(sessionId: string): Promise<void> {
    const e = this.#cache.peek(sessionId);
    if (e === undefined || e.commit.busy) return;
    const stamp = await stampOf(e.path);
    if (stamp === undefined) {
      this.#cache.delete(sessionId);
      return;
    }
    if (sameStamp(stamp, e.stamp)) return;
    // A foreign write: the file is the truth. A file that does not load is left for the next access to report.
    await this.#load(sessionId).catch(() => this.#cache.delete(sessionId));
  }

  #emit(e: StoreEvent): void {
    for (const l of this.#listeners) l(e);
  }

  #stopWatching(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}
