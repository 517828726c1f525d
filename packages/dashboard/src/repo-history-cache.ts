/**
 * Repositories' stored state (history and trend), reused for a short while:
 * it changes only when a session completes, yet health, status and live
 * updates read it on every request.
 */
import type { RepoState, SessionStorage } from '@fleetkit/shared-context';

/** A storage's repository states, each reused for `ttlMs` after it was read. */
export class RepoHistoryCache {
  readonly #storage: SessionStorage;
  readonly #ttlMs: number;
  readonly #states = new Map<string, { at: number; state: RepoState | undefined }>();

  constructor(storage: SessionStorage, ttlMs: number) {
    this.#storage = storage;
    this.#ttlMs = ttlMs;
  }

  /** The repository's state, from the cache while fresh, else read. */
  async get(repoName: string): Promise<RepoState | undefined> {
    const hit = this.#states.get(repoName);
    if (hit !== undefined && Date.now() - hit.at < this.#ttlMs) return hit.state;
    const state = await this.#storage.loadRepoState(repoName);
    this.#states.set(repoName, { at: Date.now(), state });
    return state;
  }

  /** The state last read or set, without reading the storage. */
  cached(repoName: string): RepoState | undefined {
    return this.#states.get(repoName)?.state;
  }

  /** Takes a state just written (it is current now). */
  set(repoName: string, state: RepoState | undefined): void {
    this.#states.set(repoName, { at: Date.now(), state });
  }
}
