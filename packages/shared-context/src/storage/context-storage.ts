/**
 * ContextStorage: sessions and repo history in a directory.
 *
 *   DIR/sessions/<repo>/<session>.json   one serialized Context per session
 *   DIR/repos/<repo>.json                the RepoState of each repository
 *
 * Names are encoded (see names.ts) so no input can leave DIR; every write is
 * atomic; every read is size-capped and validated, and a bad file gives a
 * ValidationError naming it.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Context } from '../context/context.js';
import type { ContextOptions } from '../context/options.js';
import { NotFoundError, StorageError, ValidationError } from '../errors.js';
import type { RepoState } from '../history/repo-state.js';
import { RepoStateSchema } from '../history/repo-state.js';
import { updateRepoState } from '../history/update-repo-state.js';
import { parseWith } from '../validate.js';
import { DEFAULT_MAX_READ_BYTES, readJsonFile, writeFileAtomic } from './atomic-file.js';
import { decodeName, encodeName } from './names.js';

/** Options of a {@link ContextStorage}. */
export interface StorageOptions {
  /** Largest file read whole, in bytes. @default 536870912 (512 MiB) */
  readonly maxReadBytes?: number;
  /** Options given to every Context loaded (clock, health TTL). */
  readonly context?: Omit<ContextOptions, 'sessionId' | 'startedAt'>;
}

/** A stored session, as listed without reading it. */
export interface SessionListing {
  readonly sessionId: string;
  readonly repoName: string;
  /** Absolute path of the session file. */
  readonly path: string;
  /** Last write, ISO 8601. */
  readonly modifiedAt: string;
  readonly sizeBytes: number;
}

/** Sessions and repo history in a directory on the real file system. */
export class ContextStorage {
  /** The storage directory (absolute). */
  readonly dir: string;
  readonly #maxRead: number;
  readonly #contextOptions: StorageOptions['context'];

  constructor(dir: string, options: StorageOptions = {}) {
    if (typeof dir !== 'string' || dir.length === 0) {
      throw new ValidationError([{ code: 'invalid_type', path: ['dir'], message: 'must be a non-empty path' }], 'ContextStorage');
    }
    this.dir = resolve(dir);
    this.#maxRead = options.maxReadBytes ?? DEFAULT_MAX_READ_BYTES;
    this.#contextOptions = options.context;
  }

  /** The file a session of `repoName` is stored in (whether or not it exists). */
  sessionFile(repoName: string, sessionId: string): string {
    return join(this.dir, 'sessions', encodeName('repo', repoName), `${encodeName('session', sessionId)}.json`);
  }

  /** The file a repository's state is stored in (whether or not it exists). */
  repoStateFile(repoName: string): string {
    return join(this.dir, 'repos', `${encodeName('repo', repoName)}.json`);
  }

  /** Saves a session (atomically); returns the file written. */
  async saveContext(ctx: Context): Promise<string> {
    const path = this.sessionFile(ctx.repoName, ctx.sessionId);
    await this.#mkdir(dirname(path));
    await writeFileAtomic(path, JSON.stringify(ctx));
    return path;
  }

  /** Loads a session by id. Throws {@link NotFoundError} when no such session is stored. */
  async loadContext(sessionId: string): Promise<Context> {
    return (await this.loadSession(sessionId)).ctx;
  }

  /** Loads a session by id, with the file it was read from. Throws {@link NotFoundError} when none is stored. */
  async loadSession(sessionId: string): Promise<{ ctx: Context; path: string }> {
    const file = `${encodeName('session', sessionId)}.json`;
    for (const repoDir of await this.#repoDirs()) {
      const path = join(this.dir, 'sessions', repoDir, file);
      const value = await readJsonFile(path, this.#maxRead);
      if (value !== undefined) return { ctx: Context.fromJSON(value, { ...this.#contextOptions, source: path }), path };
    }
    throw new NotFoundError('session', sessionId);
  }

  /** True when a session with this id is stored. */
  async hasSession(sessionId: string): Promise<boolean> {
    return (await this.#findSession(sessionId)) !== undefined;
  }

  /** Deletes a stored session; returns false when there was none. */
  async deleteSession(sessionId: string): Promise<boolean> {
    const path = await this.#findSession(sessionId);
    if (path === undefined) return false;
    await rm(path, { force: true });
    return true;
  }

  /** Stored sessions, newest first, optionally of one repo. Reads no session file. */
  async listSessions(filter: { readonly repo?: string } = {}): Promise<SessionListing[]> {
    const dirs = filter.repo === undefined ? await this.#repoDirs() : [encodeName('repo', filter.repo)];
    const out: SessionListing[] = [];
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

  /** Saves a repository's state (validated first). */
  async saveRepoState(state: RepoState): Promise<string> {
    const valid = parseWith(RepoStateSchema, state, { source: 'saveRepoState' });
    const path = this.repoStateFile(valid.repoName);
    await this.#mkdir(dirname(path));
    await writeFileAtomic(path, JSON.stringify(valid));
    return path;
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
    const next = updateRepoState(await this.loadRepoState(ctx.repoName), ctx);
    await this.saveRepoState(next);
    return next;
  }

  /**
   * Deletes all but the newest `keep` sessions of each repository (by last
   * write). Returns the ids of the sessions deleted.
   */
  async cleanupSessions(keep: number): Promise<string[]> {
    if (!Number.isInteger(keep) || keep < 0) {
      throw new ValidationError([{ code: 'too_small', path: ['keep'], message: 'must be an integer ≥ 0' }], 'cleanupSessions');
    }
    const byRepo = new Map<string, SessionListing[]>();
    for (const s of await this.listSessions()) {
      const list = byRepo.get(s.repoName) ?? [];
      list.push(s);
      byRepo.set(s.repoName, list);
    }
    const deleted: string[] = [];
    for (const list of byRepo.values()) {
      for (const s of list.slice(keep)) {
        await rm(s.path, { force: true });
        deleted.push(s.sessionId);
      }
    }
    return deleted;
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
