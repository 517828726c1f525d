/**
 * SessionStore: the dashboard's view of a SessionStorage (a directory, or a
 * PostgreSQL database shared by several replicas). Sessions are loaded on
 * demand and kept (bounded LRU) for health, status and live updates: whole
 * over files, as state and finding counts over a database (see
 * session-reader.ts). They are kept current by the storage's change feed:
 * appended findings are fetched (or counted) by sequence number, a fixed
 * finding is marked (or recounted), a lifecycle change is taken into the
 * session held (`syncState`, no findings read), anything else reloads the
 * session. Writes go to the storage first (validated, atomic) and are
 * acknowledged once stored and applied here, so a client reads its own
 * writes from this replica at once.
 */
import { LRUCache } from 'lru-cache';
import { Context, NotFoundError, checkFindingQuery, foldedInto, pageOfFindings } from '@fleetkit/shared-context';
import type {
  AppendResult,
  ContextEvent,
  Finding,
  FindingFilters,
  FindingInput,
  FindingPageRequest,
  FleetHealth,
  RepoState,
  SessionStorage,
  StorageEvent,
  StoredFindingPage,
} from '@fleetkit/shared-context';
import type { HeldSession } from './counted-session.js';
import { disposeEntry, markFresh, markStale, newEntry } from './held-entry.js';
import type { HeldEntry } from './held-entry.js';
import { OwnAppends } from './own-appends.js';
import { RepoHistoryCache } from './repo-history-cache.js';
import { readerFor } from './session-reader.js';
import type { SessionReader } from './session-reader.js';
import { registerSessionBots } from './session-bots.js';
import type { SessionBotInput } from './session-bots.js';

/**
 * What the store tells listeners. `loaded`: a new object now stands
 * for the session (`reset`: changes may have been missed, so clients should
 * start again from a snapshot); `changed`: the held session changed;
 * `deleted`: the session is no longer stored (whoever deleted it).
 */
export type StoreEvent =
  | { readonly type: 'loaded'; readonly sessionId: string; readonly ctx: HeldSession; readonly reset: boolean }
  | { readonly type: 'changed'; readonly sessionId: string; readonly ctx: HeldSession; readonly event: ContextEvent }
  | { readonly type: 'deleted'; readonly sessionId: string };

/** Options of a {@link SessionStore}. */
export interface SessionStoreOptions {
  readonly maxCached: number;
  readonly healthTtlMs: number;
  /** How long a repository's history is reused before it is read again, ms. @default 1000 */
  readonly historyTtlMs?: number;
  /** The clock of sessions created here (give the storage's, so they agree with sessions it loads). @default Date.now */
  readonly now?: () => number;
}

/** Sessions of a storage, loaded, cached and kept current. */
export class SessionStore {
  readonly storage: SessionStorage;
  readonly #reader: SessionReader;
  readonly #cache: LRUCache<string, HeldEntry>;
  readonly #loading = new Map<string, Promise<HeldEntry>>();
  // Sessions that changed while they were being read: read again once held.
  readonly #missed = new Set<string>();
  readonly #history: RepoHistoryCache;
  readonly #own = new OwnAppends();
  readonly #wholeReads = new Map<string, { held: HeldSession; version: number; read: Promise<Context> }>();
  readonly #listeners = new Set<(e: StoreEvent) => void>();
  // A number for each copy held, for stamps (a copy read again is another copy).
  readonly #copyIds = new WeakMap<HeldSession, number>();
  #nextCopyId = 0;
  readonly #healthTtlMs: number;
  readonly #now: (() => number) | undefined;
  #stopWatching: (() => Promise<void>) | undefined;
  #healthHits = 0;
  #healthMisses = 0;

  constructor(storage: SessionStorage, options: SessionStoreOptions) {
    this.storage = storage;
    this.#reader = readerFor(storage);
    this.#healthTtlMs = options.healthTtlMs;
    this.#history = new RepoHistoryCache(storage, options.historyTtlMs ?? 1000);
    this.#now = options.now;
    this.#cache = new LRUCache<string, HeldEntry>({
      max: options.maxCached,
      dispose: disposeEntry,
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
  loaded(): IterableIterator<HeldSession> {
    const it = this.#cache.values();
    return (function* () {
      for (const e of it) yield e.ctx;
    })();
  }

  /** Health-cache hits and misses of health answers given by the store. */
  healthCacheCounts(): { hits: number; misses: number } {
    return { hits: this.#healthHits, misses: this.#healthMisses };
  }

  /**
   * The session, from memory or loaded; throws {@link NotFoundError}. Over a
   * database its findings are counts only: see {@link finding} and {@link whole}.
   */
  async get(sessionId: string): Promise<HeldSession> {
    return (await this.#entry(sessionId)).ctx;
  }

  /**
   * A token of the session as held now, or undefined when it is not held (or
   * held stale): it changes with every change taken in and whenever the
   * session is read again. An answer made from the storage under one stamp
   * may be reused while the stamp is the same (see PageCache). Never loads a
   * session: a page of one nobody holds is read from the storage as it is.
   */
  heldStamp(sessionId: string): string | undefined {
    const entry = this.#cache.peek(sessionId);
    if (entry === undefined || entry.stale) return undefined;
    const held = entry.ctx;
    let id = this.#copyIds.get(held);
    if (id === undefined) this.#copyIds.set(held, (id = ++this.#nextCopyId));
    return `${id}:${held.version}`;
  }

  /** One finding of a session by id, or undefined; throws {@link NotFoundError} for an unknown session. */
  async finding(sessionId: string, findingId: string): Promise<Finding | undefined> {
    const held = await this.get(sessionId);
    const whole = this.#reader.wholeOf(held);
    return whole !== undefined ? whole.findings.get(findingId) : this.storage.getFinding(sessionId, findingId);
  }

  /**
   * The session with all its findings (for reports and history): the one held
   * when it is held whole, else read from the storage now and not kept.
   * Callers asking while a read of the same state is under way share it, so
   * concurrent reports of a large session cost one copy, not one each.
   */
  async whole(sessionId: string): Promise<Context> {
    const held = await this.get(sessionId);
    const whole = this.#reader.wholeOf(held);
    if (whole !== undefined) return whole;
    // Shared only while the copy held is the same, at the same version: it has every write acknowledged here, so a read begun before one of them is not shared.
    const shared = this.#wholeReads.get(sessionId);
    if (shared !== undefined && shared.held === held && shared.version === held.version) return shared.read;
    const read = this.storage.loadSession(sessionId);
    const entry = { held, version: held.version, read };
    this.#wholeReads.set(sessionId, entry);
    void read.catch(() => undefined).finally(() => {
      if (this.#wholeReads.get(sessionId) === entry) this.#wholeReads.delete(sessionId);
    });
    return read;
  }

  /**
   * Creates and stores a session, registering `bots` (ids, or ids with their
   * info); a bad entry is a ValidationError naming it, and nothing is stored.
   */
  async create(repoName: string, repoPath: string, bots: readonly SessionBotInput[] = []): Promise<HeldSession> {
    const ctx = new Context(repoName, repoPath, this.#now === undefined ? { healthTtlMs: this.#healthTtlMs } : { healthTtlMs: this.#healthTtlMs, now: this.#now });
    registerSessionBots(ctx, bots);
    await this.storage.saveSession(ctx);
    return this.#adopt(ctx.sessionId, this.#reader.created(ctx), false).ctx;
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
   * stored and then applied here. The counts the storage hands back are
   * taken in as they are when they come next in the session held; otherwise
   * (another append came first, a replay, a storage that hands none back)
   * what is new is read from the storage.
   */
  appendFindings(sessionId: string, findings: readonly FindingInput[], idempotencyKey?: string): Promise<AppendResult> {
    this.#own.begin(sessionId);
    let stored: Promise<AppendResult>;
    try {
      stored = this.storage.appendFindings(sessionId, findings, idempotencyKey === undefined ? {} : { idempotencyKey });
    } catch (err) {
      stored = Promise.reject(err as Error);
    }
    // Awaited in a frame of its own, which does not hold the batch's objects while it waits for its turn.
    return this.#appended(sessionId, stored);
  }

  async #appended(sessionId: string, stored: Promise<AppendResult>): Promise<AppendResult> {
    try {
      const r = await stored;
      await this.#applyStored(sessionId, async (e) => {
        // Counts handed back and next in line: taken in as they are, not read back.
        if (r.tally !== undefined && r.added > 0 && e.ctx.findings.size === r.firstSeq - 1) this.#reader.add(e.ctx, r.tally);
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
    await this.#fixQueued(sessionId, findingId).catch(() => undefined);
    return changed;
  }

  /**
   * Completes a session and folds it into its repository's history. The two
   * are separate writes: a session completed whose history write failed (the
   * caller was told so) is folded in when completion is asked again, and only
   * then; completing a session already in its history is an invalid
   * transition, as before.
   */
  async complete(sessionId: string): Promise<HeldSession> {
    const held = await this.get(sessionId);
    const state0 = held.completedAt === null ? undefined : await this.storage.loadRepoState(held.repoName);
    if (held.completedAt === null || (state0 !== undefined && foldedInto(state0, held))) {
      await this.mutate(sessionId, (c) => c.completeSession());
    }
    // History follows findings by fingerprint, so the fold reads them all.
    const whole = await this.whole(sessionId);
    const state = await this.storage.addToHistory(whole, { once: true });
    this.#history.set(whole.repoName, state);
    return this.get(sessionId);
  }

  /**
   * One page of a session's findings, filtered by the storage (in SQL for a
   * database). A storage whose queries run in memory anyway (files) is spared
   * a second copy of the session: the one held here answers, the same way.
   */
  async queryFindings(sessionId: string, filters: FindingFilters, page: FindingPageRequest): Promise<StoredFindingPage> {
    if (this.storage.queriesInMemory) {
      const q = checkFindingQuery(filters, page);
      const held = await this.get(sessionId);
      const whole = this.#reader.wholeOf(held);
      if (whole !== undefined) return pageOfFindings(whole, q.filters, q.page);
    }
    return this.storage.queryFindings(sessionId, filters, page);
  }

  /** A repository's stored state (reused for a second: it changes when a session completes). */
  async history(repoName: string): Promise<RepoState | undefined> {
    return this.#history.get(repoName);
  }

  /** The repository state last read by {@link history}, without reading the storage. */
  cachedHistory(repoName: string): RepoState | undefined {
    return this.#history.cached(repoName);
  }

  /** The session's health with its repository's history, from the context's TTL cache. */
  async health(sessionId: string): Promise<{ ctx: HeldSession; health: FleetHealth }> {
    const ctx = await this.get(sessionId);
    const history = await this.history(ctx.repoName);
    return { ctx, health: this.healthOf(ctx, history) };
  }

  /** Health of a loaded session (counts cache hits and misses for metrics). */
  healthOf(ctx: HeldSession, history: RepoState | undefined): FleetHealth {
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
        ? (entry: HeldEntry) => this.#catchUp(id, entry)
        : e.kind === 'fixed' && e.findingId !== undefined
          ? undefined
          : e.kind === 'session'
            ? (entry: HeldEntry) => this.#restate(id, entry)
            : (entry: HeldEntry) => this.#reload(id, entry, false);
    // A change that cannot be applied (the storage unavailable now) leaves the copy stale, to be read again (#apply).
    if (work === undefined) void this.#fixQueued(id, e.findingId!).catch(() => undefined);
    else void this.#apply(id, work).catch(() => undefined);
  }

  /**
   * Takes a stored fix into the session held, with the fixes queued before it
   * that have not started yet: a run of fixes (a finisher's, each also told
   * back by its notice) costs one recount, not one each.
   */
  #fixQueued(sessionId: string, findingId: string): Promise<void> {
    const entry = this.#cache.peek(sessionId);
    if (entry === undefined) return Promise.resolve();
    if (entry.fixes !== undefined) {
      entry.fixes.ids.add(findingId);
      return entry.fixes.done;
    }
    const ids = new Set([findingId]);
    const done = this.#apply(sessionId, async (e) => {
      // Started: fixes from now on need a run of their own (this one may have read before them).
      if (e.fixes?.ids === ids) e.fixes = undefined;
      if (!(await this.#reader.fixed(sessionId, e.ctx, [...ids]))) await this.#reload(sessionId, e, false);
    });
    entry.fixes = { ids, done };
    // Not started when the copy was replaced or dropped: the next fix starts afresh.
    void done.catch(() => undefined).finally(() => {
      if (entry.fixes?.ids === ids) entry.fixes = undefined;
    });
    return done;
  }

  /**
   * Applies here a change the storage has stored. It is stored whatever
   * happens now, so a failure here (the database gone right after the commit)
   * is not the caller's: the copy held turns stale and is read again.
   */
  async #applyStored(sessionId: string, work: (e: HeldEntry) => Promise<void>): Promise<void> {
    await this.#apply(sessionId, work).catch(() => undefined);
  }

  /**
   * Runs `work` on the loaded session after what is queued for it; nothing
   * when it is not loaded. A stale copy is read again whole instead (which
   * takes in whatever `work` would have). When that fails, the copy is (or
   * stays) stale and another attempt is scheduled.
   */
  async #apply(sessionId: string, work: (e: HeldEntry) => Promise<void>): Promise<void> {
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
      if (this.#cache.peek(sessionId) === entry) markStale(entry, () => void this.#apply(sessionId, async () => undefined).catch(() => undefined));
      throw err;
    }
  }

  /** Adds the findings stored after the ones held, when fewer than `seq` are held (no query otherwise). */
  async #catchUpTo(sessionId: string, e: HeldEntry, seq: number): Promise<void> {
    if (e.ctx.findings.size < seq) await this.#catchUp(sessionId, e);
  }

  /** Adds the findings stored after the ones held; a copy that is not what is stored is read again whole. */
  async #catchUp(sessionId: string, e: HeldEntry): Promise<void> {
    if (!(await this.#reader.catchUp(sessionId, e.ctx))) await this.#reload(sessionId, e, false);
  }

  /** Takes the stored bots, executions, data and completion into the session held (no findings are read). */
  async #restate(sessionId: string, e: HeldEntry): Promise<void> {
    await this.#reader.restate(sessionId, e.ctx);
    await this.#catchUp(sessionId, e);
  }

  async #reload(sessionId: string, e: HeldEntry, reset: boolean): Promise<void> {
    try {
      this.#replace(sessionId, e, await this.#reader.read(sessionId), reset);
    } catch (err) {
      if (err instanceof NotFoundError) this.#gone(sessionId);
      else throw err;
    }
  }

  #replace(sessionId: string, e: HeldEntry, ctx: HeldSession, reset: boolean): void {
    e.unsubscribe();
    e.ctx = ctx;
    markFresh(e);
    e.unsubscribe = ctx.subscribe((event) => this.#emit({ type: 'changed', sessionId, ctx, event }));
    this.#emit({ type: 'loaded', sessionId, ctx, reset });
  }

  // ── loading ─────────────────────────────────────────────────────────────

  async #entry(sessionId: string): Promise<HeldEntry> {
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

  #load(sessionId: string): Promise<HeldEntry> {
    let p = this.#loading.get(sessionId);
    if (p === undefined) {
      p = (async () => {
        this.#missed.delete(sessionId);
        const entry = this.#adopt(sessionId, await this.#reader.read(sessionId), false);
        if (this.#missed.delete(sessionId)) void this.#apply(sessionId, (e) => this.#reload(sessionId, e, false)).catch(() => undefined);
        return entry;
      })().finally(() => this.#loading.delete(sessionId));
      this.#loading.set(sessionId, p);
    }
    return p;
  }

  #adopt(sessionId: string, ctx: HeldSession, reset: boolean): HeldEntry {
    const entry = newEntry(ctx);
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
