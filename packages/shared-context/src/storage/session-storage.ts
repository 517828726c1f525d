/**
 * SessionStorage: where sessions and repository history live. Two
 * implementations read the same through it: {@link ContextStorage} (JSON files
 * in a directory, the embedded default) and `PostgresStorage` from
 * `@fleetkit/store-postgres` (a shared database for many hosts). Callers (the
 * dashboard, the CLI) depend on this interface only.
 *
 * Writes are changes, not whole sessions: a batch of findings is appended,
 * a lifecycle change is applied, a finding is marked fixed. Each is atomic:
 * it is stored whole or not at all, and it is acknowledged only once stored.
 */
import type { Tier } from '../bots/tier.js';
import type { Context } from '../context/context.js';
import type { Finding, FindingInput } from '../findings/finding.js';
import type { Severity } from '../findings/severity.js';
import type { RepoState } from '../history/repo-state.js';

/** Filters of a findings query; every one given must hold. */
export interface FindingFilters {
  /** Findings of this bot (`source`). */
  readonly bot?: string;
  readonly severity?: Severity;
  readonly category?: string;
  /** Findings of bots of this tier (registered tier, else the roster's, else `custom`). */
  readonly tier?: Tier;
  /** Findings whose file starts with this, character for character (no patterns). */
  readonly file?: string;
  /** Text in the message, rule id, file or element, ignoring case. */
  readonly q?: string;
  readonly fixed?: boolean;
}

/** A stored session, as listed without loading it. */
export interface SessionListing {
  readonly sessionId: string;
  readonly repoName: string;
  /** Last write, ISO 8601. */
  readonly modifiedAt: string;
  /** Findings stored, when the storage knows without loading the session. */
  readonly findingsCount?: number;
  /** Bytes stored, when the storage knows. */
  readonly sizeBytes?: number;
}

/** Options of {@link SessionStorage.appendFindings}. */
export interface AppendOptions {
  /**
   * Names this batch. A batch appended again under the same key (a retry
   * after a timeout) is not added twice: the first append's result comes back
   * with `replayed: true`. Reusing a key for a different batch is an
   * {@link IdempotencyKeyReusedError}. 1 to 200 characters.
   */
  readonly idempotencyKey?: string;
}

/** What {@link SessionStorage.appendFindings} stored. */
export interface AppendResult {
  /** Findings the batch added. */
  readonly added: number;
  /**
   * The batch's place in the session's order: its findings have the
   * sequence numbers `firstSeq` to `lastSeq` (the first finding of a session
   * is 1). An empty batch has `firstSeq = lastSeq + 1`.
   */
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** True when the batch was already stored under its idempotency key, and nothing was added now. */
  readonly replayed: boolean;
  /**
   * Counts of the findings added, by severity, source and fixed (as
   * {@link FindingTally} groups), when the storage gives them: a caller
   * holding the session as counts takes them in without reading the batch
   * back. PostgreSQL gives them (not for a replay); the file storage does not.
   * Counts, not the finding objects: a batch waiting for its turn then holds
   * only its rows' text, not 10,000 objects for the garbage collector to copy.
   */
  readonly tally?: readonly TallyGroup[];
}

/** A request for one page of a session's findings, in session order. */
export interface FindingPageRequest {
  /** Only findings after this sequence number. @default 0 (from the first) */
  readonly afterSeq?: number;
  /** Most findings returned, 1 to 10,000. */
  readonly limit: number;
}

/** One page of findings. */
export interface StoredFindingPage {
  /** The matching findings, in session order. */
  readonly items: readonly Finding[];
  /** Sequence number of each item (same order). */
  readonly seqs: readonly number[];
  /** True when more matching findings follow the last item. */
  readonly more: boolean;
  /** Findings matching the filters in the whole session. */
  readonly total: number;
  /** The session's last sequence number when the page was read. */
  readonly lastSeq: number;
}

/** Which sequence numbers {@link SessionStorage.tallyFindings} counts. */
export interface TallyRange {
  /** Only findings after this sequence number. @default 0 (from the first) */
  readonly afterSeq?: number;
  /** Only findings up to this sequence number (included). @default every finding stored */
  readonly throughSeq?: number;
}

/** One group of a {@link FindingTally}: how many findings share these three values. */
export interface TallyGroup {
  readonly severity: Severity;
  /** The bot that reported them. */
  readonly source: string;
  readonly fixed: boolean;
  readonly count: number;
}

/**
 * Counts of a session's findings, without the findings: what a replica needs
 * to keep a session's health and summary current while the findings stay in
 * the storage.
 */
export interface FindingTally {
  /** The matching findings of the range, counted by severity, source and fixed; groups of none are left out. */
  readonly groups: readonly TallyGroup[];
  /**
   * The session's last sequence number when counted: the tally covers the
   * range up to it (or to `throughSeq`, when that is lower).
   */
  readonly lastSeq: number;
}

/** A change to a stored session, as told to watchers. */
export interface StorageChange {
  readonly sessionId: string;
  /**
   * `findings`: appended (`fromSeq`…`toSeq`); `fixed`: a finding marked fixed
   * (`findingId`); `session`: bots, executions, shared data or completion;
   * `replaced`: stored whole, or changed in a way not described (read it again);
   * `deleted`.
   */
  readonly kind: 'findings' | 'fixed' | 'session' | 'replaced' | 'deleted';
  readonly fromSeq?: number;
  readonly toSeq?: number;
  readonly findingId?: string;
}

/**
 * What a watcher is told: a change, or `resync` when changes may have been
 * missed (the database connection dropped and came back): every session may
 * have changed.
 */
export type StorageEvent = StorageChange | { readonly kind: 'resync' };

/** Options of {@link SessionStorage.addToHistory}. */
export interface HistoryOptions {
  /** Fold the session only if its repository's history does not record it yet. @default false */
  readonly once?: boolean;
}

/** Options of {@link SessionStorage.loadSession}. */
export interface LoadOptions {
  /** Load the findings too. False gives the session's bots, executions, shared data and completion only (cheap). @default true */
  readonly findings?: boolean;
}

/** Sessions, their findings and repository history, stored somewhere. */
export interface SessionStorage {
  /**
   * Where the storage is, for messages and logs: a directory, or a database
   * URL without its password.
   */
  readonly location: string;
  /**
   * True when {@link queryFindings} filters a session held in memory (the file
   * storage): a caller that holds the same session, current, may filter it
   * itself with `pageOfFindings` and get the same answers without a second
   * copy. False for a database, whose queries run in SQL.
   */
  readonly queriesInMemory: boolean;

  /** Stores a whole session: creates it, or replaces what is stored under its id. */
  saveSession(ctx: Context): Promise<void>;
  /** Loads a session, findings and all (unless `findings: false`). Throws {@link NotFoundError} when none is stored. */
  loadSession(sessionId: string, options?: LoadOptions): Promise<Context>;
  /** True when a session with this id is stored. */
  hasSession(sessionId: string): Promise<boolean>;
  /** Deletes a session; false when there was none. */
  deleteSession(sessionId: string): Promise<boolean>;
  /** Stored sessions, most recently written first, optionally of one repository. */
  listSessions(filter?: { readonly repo?: string }): Promise<SessionListing[]>;
  /** Repositories with stored sessions or history, sorted by name. */
  listRepos(): Promise<string[]>;

  /**
   * Appends a batch of findings to a stored session in one atomic write,
   * without rewriting what is stored. Every finding is validated first; one
   * bad finding rejects the batch with a {@link ValidationError} naming its
   * index and field, and nothing is stored.
   */
  appendFindings(sessionId: string, findings: readonly (Finding | FindingInput)[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Applies `change` to the session's bots, executions, shared data and
   * completion, and stores the result atomically; concurrent updates of one
   * session are applied one after the other. `change` gets a Context of the
   * stored session (whose findings may be absent: use {@link markFixed} and
   * {@link appendFindings} for findings); it must be synchronous and must not
   * change anything when it throws. Returns what `change` returned.
   */
  updateSession<T>(sessionId: string, change: (session: Context) => T): Promise<T>;
  /** Marks a finding fixed. Returns false when it already was; throws {@link NotFoundError} for an unknown finding. */
  markFixed(sessionId: string, findingId: string): Promise<boolean>;
  /** One page of a session's findings matching `filters`, in session order. */
  queryFindings(sessionId: string, filters: FindingFilters, page: FindingPageRequest): Promise<StoredFindingPage>;
  /**
   * Counts the session's findings matching `filters` in a range of sequence
   * numbers, by severity, source and fixed, without reading them out. Throws
   * {@link NotFoundError} when no such session is stored.
   */
  tallyFindings(sessionId: string, filters: FindingFilters, range?: TallyRange): Promise<FindingTally>;
  /** One finding of a session by id, or undefined when it has none by that id. Throws {@link NotFoundError} for an unknown session. */
  getFinding(sessionId: string, findingId: string): Promise<Finding | undefined>;

  /** A repository's state (history and trend), or undefined when none is stored. */
  loadRepoState(repoName: string): Promise<RepoState | undefined>;
  /** Stores a repository's state (validated first). */
  saveRepoState(state: RepoState): Promise<void>;
  /** Stores a session and folds it into its repository's history. Returns the new state. */
  recordSession(ctx: Context): Promise<RepoState>;
  /**
   * Folds a session (already stored; `ctx` is its current state) into its
   * repository's history, one writer per repository at a time. Returns the new state.
   * With `once`, a session folded into the history before is left as it is
   * (decided under the same lock; see `foldedInto`): a retried completion is
   * not counted twice.
   */
  addToHistory(ctx: Context, options?: HistoryOptions): Promise<RepoState>;
  /** Deletes all but the newest `keep` sessions of each repository. Returns the ids deleted. */
  cleanupSessions(keep: number): Promise<string[]>;

  /**
   * Follows changes: this storage object's own, and those of other processes
   * where the storage can tell (a database's notifications; a directory's
   * file events). Returns a function that stops.
   */
  watch(listener: (event: StorageEvent) => void): Promise<() => Promise<void>>;
  /** Checks that the storage can be read and written now; throws what a write would ({@link StorageError}, {@link StorageUnavailableError}). */
  probe(): Promise<void>;

  /** Releases connections, watchers and timers. The storage is not used afterwards. */
  close(): Promise<void>;
}
