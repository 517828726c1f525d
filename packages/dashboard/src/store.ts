/**
 * SessionStore: the dashboard's view of a SessionStorage (a directory, or a
 * PostgreSQL database shared by several replicas). Sessions are loaded on
 * demand and kept (bounded LRU) for health, status, reports and live
 * updates, and kept current by the storage's change feed: appended findings
 * are fetched by sequence number and added, a fixed finding is marked, a
 * lifecycle change is taken into the session held (`syncState`, no findings
 * read), anything else reloads the session. Writes go to the storage
 * first (validated, atomic) and are acknowledged once stored and applied here,
 * so a client reads its own writes from this replica at once.
 */
import { LRUCache } from 'lru-cache';
import { Context, NotFoundError, checkFindingQuery, foldedInto, pageOfFindings } from '@fleetkit/shared-context';
import type {
  AppendResult,
  ContextEvent,
  FindingFilters,
  FindingInput,
  FindingPageRequest,
  FleetHealth,
  RepoState,
  SessionStorage,
  StorageEvent,
  StoredFindingPage,
} from '@fleetkit/shared-context';
import { OwnAppends } from './own-appends.js';

/**
 * What the store tells listeners. `loaded`: a new Context object now stands
 * for the session (`reset`: changes may have been missed, so clients should
 * start again from a snapshot); `changed`: the loaded Context changed;
 * `deleted`: the session is no longer stored (whoever deleted it).
 */
export type StoreEvent =
  | { readonly type: 'loaded'; readonly sessionId: string; readonly ctx: Context; readonly reset: boolean }
  | { readonly type: 'changed'; readonly sessionId: string; readonly ctx: Context; readonly event: ContextEvent }
  | { readonly type: 'deleted'; readonly sessionId: string };

interface Entry {
  ctx: Context;
  unsubscribe: () => void;
  /** Changes applied one after the other (a fetch of new findings must not race another). */
  queue: Promise<void>;
  /**
   * A change could not be applied (the storage unavailable): the copy held is
   * behind by an unknown amount and is read whole, with a reset, before it is
   * used again. It stays loaded meanwhile, so live clients are not stranded.
   */
  stale: boolean;
  /** The next attempt to read a stale copy again. */
  retry: NodeJS.Timeout | undefined;
  /** The wait before the next attempt, ms: doubles while attempts fail. */
  retryMs: number;
}

/** Options of a {@link SessionStore}. */
export interface SessionStoreOptions {
  readonly maxCached: number;
  readonly healthTtlMs: number;
  /** How long a repository's history is reused before it is read again, ms. @default 1000 */
  readonly historyTtlMs?: number;
}

// Findings fetched per query when catching up with a session.
const SYNC_PAGE = 10_000;
// How soon a stale copy is read again when nothing else asks for it, ms: the first wait, doubling to the last.
const STALE_RETRY_MS = 1000;
const STALE_RETRY_MAX_MS = 30_000;

/** Sessions of a storage, loaded, cached and kept current. */
export class SessionStore {
  readonly storage: SessionStorage;
  readonly #cache: LRUCache<string, Entry>;
  readonly #loading = new Map<string, Promise<Entry>>();
  // Sessions that changed while they were being read: read again once held.
  readonly #missed = new Set<string>();
  readonly #history = new Map<string, { at: number; state: RepoState | undefined }>();
  readonly #own = new OwnAppends();
  readonly #listeners = new Set<(e: StoreEvent) => void>();
  readonly #healthTtlMs: number;
  readonly #historyTtlMs: number;
  #stopWatching: (() => Promise<void>) | undefined;
  #healthHits = 0;
  #healthMisses = 0;

  constructor(storage: SessionStorage, options: SessionStoreOptions) {
    this.storage = storage;
    this.#healthTtlMs = options.healthTtlMs;
    this.#historyTtlMs = options.historyTtlMs ?? 1000;
    this.#cache = new LRUCache<string, Entry>({
      max: options.maxCached,
      dispose: (e) => {
        e.unsubscribe();
        clearTimeout(e.retry);
      },
    });
  }

  /** Starts following the storage's changes. */
  async start(): Promise<void> {
    this.#stopWatching = await this.storage.watch((e) => this.#changed(e));
  }

  /** Stops following changes, drops every loaded session and closes the storage. */
  async close(): Promise<void> {
    await this.#stopWatching?.().catch(() => undefined);
    this.#stopWatching = undefined;
    this.#cache.clear();
    await this.storage.close();
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

  /** The session, from memory or loaded; throws {@link NotFoundError}. */
  async get(sessionId: string): Promise<Context> {
    return (await this.#entry(sessionId)).ctx;
  }

  /** Creates and stores a session, registering `bots`. */
  async create(repoName: string, repoPath: string, bots: readonly string[] = []): Promise<Context> {
    const ctx = new Context(repoName, repoPath, { healthTtlMs: this.#healthTtlMs });
    for (const b of bots) ctx.registerBot(b);
    await this.storage.saveSession(ctx);
    this.#adopt(ctx.sessionId, ctx, false);
    return ctx;
  }

  /**
   * Applies a lifecycle change (bots, executions, shared data, completion) in
   * the storage, then here. `change` must validate before it changes anything.
   */
  async mutate<T>(sessionId: string, change: (ctx: Context) => T): Promise<T> {
    const result = await this.storage.updateSession(sessionId, change);
    await this.#applyStored(sessionId, (e) => this.#restate(sessionId, e));
    return result;
  }

  /**
   * Appends a batch of findings (all or nothing, idempotent under a key),
   * stored and then applied here. The findings the storage hands back are
   * added as they are when they come next in the session held; otherwise
   * (another append came first, a replay, a storage that hands none back)
   * what is new is read from the storage.
   */
  async appendFindings(sessionId: string, findings: readonly FindingInput[], idempotencyKey?: string): Promise<AppendResult> {
    this.#own.begin(sessionId);
    try {
      const r = await this.storage.appendFindings(sessionId, findings, idempotencyKey === undefined ? {} : { idempotencyKey });
      await this.#applyStored(sessionId, async (e) => {
        if (r.findings !== undefined && r.findings.length > 0 && e.ctx.findings.size === r.firstSeq - 1) e.ctx.addFindings(r.findings);
        // Whatever is stored up to this batch, or announced meanwhile (another replica's), and not held yet.
        await this.#catchUpTo(sessionId, e, Math.max(r.lastSeq, this.#own.announced(sessionId, e.ctx.findings.size)));
      });
      return { added: r.added, firstSeq: r.firstSeq, lastSeq: r.lastSeq, replayed: r.replayed };
    } finally {
      const announced = this.#own.end(sessionId);
      if (announced !== undefined) void this.#apply(sessionId, (e) => this.#catchUpTo(sessionId, e, announced)).catch(() => undefined);
    }
  }

  /** Marks a finding fixed, in the storage and here. */
  async markFixed(sessionId: string, findingId: string): Promise<boolean> {
    const changed = await this.storage.markFixed(sessionId, findingId);
    await this.#applyStored(sessionId, async (e) => this.#fixHere(sessionId, e, findingId));
    return changed;
  }

  /**
   * Completes a session and folds it into its repository's history. The two
   * are separate writes: a session completed whose history write failed (the
   * caller was told so) is folded in when completion is asked again, and only
   * then; completing a session already in its history is an invalid
   * transition, as before.
   */
  async complete(sessionId: string): Promise<Context> {
    const held = await this.get(sessionId);
    const state0 = held.completedAt === null ? undefined : await this.storage.loadRepoState(held.repoName);
    if (held.completedAt === null || (state0 !== undefined && foldedInto(state0, held))) {
      await this.mutate(sessionId, (c) => c.completeSession());
    }
    const ctx = await this.get(sessionId);
    const state = await this.storage.addToHistory(ctx, { once: true });
    this.#history.set(ctx.repoName, { at: Date.now(), state });
    return ctx;
  }

  /**
   * One page of a session's findings, filtered by the storage (in SQL for a
   * database). A storage whose queries run in memory anyway (files) is spared
   * a second copy of the session: the one held here answers, the same way.
   */
  async queryFindings(sessionId: string, filters: FindingFilters, page: FindingPageRequest): Promise<StoredFindingPage> {
    if (this.storage.queriesInMemory) {
      const q = checkFindingQuery(filters, page);
      return pageOfFindings(await this.get(sessionId), q.filters, q.page);
    }
    return this.storage.queryFindings(sessionId, filters, page);
  }

  /** A repository's stored state (reused for a second: it changes when a session completes). */
  async history(repoName: string): Promise<RepoState | undefined> {
    const hit = this.#history.get(repoName);
    if (hit !== undefined && Date.now() - hit.at < this.#historyTtlMs) return hit.state;
    const state = await this.storage.loadRepoState(repoName);
    this.#history.set(repoName, { at: Date.now(), state });
    return state;
  }

  /** The repository state last read by {@link history}, without reading the storage. */
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

  // ── keeping loaded sessions current ──────────────────────────────────────

  #changed(e: StorageEvent): void {
    if (e.kind === 'resync') {
      for (const id of [...this.#cache.keys()]) void this.#apply(id, (entry) => this.#reload(id, entry, true)).catch(() => undefined);
      // Sessions being read now may have been read before what was missed.
      for (const id of this.#loading.keys()) this.#missed.add(id);
      return;
    }
    const id = e.sessionId;
    // Told whether or not it is loaded here: live clients may watch it all the same.
    if (e.kind === 'deleted') {
      // Being read now: read again once held (it would hold a session no longer stored).
      if (this.#loading.has(id)) this.#missed.add(id);
      // Confirmed before clients are told: a file watcher reports a file it could not stat, for whatever reason, as gone.
      void this.storage
        .hasSession(id)
        .then((has) => (has ? this.#apply(id, (entry) => this.#reload(id, entry, true)) : this.#gone(id)))
        .catch(() => undefined);
      return;
    }
    if (!this.#cache.has(id)) {
      // Not loaded: read fresh on first use; being read: possibly read before this change.
      if (this.#loading.has(id)) this.#missed.add(id);
      return;
    }
    if (e.kind === 'findings' && e.toSeq !== undefined && this.#own.defer(id, e.toSeq)) return;
    const work =
      e.kind === 'findings'
        ? (entry: Entry) => this.#catchUp(id, entry)
        : e.kind === 'fixed' && e.findingId !== undefined
          ? async (entry: Entry) => this.#fixHere(id, entry, e.findingId!)
          : e.kind === 'session'
            ? (entry: Entry) => this.#restate(id, entry)
            : (entry: Entry) => this.#reload(id, entry, false);
    // A change that cannot be applied (the storage unavailable now) leaves the copy stale, to be read again (#apply).
    void this.#apply(id, work).catch(() => undefined);
  }

  /**
   * Applies here a change the storage has stored. It is stored whatever
   * happens now, so a failure here (the database gone right after the commit)
   * is not the caller's: the copy held turns stale and is read again.
   */
  async #applyStored(sessionId: string, work: (e: Entry) => Promise<void>): Promise<void> {
    await this.#apply(sessionId, work).catch(() => undefined);
  }

  /**
   * Runs `work` on the loaded session after what is queued for it; nothing
   * when it is not loaded. A stale copy is read again whole instead (which
   * takes in whatever `work` would have). When that fails, the copy is (or
   * stays) stale and another attempt is scheduled.
   */
  async #apply(sessionId: string, work: (e: Entry) => Promise<void>): Promise<void> {
    const entry = this.#cache.peek(sessionId);
    if (entry === undefined) return;
    const run = entry.queue.then(() => {
      if (this.#cache.peek(sessionId) !== entry) return undefined;
      return entry.stale ? this.#reload(sessionId, entry, true) : work(entry);
    });
    entry.queue = run.catch(() => undefined);
    try {
      await run;
    } catch (err) {
      if (this.#cache.peek(sessionId) === entry) this.#turnStale(sessionId, entry);
      throw err;
    }
  }

  #turnStale(sessionId: string, entry: Entry): void {
    entry.stale = true;
    if (entry.retry !== undefined) return;
    const wait = entry.retryMs;
    // A storage that stays away is asked less and less often (every cached session retries on its own).
    entry.retryMs = Math.min(wait * 2, STALE_RETRY_MAX_MS);
    entry.retry = setTimeout(() => {
      entry.retry = undefined;
      if (entry.stale) void this.#apply(sessionId, async () => undefined).catch(() => undefined);
    }, wait);
    entry.retry.unref();
  }

  /** Adds the findings stored after the ones held, when fewer than `seq` are held (no query otherwise). */
  async #catchUpTo(sessionId: string, e: Entry, seq: number): Promise<void> {
    if (e.ctx.findings.size < seq) await this.#catchUp(sessionId, e);
  }

  /** Adds the findings stored after the ones held. */
  async #catchUp(sessionId: string, e: Entry): Promise<void> {
    for (;;) {
      const held = e.ctx.findings.size;
      // From the storage itself (never from the copy held here): this is how the copy learns what is new.
      const page = await this.storage.queryFindings(sessionId, {}, { afterSeq: held, limit: SYNC_PAGE });
      if (page.items.length === 0) return;
      // Sequence numbers are positions: a gap means this copy is not what is stored, so read it whole.
      if (page.seqs[0] !== held + 1) {
        await this.#reload(sessionId, e, false);
        return;
      }
      e.ctx.addFindings(page.items);
      if (!page.more) return;
    }
  }

  async #fixHere(sessionId: string, e: Entry, findingId: string): Promise<void> {
    try {
      e.ctx.markFixed(findingId);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      // Not held yet: the findings that hold it are still to come.
      await this.#catchUp(sessionId, e);
      if (e.ctx.findings.has(findingId)) e.ctx.markFixed(findingId);
    }
  }

  /** Takes the stored bots, executions, data and completion into the session held (no findings are read). */
  async #restate(sessionId: string, e: Entry): Promise<void> {
    e.ctx.syncState(await this.storage.loadSession(sessionId, { findings: false }));
    await this.#catchUp(sessionId, e);
  }

  async #reload(sessionId: string, e: Entry, reset: boolean): Promise<void> {
    try {
      this.#replace(sessionId, e, await this.storage.loadSession(sessionId), reset);
    } catch (err) {
      if (err instanceof NotFoundError) this.#gone(sessionId);
      else throw err;
    }
  }

  #replace(sessionId: string, e: Entry, ctx: Context, reset: boolean): void {
    e.unsubscribe();
    e.ctx = ctx;
    e.stale = false;
    e.retryMs = STALE_RETRY_MS;
    e.unsubscribe = ctx.subscribe((event) => this.#emit({ type: 'changed', sessionId, ctx, event }));
    this.#emit({ type: 'loaded', sessionId, ctx, reset });
  }

  // ── loading ─────────────────────────────────────────────────────────────

  async #entry(sessionId: string): Promise<Entry> {
    const hit = this.#cache.get(sessionId);
    if (hit !== undefined) {
      await hit.queue;
      const now = this.#cache.get(sessionId);
      if (now === undefined) return this.#load(sessionId);
      // Throws (the storage still unavailable) rather than answer from a copy known to be behind.
      if (!now.stale) return now;
      await this.#apply(sessionId, async () => undefined);
      return this.#cache.get(sessionId) ?? this.#load(sessionId);
    }
    return this.#load(sessionId);
  }

  #load(sessionId: string): Promise<Entry> {
    let p = this.#loading.get(sessionId);
    if (p === undefined) {
      p = (async () => {
        this.#missed.delete(sessionId);
        const entry = this.#adopt(sessionId, await this.storage.loadSession(sessionId), false);
        if (this.#missed.delete(sessionId)) void this.#apply(sessionId, (e) => this.#reload(sessionId, e, false)).catch(() => undefined);
        return entry;
      })().finally(() => this.#loading.delete(sessionId));
      this.#loading.set(sessionId, p);
    }
    return p;
  }

  #adopt(sessionId: string, ctx: Context, reset: boolean): Entry {
    const entry: Entry = { ctx, unsubscribe: () => undefined, queue: Promise.resolve(), stale: false, retry: undefined, retryMs: STALE_RETRY_MS };
    entry.unsubscribe = ctx.subscribe((event) => this.#emit({ type: 'changed', sessionId, ctx: entry.ctx, event }));
    this.#cache.set(sessionId, entry);
    this.#emit({ type: 'loaded', sessionId, ctx, reset });
    // Changes stored while it was read are fetched now (a notice for them may have come before it was held).
    void this.#apply(sessionId, (e) => this.#catchUp(sessionId, e)).catch(() => undefined);
    return entry;
  }

  #gone(sessionId: string): void {
    this.#cache.delete(sessionId);
    this.#emit({ type: 'deleted', sessionId });
  }

  #emit(e: StoreEvent): void {
    for (const l of this.#listeners) l(e);
  }
}
