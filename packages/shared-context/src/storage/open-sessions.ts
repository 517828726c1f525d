/**
 * Sessions the file storage holds in memory to change them: a change is
 * applied to the loaded Context and acknowledged once a group-committed
 * rewrite of the file has reached the disk (N concurrent writes cost at most
 * two rewrites). A file changed by another process is noticed by its stamp
 * (inode, mtime, size) before every use and read again. A failed write drops
 * the session from memory, so the disk stays the truth.
 */
import { LRUCache } from 'lru-cache';
import type { Context } from '../context/context.js';
import { NotFoundError, StorageError } from '../errors.js';
import type { FileStamp } from './file-stamp.js';
import { sameStamp, stampOf } from './file-stamp.js';
import { GroupCommit } from './group-commit.js';
import { KeyedLock } from './keyed-lock.js';
import type { StoredBatch } from './idempotency.js';
import type { SessionFileContent } from './session-file.js';
import { writeSessionFile } from './session-file.js';

/** A session held in memory for writing. */
export interface OpenSession {
  readonly sessionId: string;
  readonly path: string;
  readonly ctx: Context;
  readonly batches: Map<string, StoredBatch>;
  /** The newest save requested (a replayed batch waits for it). */
  lastSave: Promise<void>;
}

interface Entry extends OpenSession {
  stamp: FileStamp | undefined;
  /** A save of it failed: it no longer says what is on disk, and saves no more. */
  dead: boolean;
  /** When the file's stamp was last compared (reads compare at most every READ_RECHECK_MS). */
  checkedAt: number;
  readonly commit: GroupCommit;
}


// A read may be this much behind another process's write; a change never is (it always compares).
const READ_RECHECK_MS = 250;

/**
 * Finds and reads a session's file: its path, its stamp taken before reading,
 * and its content; undefined when it is not stored.
 */
export type SessionFileLoader = (sessionId: string) => Promise<{ path: string; before: FileStamp | undefined; content: SessionFileContent } | undefined>;

/** A bounded set of sessions open for writing, one lock per session. */
export class OpenSessions {
  readonly #cache: LRUCache<string, Entry>;
  readonly #locks = new KeyedLock();
  // The newest save of each session, kept apart from the cache: a session let go
  // (LRU, idle) while its save runs is read again only after that save has landed.
  readonly #saves = new Map<string, Promise<void>>();
  readonly #load: SessionFileLoader;
  readonly #written: (path: string, stamp: FileStamp | undefined) => void;

  /** `written` is told the stamp of every file this object wrote, so a watcher can tell those writes from others'. */
  constructor(max: number, idleMs: number, load: SessionFileLoader, written: (path: string, stamp: FileStamp | undefined) => void) {
    // A session nobody changes or reads for a while is let go: it costs memory
    // in proportion to its findings, and its file is read again when needed.
    this.#cache = new LRUCache<string, Entry>({ max, ttl: idleMs, updateAgeOnGet: true, ttlAutopurge: true });
    this.#load = load;
    this.#written = written;
  }

  /**
   * Runs `change` on the session (loaded, or from memory when its file is
   * unchanged) and resolves once what it changed is on disk. `change` runs
   * synchronously; when it throws, nothing is saved. It returns its result
   * and whether it changed anything (false: no save).
   */
  async change<T>(sessionId: string, change: (s: OpenSession) => { result: T; changed: boolean }): Promise<T> {
    // The change runs and its save is requested under the session's lock (a
    // whole-file replace cannot come between); the save is awaited outside it,
    // so concurrent changes share one rewrite.
    const { entry, result, saved } = await this.#locks.run(sessionId, async () => {
      const e = await this.#current(sessionId);
      const { result: r, changed } = change(e);
      if (changed) {
        e.lastSave = e.commit.request();
        this.#track(sessionId, e.lastSave);
      }
      return { entry: e, result: r, saved: changed ? e.lastSave : undefined };
    });
    if (saved === undefined) return result;
    try {
      await saved;
    } catch (err) {
      // What it holds was not saved: it must neither be served nor saved later (by a save queued behind).
      entry.dead = true;
      if (this.#cache.peek(sessionId) === entry) this.#cache.delete(sessionId);
      throw err;
    }
    return result;
  }

  /** Reads the session as it is stored (from memory when its file is unchanged, or was compared less than 250 ms ago). */
  async read<T>(sessionId: string, read: (s: OpenSession) => T): Promise<T> {
    const hit = this.#cache.get(sessionId);
    if (hit !== undefined && Date.now() - hit.checkedAt < READ_RECHECK_MS) return read(hit);
    return read(await this.#locks.run(sessionId, () => this.#current(sessionId)));
  }

  /**
   * Runs `write` (a whole-file write or a delete) with the session's lock
   * held and its writes in flight finished, and forgets what was in memory.
   */
  async replace<T>(sessionId: string, write: () => Promise<T>): Promise<T> {
    return this.#locks.run(sessionId, async () => {
      this.#cache.delete(sessionId);
      await this.#saves.get(sessionId)?.catch(() => undefined);
      return write();
    });
  }

  /** Forgets every session held. */
  clear(): void {
    this.#cache.clear();
  }

  async #current(sessionId: string): Promise<Entry> {
    const hit = this.#cache.get(sessionId);
    if (hit !== undefined) {
      if (hit.commit.busy || sameStamp(await stampOf(hit.path), hit.stamp)) {
        hit.checkedAt = Date.now();
        return hit;
      }
      this.#cache.delete(sessionId);
    }
    // A save of an entry let go may still be running: the file is read after it.
    await this.#saves.get(sessionId)?.catch(() => undefined);
    const started = Date.now();
    const found = await this.#load(sessionId);
    if (found === undefined) throw new NotFoundError('session', sessionId);
    const stamp = await stampOf(found.path);
    const entry: Entry = {
      sessionId,
      path: found.path,
      ctx: found.content.ctx,
      batches: found.content.batches,
      // The stamp stands for what was read only if the file is the same before and after the read, and was not
      // written during it (a rename that kept an older mtime changes the inode): else keep none, and read it again.
      stamp: sameStamp(found.before, stamp) && stamp!.mtimeMs < started ? stamp : undefined,
      checkedAt: Date.now(),
      dead: false,
      lastSave: Promise.resolve(),
      commit: new GroupCommit(async () => {
        if (entry.dead) throw new StorageError(entry.path, 'not saved: an earlier write of this session failed, so this one was not stored either; retry it');
        await writeSessionFile(entry.path, entry.ctx, entry.batches);
        entry.stamp = await stampOf(entry.path);
        this.#written(entry.path, entry.stamp);
      }),
    };
    this.#cache.set(sessionId, entry);
    return entry;
  }

  #track(sessionId: string, save: Promise<void>): void {
    const tail = save.catch(() => undefined);
    this.#saves.set(sessionId, tail);
    void tail.then(() => {
      if (this.#saves.get(sessionId) === tail) this.#saves.delete(sessionId);
    });
  }
}
