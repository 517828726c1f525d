/**
 * Answers already serialized, kept while the session they were made from is
 * unchanged. Many clients of one session ask for the same findings pages
 * (the first page of each filter, again and again while it runs). Over a
 * database each would cost a query, the decoding of its rows and the
 * encoding of the page; from here it costs a lookup.
 *
 * An entry answers only under the stamp it was made under: the store's token
 * of the session it holds, which changes with every change taken in and
 * whenever the session is read again. So a page is never older than what the
 * session held here shows (its counts, health and live updates), and a client
 * reads its own acknowledged writes. Misses of the same key under the same
 * stamp share one computation. Bounded in bytes, least recently used first.
 */
import { LRUCache } from 'lru-cache';

interface Entry {
  readonly stamp: string;
  readonly body: string;
}

/** A bounded cache of serialized answers, each valid under one stamp. */
export class PageCache {
  readonly #lru: LRUCache<string, Entry> | undefined;
  readonly #making = new Map<string, { readonly stamp: string; readonly body: Promise<string> }>();
  #hits = 0;
  #misses = 0;

  /**
   * `maxBytes`: the characters of keys and bodies kept (0: nothing is kept;
   * concurrent misses still share). A character is a byte for JSON in Latin-1,
   * which findings nearly always are; other text takes two bytes a character.
   */
  constructor(maxBytes: number) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`page cache size must be a whole number of bytes ≥ 0, got ${maxBytes}`);
    // JSON of findings is nearly all one-byte characters: a string's length is about its bytes.
    this.#lru = maxBytes === 0 ? undefined : new LRUCache<string, Entry>({ maxSize: maxBytes, sizeCalculation: (e, key) => e.body.length + key.length + 64 });
  }

  /** False when it keeps nothing (size 0). */
  get enabled(): boolean {
    return this.#lru !== undefined;
  }

  /** Lookups answered from the cache, and lookups that made their answer (or joined one being made). */
  counts(): { hits: number; misses: number } {
    return { hits: this.#hits, misses: this.#misses };
  }

  /** Bytes held (about). */
  get bytes(): number {
    return this.#lru?.calculatedSize ?? 0;
  }

  /**
   * The answer for `key` under `stamp`: the one kept, else the one being made
   * under the same stamp, else `make()`'s (kept unless it throws).
   */
  async get(key: string, stamp: string, make: () => Promise<string>): Promise<string> {
    const kept = this.#lru?.get(key);
    if (kept !== undefined && kept.stamp === stamp) {
      this.#hits++;
      return kept.body;
    }
    this.#misses++;
    const making = this.#making.get(key);
    if (making !== undefined && making.stamp === stamp) return making.body;
    const body = make();
    const entry = { stamp, body };
    this.#making.set(key, entry);
    try {
      const text = await body;
      // Kept unless a newer stamp's answer was kept meanwhile (stamps only move on; a later one replaces this one).
      if (this.#making.get(key) === entry) this.#lru?.set(key, { stamp, body: text });
      return text;
    } finally {
      if (this.#making.get(key) === entry) this.#making.delete(key);
    }
  }
}
