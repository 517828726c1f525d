/**
 * One session the store holds: the copy, the queue its changes are applied
 * in, and whether it is stale (a change could not be applied) with the
 * schedule of its next attempt to be read again.
 */
import type { HeldSession } from './counted-session.js';

// How soon a stale copy is read again when nothing else asks for it, ms: the first wait, doubling to the last.
const STALE_RETRY_MS = 1000;
const STALE_RETRY_MAX_MS = 30_000;

/** A held session and the state of its updates. */
export interface HeldEntry {
  ctx: HeldSession;
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
  /**
   * Fixes queued and not yet taken in: later fixes join them (one recount of
   * a counted session covers them all), with the promise that takes them in.
   */
  fixes: { readonly ids: Set<string>; readonly done: Promise<void> } | undefined;
}

/** A fresh entry for `ctx` (not stale, nothing queued). */
export function newEntry(ctx: HeldSession): HeldEntry {
  return { ctx, unsubscribe: () => undefined, queue: Promise.resolve(), stale: false, retry: undefined, retryMs: STALE_RETRY_MS, fixes: undefined };
}

/** The entry holds a copy read afresh: not stale, and the next failure waits the first wait again. */
export function markFresh(entry: HeldEntry): void {
  entry.stale = false;
  entry.retryMs = STALE_RETRY_MS;
}

/**
 * Marks the entry stale and schedules one attempt to read it again
 * (`retry`), unless one is scheduled. A storage that stays away is asked
 * less and less often: every cached session retries on its own.
 */
export function markStale(entry: HeldEntry, retry: () => void): void {
  entry.stale = true;
  if (entry.retry !== undefined) return;
  const wait = entry.retryMs;
  entry.retryMs = Math.min(wait * 2, STALE_RETRY_MAX_MS);
  entry.retry = setTimeout(() => {
    entry.retry = undefined;
    if (entry.stale) retry();
  }, wait);
  entry.retry.unref();
}

/** Stops the entry's timers and listening (it is no longer held). */
export function disposeEntry(entry: HeldEntry): void {
  entry.unsubscribe();
  clearTimeout(entry.retry);
}
