/**
 * ContextStorage: the {@link SessionStorage} of a directory, the embedded
 * default (no server).
 *
 *   DIR/sessions/<repo>/<session>.json   one serialized Context per session
 *                                        (with its idempotency keys)
 *   DIR/repos/<repo>.json                the RepoState of each repository
 *
 * Names are encoded (see names.ts) so no input can leave DIR; every write is
 * atomic (a change rewrites its session's file, group-committed); every read
 * is size-capped and validated, and a bad file gives a ValidationError naming it.
 */
import { access, constants, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Context } from '../context/context.js';
import type { ContextOptions } from '../context/options.js';
import { IdempotencyKeyReusedError, NotFoundError, StorageError, ValidationError } from '../errors.js';
import type { Finding, FindingInput } from '../findings/finding.js';
import { createFinding, storedFinding } from '../findings/finding.js';
import type { RepoState } from '../history/repo-state.js';
import { RepoStateSchema } from '../history/repo-state.js';
import { foldedInto, updateRepoState } from '../history/update-repo-state.js';
import { parseWith } from '../validate.js';
import { DEFAULT_MAX_READ_BYTES, readJsonFile, writeFileAtomic } from './atomic-file.js';
import { checkFindingQuery, checkTallyQuery, pageOfFindings } from './finding-filters.js';
import { tallyOfFindings } from './finding-tally.js';
import type { StoredBatch } from './idempotency.js';
import { batchFingerprint, checkIdempotencyKey } from './idempotency.js';
import { decodeName, encodeName } from './names.js';
import { watchSessionFiles } from './directory-watch.js';
import type { FileStamp } from './file-stamp.js';
import { stampOf } from './file-stamp.js';
import { KeyedLock } from './keyed-lock.js';
import { OpenSessions } from './open-sessions.js';
import { readSessionFile, sessionStateJSON, writeSessionFile } from './session-file.js';
import type {
  AppendOptions,
  AppendResult,
  FindingFilters,
  FindingPageRequest,
  FindingTally,
  HistoryOptions,
  LoadOptions,
  SessionListing,
  SessionStorage,
  StorageChange,
  StorageEvent,
  StoredFindingPage,
  TallyRange,
} from './session-storage.js';

/** Options of a {@link ContextStorage}. */
export interface StorageOptions {
  /** Largest file read whole, in bytes. @default 536870912 (512 MiB) */
  readonly maxReadBytes?: number;
  /** Options given to every Context loaded (clock, health TTL). */
  readonly context?: Omit<ContextOptions, 'sessionId' | 'startedAt'>;
  /** Sessions kept in memory to apply changes without reading their file again. @default 8 */
  readonly maxOpenSessions?: number;
  /**
   * How long a session kept in memory stays there unused, ms. The next change
   * after that reads its file whole again (about a second for 100,000
   * findings). @default 30000
   */
  readonly openSessionIdleMs?: number;
}

/** A stored session file, as listed without reading it. */
export interface FileSessionListing extends SessionListing {
  /** Absolute path of the session file. */
  readonly path: string;
  readonly sizeBytes: number;
}

/** Sessions and repo history in a directory on the real file system. */
export class ContextStorage implements SessionStorage {
  /** The storage directory (absolute). */
  readonly dir: string;
  readonly #maxRead: number;
  readonly #contextOptions: StorageOptions['context'];
  readonly #open: OpenSessions;
  // The stamp of each file this object wrote last, so a watcher can tell its writes from others'.
  readonly #written = new Map<string, FileStamp | undefined>();
  readonly #watchers = new Set<(event: StorageEvent) => void>();
  #watching: Promise<() => void> | undefined;
  // One history writer per repository at a time (in this process).
  readonly #historyLocks = new KeyedLock();

  constructor(dir: string, options: StorageOptions = {}) {
    if (typeof dir !== 'string' || dir.length === 0) {
      throw new ValidationError([{ code: 'invalid_type', path: ['dir'], message: 'must be a non-empty path' }], 'ContextStorage');
    }
    this.dir = resolve(dir);
    this.#maxRead = options.maxReadBytes ?? DEFAULT_MAX_READ_BYTES;
    this.#contextOptions = options.context;
    const idleMs = options.openSessionIdleMs ?? 30_000;
    if (!Number.isInteger(idleMs) || idleMs < 1) {
      throw new ValidationError([{ code: 'too_small', path: ['openSessionIdleMs'], message: 'must be an integer ≥ 1 (ms)' }], 'ContextStorage');
    }
    this.#open = new OpenSessions(options.maxOpenSessions ?? 8, idleMs, async (sessionId) => {
      const path = await this.#findSession(sessionId);
      if (path === undefined) return undefined;
      const before = await stampOf(path);
      const content = await readSessionFile(path, this.#maxRead, this.#contextOptions);
      return content === undefined ? undefined : { path, before, content };
    }, (path, stamp) => this.#written.set(path, stamp));
  }

  /** Queries filter the session held in memory. */
  readonly queriesInMemory = true;

  /** The storage directory. */
  get location(): string {
    return this.dir;
  }

  /** The file a session of `repoName` is stored in (whether or not it exists). */
  sessionFile(repoName: string, sessionId: string): string {
    return join(this.dir, 'sessions', encodeName('repo', repoName), `${encodeName('session', sessionId)}.json`);
  }

  /** The file a repository's state is stored in (whether or not it exists). */
  repoStateFile(repoName: string): string {
    return join(this.dir, 'repos', `${encodeName('repo', repoName)}.json`);
  }

  /** Saves a whole session (atomically), replacing what is stored under its id (idempotency keys included). */
  async saveSession(ctx: Context): Promise<void> {
    await this.saveContext(ctx);
  }

  /** Saves a whole session (atomically), like {@link saveSession}; returns the file written. */
  async saveContext(ctx: Context): Promise<string> {
    const path = this.sessionFile(ctx.repoName, ctx.sessionId);
    await this.#open.replace(ctx.sessionId, async () => {
      await this.#mkdir(dirname(path));
      await writeSessionFile(path, ctx, undefined);
      this.#written.set(path, await stampOf(path));
    });
    this.#emit({ sessionId: ctx.sessionId, kind: 'replaced' });
    return path;
  }

  /** Loads a session by id. Throws {@link NotFoundError} when no such session is stored. */
  async loadSession(sessionId: string, options: LoadOptions = {}): Promise<Context> {
    if (options.findings !== false) return (await this.loadSessionFile(sessionId)).ctx;
    // The file is read whole either way; the session held for writing spares reading it again.
    return this.#open.read(sessionId, (s) => Context.fromJSON(sessionStateJSON(s.ctx), { ...this.#contextOptions, source: s.path }));
  }

  /** Loads a session by id, like {@link loadSession}. */
  async loadContext(sessionId: string): Promise<Context> {
    return (await this.loadSessionFile(sessionId)).ctx;
  }

  /** Loads a session by id, with the file it was read from. Throws {@link NotFoundError} when none is stored. */
  async loadSessionFile(sessionId: string): Promise<{ ctx: Context; path: string }> {
    const path = await this.#findSession(sessionId);
    const content = path === undefined ? undefined : await readSessionFile(path, this.#maxRead, this.#contextOptions);
    if (content === undefined) throw new NotFoundError('session', sessionId);
    return { ctx: content.ctx, path: path! };
  }

  async appendFindings(sessionId: string, findings: readonly (Finding | FindingInput)[], options: AppendOptions = {}): Promise<AppendResult> {
    const key = options.idempotencyKey === undefined ? undefined : checkIdempotencyKey(options.idempotencyKey);
    const fingerprint = key === undefined ? '' : batchFingerprint(findings);
    const outcome = await this.#open.change<{ stored: StoredBatch; wait: Promise<void> | undefined }>(sessionId, (s) => {
      const stored = key === undefined ? undefined : s.batches.get(key);
      if (stored !== undefined) {
        if (stored.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(sessionId, key!);
        return { result: { stored, wait: s.lastSave }, changed: false };
      }
      const firstSeq = s.ctx.findings.size + 1;
      const added = s.ctx.addFindings(findings).length;
      const batch: StoredBatch = { fingerprint, firstSeq, added };
      if (key !== undefined) s.batches.set(key, batch);
      return { result: { stored: batch, wait: undefined }, changed: added > 0 || key !== undefined };
    });
    if (outcome.wait !== undefined) await outcome.wait;
    const { firstSeq, added } = outcome.stored;
    const replayed = outcome.wait !== undefined;
    if (!replayed && added > 0) this.#emit({ sessionId, kind: 'findings', fromSeq: firstSeq, toSeq: firstSeq + added - 1 });
    return { added, firstSeq, lastSeq: firstSeq + added - 1, replayed };
  }

  async updateSession<T>(sessionId: string, change: (session: Context) => T): Promise<T> {
    let changed = false;
    const result = await this.#open.change(sessionId, (s) => {
      const before = s.ctx.version;
      const r = change(s.ctx);
      changed = s.ctx.version !== before;
      return { result: r, changed };
    });
    if (changed) this.#emit({ sessionId, kind: 'session' });
    return result;
  }

  async markFixed(sessionId: string, findingId: string): Promise<boolean> {
    const changed = await this.#open.change(sessionId, (s) => {
      const c = s.ctx.markFixed(findingId);
      return { result: c, changed: c };
    });
    if (changed) this.#emit({ sessionId, kind: 'fixed', findingId });
    return changed;
  }

  async queryFindings(sessionId: string, filters: FindingFilters, page: FindingPageRequest): Promise<StoredFindingPage> {
    const q = checkFindingQuery(filters, page);
    return this.#open.read(sessionId, (s) => pageOfFindings(s.ctx, q.filters, q.page));
  }

  async tallyFindings(sessionId: string, filters: FindingFilters, range?: TallyRange): Promise<FindingTally> {
    const q = checkTallyQuery(filters, range);
    return this.#open.read(sessionId, (s) => tallyOfFindings(s.ctx, q.filters, q.range));
  }

  async getFinding(sessionId: string, findingId: string): Promise<Finding | undefined> {
    return this.#open.read(sessionId, (s) => {
      const f = s.ctx.findings.get(findingId);
      // A copy: the caller must not hold (or change) the storage's own object.
      return f === undefined ? undefined : createFinding(storedFinding(f));
    });
  }

  /** True when a session with this id is stored. */
  async hasSession(sessionId: string): Promise<boolean> {
    return (await this.#findSession(sessionId)) !== undefined;
  }

  /** Deletes a stored session; returns false when there was none. */
  async deleteSession(sessionId: string): Promise<boolean> {
    const deleted = await this.#open.replace(sessionId, async () => {
      const path = await this.#findSession(sessionId);
      if (path === undefined) return false;
      await rm(path, { force: true });
      this.#written.delete(path);
      return true;
    });
    if (deleted) this.#emit({ sessionId, kind: 'deleted' });
    return deleted;
  }

  /** Stored sessions, newest first, optionally of one repo. Reads no session file. */
  async listSessions(filter: { readonly repo?: string } = {}): Promise<FileSessionListing[]> {
    const dirs = filter.repo === undefined ? await this.#repoDirs() : [encodeName('repo', filter.repo)];
    const out: FileSessionListing[] = [];
    for (const repoDir of dirs) {
      const repoName = decodeName(repoDir);
      if (repoName === undefined) continue;
      const dir = join(this.dir, 'sessions', repoDir);
      for (const name of await this.#readdir(dir)) {
        if (!name.endsWith('.json')) continue;
        const sessionId = decodeName(name.slice(0, -5));
        if (sessionId === undefined) continue;
        const path = join(dir, name);
        const st = await stat(path).catch(() => undefined);
        if (st === undefined || !st.isFile()) continue;
        out.push({ sessionId, repoName, path, modifiedAt: st.mtime.toISOString(), sizeBytes: st.size });
      }
    }
    return out.sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt) || a.sessionId.localeCompare(b.sessionId));
  }

  /** Repositories that have stored sessions or a stored state, sorted by name. */
  async listRepos(): Promise<string[]> {
    const names = new Set<string>();
    for (const d of await this.#repoDirs()) {
      const n = decodeName(d);
      if (n !== undefined) names.add(n);
    }
    for (const f of await this.#readdir(join(this.dir, 'repos'))) {
      if (!f.endsWith('.json')) continue;
      const n = decodeName(f.slice(0, -5));
      if (n !== undefined) names.add(n);
    }
    return [...names].sort();
  }

  /** Saves a repository's state (validated first) in {@link repoStateFile}. */
  async saveRepoState(state: RepoState): Promise<void> {
    const valid = parseWith(RepoStateSchema, state, { source: 'saveRepoState' });
    const path = this.repoStateFile(valid.repoName);
    await this.#mkdir(dirname(path));
    await writeFileAtomic(path, JSON.stringify(valid));
  }

  /** A repository's state, or undefined when none is stored. */
  async loadRepoState(repoName: string): Promise<RepoState | undefined> {
    const path = this.repoStateFile(repoName);
    const value = await readJsonFile(path, this.#maxRead);
    if (value === undefined) return undefined;
    return parseWith(RepoStateSchema, value, { source: path }) as RepoState;
  }

  /** Folds a session into its repository's history and saves both. Returns the new state. */
  async recordSession(ctx: Context): Promise<RepoState> {
    await this.saveContext(ctx);
    return this.addToHistory(ctx);
  }

  /** Folds a stored session into its repository's history (one writer per repository in this process). */
  async addToHistory(ctx: Context, options: HistoryOptions = {}): Promise<RepoState> {
    return this.#historyLocks.run(ctx.repoName, async () => {
      const prev = await this.loadRepoState(ctx.repoName);
      if (options.once === true && prev !== undefined && foldedInto(prev, ctx)) return prev;
      const next = updateRepoState(prev, ctx);
      await this.saveRepoState(next);
      return next;
    });
  }

  /**
   * Deletes all but the newest `keep` sessions of each repository (by last
   * write). Returns the ids of the sessions deleted.
   */
  async cleanupSessions(keep: number): Promise<string[]> {
    if (!Number.isInteger(keep) || keep < 0) {
      throw new ValidationError([{ code: 'too_small', path: ['keep'], message: 'must be an integer ≥ 0' }], 'cleanupSessions');
    }
    const byRepo = new Map<string, FileSessionListing[]>();
    for (const s of await this.listSessions()) {
      const list = byRepo.get(s.repoName) ?? [];
      list.push(s);
      byRepo.set(s.repoName, list);
    }
    const deleted: string[] = [];
    for (const list of byRepo.values()) {
      for (const s of list.slice(keep)) {
        await this.#open.replace(s.sessionId, () => rm(s.path, { force: true }));
        this.#written.delete(s.path);
        this.#emit({ sessionId: s.sessionId, kind: 'deleted' });
        deleted.push(s.sessionId);
      }
    }
    return deleted;
  }

  async watch(listener: (event: StorageEvent) => void): Promise<() => Promise<void>> {
    this.#watchers.add(listener);
    this.#watching ??= watchSessionFiles(this.dir, {
      ownStamp: (path) => this.#written.get(path),
      onChange: (c) => this.#emit({ sessionId: c.sessionId, kind: c.deleted ? 'deleted' : 'replaced' }),
    });
    await this.#watching;
    return async () => {
      this.#watchers.delete(listener);
      if (this.#watchers.size === 0) this.#unwatch();
    };
  }

  /** Checks that the directory can be read and written. */
  async probe(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
      await access(this.dir, constants.R_OK | constants.W_OK);
    } catch (err) {
      throw new StorageError(this.dir, `not a readable and writable directory: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Stops watching and forgets the sessions held in memory for writing (there are no connections). */
  async close(): Promise<void> {
    this.#watchers.clear();
    this.#unwatch();
    this.#open.clear();
  }

  #unwatch(): void {
    const watching = this.#watching;
    this.#watching = undefined;
    void watching?.then((stop) => stop(), () => undefined);
  }

  #emit(change: StorageChange): void {
    for (const w of this.#watchers) w(change);
  }

  /** Writes a session to any path (atomically). */
  async exportContext(ctx: Context, path: string): Promise<void> {
    await writeFileAtomic(resolve(path), JSON.stringify(ctx));
  }

  /** Reads a session from any path; a missing file is a {@link NotFoundError}. */
  async importContext(path: string): Promise<Context> {
    const full = resolve(path);
    const value = await readJsonFile(full, this.#maxRead);
    if (value === undefined) throw new NotFoundError('file', full);
    return Context.fromJSON(value, { ...this.#contextOptions, source: full });
  }

  async #findSession(sessionId: string): Promise<string | undefined> {
    const file = `${encodeName('session', sessionId)}.json`;
    for (const repoDir of await this.#repoDirs()) {
      const path = join(this.dir, 'sessions', repoDir, file);
      if ((await stat(path).catch(() => undefined))?.isFile()) return path;
    }
    return undefined;
  }

  async #repoDirs(): Promise<string[]> {
    return (await this.#readdir(join(this.dir, 'sessions'))).filter((d) => decodeName(d) !== undefined);
  }

  async #readdir(dir: string): Promise<string[]> {
    try {
      return (await readdir(dir)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new StorageError(dir, `could not list: ${(err as Error).message}`, { cause: err });
    }
  }

  async #mkdir(dir: string): Promise<void> {
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw new StorageError(dir, `could not create: ${(err as Error).message}`, { cause: err });
    }
  }
}
