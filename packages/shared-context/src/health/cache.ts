/**
 * Health-check caching. A cached result is served only while the context's
 * `version` is unchanged (any mutation invalidates at once) and it is younger
 * than the TTL (which bounds only the time-dependent parts: running bots'
 * durations and the long-execution rule).
 *
 * Everything here takes a {@link SessionCountsView} (any session view, or
 * one whose findings are counts only), not the `Context` class: the
 * class offers `healthCheck()` on top of this module, so this one must not
 * import it back.
 */
import { LRUCache } from 'lru-cache';
import type { SessionCountsView } from '../context/session-view.js';
import { ValidationError } from '../errors.js';
import type { RepoState } from '../history/repo-state.js';
import { computeHealth } from './check.js';
import type { FleetHistory } from './history.js';
import { fleetHistory } from './history.js';
import type { HealthCheckOptions } from './options.js';
import { checkHealthOptions, DEFAULT_HISTORY_WINDOW } from './options.js';
import type { FleetHealth } from './types.js';

/** Counters of a health cache. */
export interface HealthCacheStats {
  /** Checks answered from the cache. */
  readonly hits: number;
  /** Checks that computed a fresh result. */
  readonly misses: number;
  /** Cached results dropped because the context changed. */
  readonly invalidations: number;
  /** Age of the cached result in ms, or null when nothing is cached. */
  readonly ageMs: number | null;
}

interface Entry {
  readonly version: number;
  readonly at: number;
  readonly history: RepoState | undefined;
  readonly window: number;
  readonly result: FleetHealth;
}

// Parsing history is O(sessions); do it once per stored state object.
const historyCache = new WeakMap<RepoState, Map<string, FleetHistory>>();

function historyFor(state: RepoState, window: number, sessionId: string): FleetHistory {
  let byKey = historyCache.get(state);
  if (byKey === undefined) historyCache.set(state, (byKey = new Map()));
  const key = `${window}\u0000${sessionId}`;
  let h = byKey.get(key);
  if (h === undefined) byKey.set(key, (h = fleetHistory(state, window, sessionId)));
  return h;
}

/** Computes a fresh health result for a context (no cache). */
export function checkHealthNow(ctx: SessionCountsView, options: HealthCheckOptions = {}): FleetHealth {
  const bots = [];
  for (const info of ctx.bots()) bots.push({ info, execution: ctx.execution(info.id)! });
  const window = options.window ?? DEFAULT_HISTORY_WINDOW;
  return computeHealth({
    now: ctx.now(),
    sessionDurationMs: ctx.elapsedMs(),
    bots,
    totalFindings: ctx.findings.size,
    errorFindings: ctx.findings.countBySeverity().error,
    history: options.history === undefined ? undefined : historyFor(options.history, window, ctx.sessionId),
  });
}

/** The one-entry cache kept per session for its own health checks; see {@link sessionHealthCache}. */
export class ContextHealthCache {
  #entry: Entry | undefined;
  #hits = 0;
  #misses = 0;
  #invalidations = 0;

  /** The context's health, from cache when still valid. */
  check(ctx: SessionCountsView, options?: HealthCheckOptions): FleetHealth {
    if (options !== undefined) checkHealthOptions(options);
    const now = ctx.now();
    const version = ctx.version;
    const window = options?.window ?? DEFAULT_HISTORY_WINDOW;
    const e = this.#entry;
    if (e !== undefined && e.version !== version) {
      this.#invalidations++;
      this.#entry = undefined;
    } else if (
      e !== undefined &&
      options?.cache !== false &&
      ctx.healthTtlMs > 0 &&
      now - e.at < ctx.healthTtlMs &&
      e.history === options?.history &&
      e.window === window
    ) {
      this.#hits++;
      return e.result;
    }
    this.#misses++;
    const result = checkHealthNow(ctx, options);
    this.#entry = ctx.healthTtlMs > 0 ? { version, at: now, history: options?.history, window, result } : undefined;
    return result;
  }

  /** Hits, misses, invalidations and the age of the cached entry. */
  stats(now: number): HealthCacheStats {
    return { hits: this.#hits, misses: this.#misses, invalidations: this.#invalidations, ageMs: this.#entry === undefined ? null : now - this.#entry.at };
  }
}

// One cache per session object, whoever asks: `ctx.healthCheck()`, a report
// and a monitor of the same session share hits and stats, as they did when
// the cache was a field of Context. Weak, so a session's cache goes with it.
const sessionCaches = new WeakMap<SessionCountsView, ContextHealthCache>();

/**
 * The health cache of a session, made on first use. `Context` keeps the
 * returned cache in a field, so its own `healthCheck()` pays this lookup once.
 */
export function sessionHealthCache(session: SessionCountsView): ContextHealthCache {
  let cache = sessionCaches.get(session);
  if (cache === undefined) sessionCaches.set(session, (cache = new ContextHealthCache()));
  return cache;
}

/** The session's health through its own cache: what `ctx.healthCheck(options)` returns. */
export function sessionHealth(session: SessionCountsView, options?: HealthCheckOptions): FleetHealth {
  return sessionHealthCache(session).check(session, options);
}

/** Options of a {@link HealthCacheRegistry}. */
export interface HealthCacheRegistryOptions {
  /** Most contexts kept. @default 1000 */
  readonly max?: number;
  /** Longest a result is served, ms (it is dropped sooner when its context changes). @default 5000 */
  readonly ttlMs?: number;
}

/**
 * A bounded health cache over many contexts (a dashboard's), keyed by session
 * id: least recently used entries beyond `max` are evicted, entries expire
 * after `ttlMs`, and a context's change invalidates its entry at once.
 */
export class HealthCacheRegistry {
  readonly #lru: LRUCache<string, { version: number; at: number; result: FleetHealth }>;
  readonly #ttl: number;
  #hits = 0;
  #misses = 0;
  #invalidations = 0;

  constructor(options: HealthCacheRegistryOptions = {}) {
    const max = options.max ?? 1000;
    const ttl = options.ttlMs ?? 5000;
    if (!Number.isInteger(max) || max < 1) throw new ValidationError([{ code: 'too_small', path: ['max'], message: 'must be an integer ≥ 1' }], 'HealthCacheRegistry');
    if (!Number.isFinite(ttl) || ttl <= 0) throw new ValidationError([{ code: 'too_small', path: ['ttlMs'], message: 'must be a number > 0' }], 'HealthCacheRegistry');
    // Age is measured on each context's own clock (like the per-context cache),
    // so the LRU only bounds the number of entries.
    this.#lru = new LRUCache({ max });
    this.#ttl = ttl;
  }

  /** The health of `ctx`, from cache when its version is unchanged and the entry is fresh. */
  get(ctx: SessionCountsView, options?: HealthCheckOptions): FleetHealth {
    const key = ctx.sessionId;
    const now = ctx.now();
    const hit = this.#lru.get(key);
    if (hit !== undefined && options?.history === undefined) {
      if (hit.version !== ctx.version) this.#invalidations++;
      else if (now - hit.at < this.#ttl) {
        this.#hits++;
        return hit.result;
      }
    }
    this.#misses++;
    const result = checkHealthNow(ctx, options);
    if (options?.history === undefined) this.#lru.set(key, { version: ctx.version, at: now, result });
    return result;
  }

  /** Forgets one session's entry. */
  delete(sessionId: string): void {
    this.#lru.delete(sessionId);
  }

  /** Entries held now. */
  get size(): number {
    return this.#lru.size;
  }

  /** Hits, misses and invalidations so far. */
  stats(): Omit<HealthCacheStats, 'ageMs'> {
    return { hits: this.#hits, misses: this.#misses, invalidations: this.#invalidations };
  }
}
