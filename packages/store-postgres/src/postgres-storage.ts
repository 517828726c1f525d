/**
 * PostgresStorage: the {@link SessionStorage} of a PostgreSQL database, for
 * fleets on many hosts. Findings are rows; an appended batch is one
 * transaction that adds rows (one INSERT from column arrays, whatever the
 * batch size) and never rewrites the session; reads filter in SQL and page
 * by keyset on the session's sequence numbers. Every change sends a NOTIFY on
 * {@link CHANGES_CHANNEL} (session and sequence range, not the findings) so
 * other processes can follow.
 */
import postgres from 'postgres';
import type { Sql, TransactionSql } from 'postgres';
import {
  FindingSet,
  NotFoundError,
  StorageError,
  StorageUnavailableError,
  RepoStateSchema,
  ValidationError,
  batchFingerprint,
  checkFindingQuery,
  checkIdempotencyKey,
  checkTallyQuery,
  createFinding,
  isUnfiltered,
  foldedInto,
  updateRepoState,
} from '@fleetkit/shared-context';
import type {
  AppendOptions,
  AppendResult,
  Context,
  ContextOptions,
  Finding,
  FindingFilters,
  FindingInput,
  FindingPageRequest,
  FindingTally,
  HistoryOptions,
  LoadOptions,
  RepoState,
  SessionListing,
  SessionStorage,
  StorageChange,
  StorageEvent,
  Severity,
  StoredFindingPage,
  TallyRange,
} from '@fleetkit/shared-context';
import { AppendQueue, isDuplicateId } from './append-queue.js';
import { parseConnectionUrl } from './connection-url.js';
import { storageErrorOf } from './db-errors.js';
import { FINDING_COLUMNS, arrayLiterals, columnBodies, rowToInput } from './finding-rows.js';
import type { FindingRow } from './finding-rows.js';
import { filterSql } from './filters-sql.js';
import { KeptTotals } from './kept-totals.js';
import type { SessionMarks } from './kept-totals.js';
import { NewerSchemaError, migrate } from './migrations.js';
import type { MigrationOutcome } from './migrations.js';
import { SESSION_COLUMNS, contextOf, sessionDocuments } from './session-rows.js';
import type { SessionRow } from './session-rows.js';

/** The channel every change is announced on. */
export const CHANGES_CHANNEL = 'fleetkit_changes';

/** Options of {@link PostgresStorage.open}. */
export interface PostgresStorageOptions {
  /** Connections in the pool. @default 10 */
  readonly maxConnections?: number;
  /** Seconds to wait for a connection before the database counts as unavailable. @default 10 */
  readonly connectTimeoutSeconds?: number;
  /** Options given to every Context loaded (clock, health TTL). */
  readonly context?: Omit<ContextOptions, 'sessionId' | 'startedAt'>;
  /** Apply missing migrations on open (under an advisory lock). @default true */
  readonly migrate?: boolean;
  /**
   * Longest wait, in seconds, between two attempts to reach a database that
   * went away. The client's own backoff grows to 20 s, so a replica (and its
   * change listener) could stay away that long after the database is back.
   * @default 2
   */
  readonly maxReconnectDelaySeconds?: number;
}

/** A change, as announced on {@link CHANGES_CHANNEL}. */
export interface ChangeNotice {
  /** Session id. */
  readonly s: string;
  /** What changed: findings appended, a finding fixed, the session updated, replaced or deleted. */
  readonly k: 'findings' | 'fixed' | 'session' | 'replaced' | 'deleted';
  /** The session's version after the change. */
  readonly v: number;
  /** For `findings`: the sequence numbers added, first to last. */
  readonly from?: number;
  readonly to?: number;
  /** For `fixed`: the finding. */
  readonly f?: string;
}

// One INSERT per this many findings: large enough that a 10,000-finding batch is one statement.
const INSERT_CHUNK = 10_000;

/** The session size at which the findings table's statistics are first refreshed (then at each doubling). */
export const ANALYZE_FIRST = 10_000;

/** True when growing from `before` to `after` findings reaches ANALYZE_FIRST × 2^k (k ≥ 0) for some k. */
export function crossesDoubling(before: number, after: number): boolean {
  if (after < ANALYZE_FIRST) return false;
  let mark = ANALYZE_FIRST;
  while (mark <= before) mark *= 2;
  return after >= mark;
}

/** Jittered exponential delays (seconds) from 50 ms, capped: every replica retries soon after the database returns, not in step. */
function reconnectDelay(maxSeconds: number): (attempt: number) => number {
  return (attempt) => (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** attempt, maxSeconds);
}

const INT8 = { to: 20, from: [20], serialize: (n: number | bigint | string) => String(n), parse: (s: string) => Number(s) };

/** Sessions, findings and repository history in PostgreSQL (≥ 14). */
export class PostgresStorage implements SessionStorage {
  /** The database URL without its password. */
  readonly location: string;
  /** Queries run in SQL. */
  readonly queriesInMemory = false;
  /** What the migrations did on open. */
  readonly migration: MigrationOutcome | undefined;
  readonly #sql: Sql<{ int8: number }>;
  readonly #contextOptions: PostgresStorageOptions['context'];
  readonly #totals: KeptTotals;
  readonly #appends: AppendQueue;
  // A refresh of the table's statistics is running / is asked for after it.
  #analyzing = false;
  #analyzeAgain = false;
  #closed = false;

  private constructor(sql: Sql<{ int8: number }>, location: string, migration: MigrationOutcome | undefined, options: PostgresStorageOptions) {
    this.#sql = sql;
    this.#totals = new KeptTotals(sql);
    this.location = location;
    this.migration = migration;
    this.#contextOptions = options.context;
    this.#appends = new AppendQueue(
      sql,
      async (err, sessionId, ids) => (isDuplicateId(err) ? this.#run(() => this.#duplicateIds(sessionId, ids)) : storageErrorOf(err, this.location)),
      (err) => storageErrorOf(err, this.location) instanceof StorageUnavailableError,
    );
  }

  /**
   * Connects, checks the schema and migrates it. Throws a StorageError for a
   * malformed URL, a refused login, a missing database or a newer schema, and
   * a StorageUnavailableError when the server cannot be reached; no message
   * contains the password.
   */
  static async open(url: string, options: PostgresStorageOptions = {}): Promise<PostgresStorage> {
    const { redacted } = parseConnectionUrl(url);
    const maxDelay = options.maxReconnectDelaySeconds ?? 2;
    // Not finite, or past what a timer holds, would make every reconnect immediate: a storm against a database coming up.
    if (!Number.isFinite(maxDelay) || maxDelay < 0.05 || maxDelay > 3600) {
      throw new ValidationError([{ code: 'too_small', path: ['maxReconnectDelaySeconds'], message: 'must be a number of seconds from 0.05 to 3600' }], 'PostgresStorage.open');
    }
    const sql = postgres(url, {
      max: options.maxConnections ?? 10,
      connect_timeout: options.connectTimeoutSeconds ?? 10,
      backoff: reconnectDelay(maxDelay),
      onnotice: () => undefined,
      types: { int8: INT8 },
      // A query stuck on a half-open connection must fail (and answer 503), not hang the session's readers.
      // Plans made for the values given: a plan made once for any value (PostgreSQL's choice after five runs of a
      // statement) takes "seq > $2" for a third of the session and scans all of it, where the values given (a
      // catch-up of the last hundred findings) read a hundred rows from the index: 214 ms against 0.4 ms measured.
      connection: { application_name: 'fleetkit', statement_timeout: 60_000, idle_in_transaction_session_timeout: 60_000, plan_cache_mode: 'force_custom_plan' },
    });
    try {
      const outcome = options.migrate === false ? undefined : await migrate(sql);
      return new PostgresStorage(sql, redacted, outcome, options);
    } catch (err) {
      await sql.end({ timeout: 1 }).catch(() => undefined);
      if (err instanceof NewerSchemaError) throw new StorageError(redacted, err.message);
      throw storageErrorOf(err, redacted);
    }
  }

  /** The client, for notifications and tests; queries on it are the caller's. */
  get sql(): Sql<{ int8: number }> {
    return this.#sql;
  }

  async saveSession(ctx: Context): Promise<void> {
    const docs = sessionDocuments(ctx);
    const all = ctx.findings.all();
    await this.#run(async () => {
      const version = await this.#sql.begin(async (tx) => {
        const [row] = await tx<{ version: number }[]>`
          INSERT INTO fleetkit_sessions (session_id, repo_name, repo_path, started_at, completed_at, bots, executions, data, last_seq, version)
          VALUES (${ctx.sessionId}, ${ctx.repoName}, ${ctx.repoPath}, ${ctx.startedAt}, ${docs.completedAt}, ${docs.bots}::text::json, ${docs.executions}::text::json, ${docs.data}::text::json, ${all.length}, 1)
          ON CONFLICT (session_id) DO UPDATE SET
            repo_name = excluded.repo_name, repo_path = excluded.repo_path, started_at = excluded.started_at, completed_at = excluded.completed_at,
            bots = excluded.bots, executions = excluded.executions, data = excluded.data, last_seq = excluded.last_seq,
            version = fleetkit_sessions.version + 1, generation = nextval('fleetkit_generation'), modified_at = clock_timestamp()
          RETURNING version`;
        await tx`DELETE FROM fleetkit_findings WHERE session_id = ${ctx.sessionId}`;
        await tx`DELETE FROM fleetkit_batches WHERE session_id = ${ctx.sessionId}`;
        for (let i = 0; i < all.length; i += INSERT_CHUNK) {
          const chunk = all.slice(i, i + INSERT_CHUNK);
          await insertFindings(tx, ctx.sessionId, i + 1, arrayLiterals([columnBodies(chunk)], [chunk.length]));
        }
        await notify(tx, { s: ctx.sessionId, k: 'replaced', v: row!.version });
        return row!.version;
      });
      return version;
    });
    this.#grown(0, all.length);
  }

  async loadSession(sessionId: string, options: LoadOptions = {}): Promise<Context> {
    const withFindings = options.findings !== false;
    const { row, findings } = await this.#run(() =>
      this.#sql.begin('isolation level repeatable read read only', async (tx) => {
        const [r] = await tx.unsafe<SessionRow[]>(`SELECT ${SESSION_COLUMNS} FROM fleetkit_sessions WHERE session_id = $1`, [sessionId]);
        if (r === undefined) throw new NotFoundError('session', sessionId);
        if (!withFindings) return { row: r, findings: [] };
        const rows = await tx.unsafe<FindingRow[]>(`SELECT ${FINDING_COLUMNS} FROM fleetkit_findings WHERE session_id = $1 ORDER BY seq`, [sessionId]);
        return { row: r, findings: rows.map(rowToInput) };
      }),
    );
    return contextOf(row, findings, this.#contextOptions, `${this.location} session ${sessionId}`);
  }

  async hasSession(sessionId: string): Promise<boolean> {
    const rows = await this.#run(() => this.#sql`SELECT 1 FROM fleetkit_sessions WHERE session_id = ${sessionId}`);
    return rows.length > 0;
  }

  async deleteSession(sessionId: string): Promise<boolean> {
    return this.#run(() =>
      this.#sql.begin(async (tx) => {
        const rows = await tx`DELETE FROM fleetkit_sessions WHERE session_id = ${sessionId} RETURNING session_id`;
        if (rows.length > 0) await notify(tx, { s: sessionId, k: 'deleted', v: 0 });
        return rows.length > 0;
      }),
    );
  }

  async listSessions(filter: { readonly repo?: string } = {}): Promise<SessionListing[]> {
    const rows = await this.#run(
      () => this.#sql<{ session_id: string; repo_name: string; modified_at: Date; last_seq: number }[]>`
        SELECT session_id, repo_name, modified_at, last_seq FROM fleetkit_sessions
        ${filter.repo === undefined ? this.#sql`` : this.#sql`WHERE repo_name = ${filter.repo}`}`,
    );
    // Sorted here, not by the database's collation, so both storages list in the same order.
    return rows
      .map((r) => ({ sessionId: r.session_id, repoName: r.repo_name, modifiedAt: r.modified_at.toISOString(), findingsCount: r.last_seq }))
      .sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt) || a.sessionId.localeCompare(b.sessionId));
  }

  async listRepos(): Promise<string[]> {
    const rows = await this.#run(
      () => this.#sql<{ repo_name: string }[]>`SELECT repo_name FROM fleetkit_sessions UNION SELECT repo_name FROM fleetkit_repo_states`,
    );
    return rows.map((r) => r.repo_name).sort();
  }

  appendFindings(sessionId: string, findings: readonly (Finding | FindingInput)[], options: AppendOptions = {}): Promise<AppendResult> {
    // Not async: nothing here outlives the call but the queued batch (its rows' text), so the
    // findings given and made are garbage while the batch waits for its turn (see AppendQueue).
    try {
      const key = options.idempotencyKey === undefined ? undefined : checkIdempotencyKey(options.idempotencyKey);
      const fingerprint = key === undefined ? '' : batchFingerprint(findings);
      // Validated (and given ids and times) by the library, all or nothing, before any SQL runs.
      const accepted = new FindingSet().addAll(findings);
      return this.#appends.add(sessionId, { findings: accepted, key, fingerprint }).then((result) => {
        if (!result.replayed) this.#grown(result.firstSeq - 1, result.lastSeq);
        return result;
      });
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  async updateSession<T>(sessionId: string, change: (session: Context) => T): Promise<T> {
    // The result is boxed: sql.begin would await a returned array of promises.
    const box = await this.#run(() =>
      this.#sql.begin(async (tx) => {
        const [row] = await tx.unsafe<SessionRow[]>(`SELECT ${SESSION_COLUMNS} FROM fleetkit_sessions WHERE session_id = $1 FOR UPDATE`, [sessionId]);
        if (row === undefined) throw new NotFoundError('session', sessionId);
        // The session without its findings: lifecycle changes need its bots, executions and data only.
        const ctx = contextOf(row, [], this.#contextOptions, `${this.location} session ${sessionId}`);
        const before = ctx.version;
        const result = change(ctx);
        if (ctx.version === before) return { result };
        const d = sessionDocuments(ctx);
        const [s] = await tx<{ version: number }[]>`
          UPDATE fleetkit_sessions SET bots = ${d.bots}::text::json, executions = ${d.executions}::text::json, data = ${d.data}::text::json,
            completed_at = ${d.completedAt}, version = version + 1, modified_at = clock_timestamp()
          WHERE session_id = ${sessionId} RETURNING version`;
        await notify(tx, { s: sessionId, k: 'session', v: s!.version });
        return { result };
      }),
    );
    return box.result;
  }

  async markFixed(sessionId: string, findingId: string): Promise<boolean> {
    return this.#run(() =>
      this.#sql.begin(async (tx) => {
        // The session row first, as every other writer takes it (saveSession, deleteSession): one lock order, no deadlock.
        const session = await tx`SELECT 1 FROM fleetkit_sessions WHERE session_id = ${sessionId} FOR NO KEY UPDATE`;
        if (session.length === 0) throw new NotFoundError('session', sessionId);
        const fixed = await tx`UPDATE fleetkit_findings SET fixed = true WHERE session_id = ${sessionId} AND id = ${findingId} AND NOT fixed RETURNING seq`;
        if (fixed.length === 0) {
          const exists = await tx`SELECT 1 FROM fleetkit_findings WHERE session_id = ${sessionId} AND id = ${findingId}`;
          if (exists.length === 0) throw new NotFoundError('finding', findingId);
          return false;
        }
        const [s] = await tx<{ version: number }[]>`
          UPDATE fleetkit_sessions SET version = version + 1, fixes = fixes + 1, modified_at = clock_timestamp() WHERE session_id = ${sessionId} RETURNING version`;
        await notify(tx, { s: sessionId, k: 'fixed', v: s!.version, f: findingId });
        return true;
      }),
    );
  }

  async queryFindings(sessionId: string, filters: FindingFilters, page: FindingPageRequest): Promise<StoredFindingPage> {
    const q = checkFindingQuery(filters, page);
    const after = q.page.afterSeq ?? 0;
    return this.#run(async () => {
      // Only a tier filter needs the session's bots (a tier is a set of bot ids).
      const bots = q.filters.tier === undefined ? [] : await this.#botsOf(sessionId);
      const where = filterSql(this.#sql, sessionId, q.filters, bots);
      // One statement, so one snapshot: the page and the session's last sequence number agree.
      const rows = await this.#sql<(FindingRow & SessionMarks)[]>`
        SELECT s.last_seq AS session_last_seq, s.generation AS session_generation, s.fixes AS session_fixes, f.*
        FROM fleetkit_sessions s
        LEFT JOIN LATERAL (
          SELECT ${this.#sql.unsafe(FINDING_COLUMNS)} FROM fleetkit_findings
          WHERE ${where} AND seq > ${after} ORDER BY seq LIMIT ${q.page.limit + 1}
        ) f ON true
        WHERE s.session_id = ${sessionId}`;
      const head = rows[0];
      if (head === undefined) throw new NotFoundError('session', sessionId);
      const found = head.seq === null ? [] : rows;
      const more = found.length > q.page.limit;
      const shown = more ? found.slice(0, q.page.limit) : found;
      return {
        items: shown.map((r) => createFinding(rowToInput(r))),
        seqs: shown.map((r) => r.seq),
        more,
        // Sequence numbers have no gaps: with no filter the count is the last one (no scan, which every catch-up would pay).
        total: isUnfiltered(q.filters) ? head.session_last_seq : await this.#totals.total(sessionId, head, q.filters, bots, where),
        lastSeq: head.session_last_seq,
      };
    });
  }

  async tallyFindings(sessionId: string, filters: FindingFilters, range?: TallyRange): Promise<FindingTally> {
    const q = checkTallyQuery(filters, range);
    const afterSeq = q.range.afterSeq ?? 0;
    return this.#run(async () => {
      let through = q.range.throughSeq;
      let last: number | undefined;
      if (through === undefined) {
        // Counted up to the last sequence number read first, not "seq > n" alone: the planner judges a range by
        // the sequence numbers of every session, so "the last 300 of this one" looks like half the table and
        // gets a scan of all of it (measured: 440 ms), where both bounds read those 300 rows from the index.
        const [s] = await this.#sql<{ last_seq: number }[]>`SELECT last_seq FROM fleetkit_sessions WHERE session_id = ${sessionId}`;
        if (s === undefined) throw new NotFoundError('session', sessionId);
        if (s.last_seq <= afterSeq) return { groups: [], lastSeq: s.last_seq };
        through = last = s.last_seq;
      }
      const bots = q.filters.tier === undefined ? [] : await this.#botsOf(sessionId);
      const where = filterSql(this.#sql, sessionId, q.filters, bots);
      // One statement, so the counts and the session's last sequence number agree.
      const rows = await this.#sql<{ session_last_seq: number; severity: Severity | null; source: string; fixed: boolean; n: number }[]>`
        SELECT s.last_seq AS session_last_seq, g.severity, g.source, g.fixed, g.n
        FROM fleetkit_sessions s
        LEFT JOIN LATERAL (
          SELECT severity, source, fixed, count(*)::int8 AS n FROM fleetkit_findings
          WHERE ${where} AND seq > ${afterSeq} AND seq <= ${through}
          GROUP BY severity, source, fixed
        ) g ON true
        WHERE s.session_id = ${sessionId}`;
      const head = rows[0];
      if (head === undefined) throw new NotFoundError('session', sessionId);
      const groups = head.severity === null ? [] : rows.map((r) => ({ severity: r.severity!, source: r.source, fixed: r.fixed, count: r.n }));
      // Without a bound given, the tally covers the range up to the last sequence number read: that one is the answer.
      return { groups, lastSeq: last ?? head.session_last_seq };
    });
  }

  async getFinding(sessionId: string, findingId: string): Promise<Finding | undefined> {
    return this.#run(async () => {
      const rows = await this.#sql<(FindingRow & { here: boolean })[]>`
        SELECT f.seq IS NOT NULL AS here, f.*
        FROM fleetkit_sessions s
        LEFT JOIN LATERAL (SELECT ${this.#sql.unsafe(FINDING_COLUMNS)} FROM fleetkit_findings WHERE session_id = ${sessionId} AND id = ${findingId}) f ON true
        WHERE s.session_id = ${sessionId}`;
      const r = rows[0];
      if (r === undefined) throw new NotFoundError('session', sessionId);
      return r.here ? createFinding(rowToInput(r)) : undefined;
    });
  }


  async #botsOf(sessionId: string): Promise<SessionRow['bots']> {
    const [s] = await this.#sql<{ bots: SessionRow['bots'] }[]>`SELECT bots FROM fleetkit_sessions WHERE session_id = ${sessionId}`;
    if (s === undefined) throw new NotFoundError('session', sessionId);
    return s.bots;
  }

  async loadRepoState(repoName: string): Promise<RepoState | undefined> {
    const [row] = await this.#run(() => this.#sql<{ state: unknown }[]>`SELECT state FROM fleetkit_repo_states WHERE repo_name = ${repoName}`);
    return row === undefined ? undefined : checkRepoState(row.state, `${this.location} repository ${repoName}`);
  }

  async saveRepoState(state: RepoState): Promise<void> {
    const valid = checkRepoState(state, 'saveRepoState');
    await this.#run(
      () => this.#sql`
        INSERT INTO fleetkit_repo_states (repo_name, state) VALUES (${valid.repoName}, ${JSON.stringify(valid)}::text::json)
        ON CONFLICT (repo_name) DO UPDATE SET state = excluded.state, updated_at = clock_timestamp()`,
    );
  }

  async recordSession(ctx: Context): Promise<RepoState> {
    await this.saveSession(ctx);
    return this.addToHistory(ctx);
  }

  async addToHistory(ctx: Context, options: HistoryOptions = {}): Promise<RepoState> {
    return this.#run(() =>
      this.#sql.begin(async (tx) => {
        // One writer per repository at a time, on every host: the history is read, extended and written back.
        await tx`SELECT pg_advisory_xact_lock(hashtextextended(${`fleetkit-repo:${ctx.repoName}`}, 0))`;
        const [row] = await tx<{ state: unknown }[]>`SELECT state FROM fleetkit_repo_states WHERE repo_name = ${ctx.repoName}`;
        const prev = row === undefined ? undefined : checkRepoState(row.state, `${this.location} repository ${ctx.repoName}`);
        if (options.once === true && prev !== undefined && foldedInto(prev, ctx)) return prev;
        const next = updateRepoState(prev, ctx);
        await tx`
          INSERT INTO fleetkit_repo_states (repo_name, state) VALUES (${next.repoName}, ${JSON.stringify(next)}::text::json)
          ON CONFLICT (repo_name) DO UPDATE SET state = excluded.state, updated_at = clock_timestamp()`;
        return next;
      }),
    );
  }

  async cleanupSessions(keep: number): Promise<string[]> {
    if (!Number.isInteger(keep) || keep < 0) {
      throw new ValidationError([{ code: 'too_small', path: ['keep'], message: 'must be an integer ≥ 0' }], 'cleanupSessions');
    }
    const rows = await this.#run(
      () => this.#sql<{ session_id: string }[]>`
        WITH deleted AS (
          DELETE FROM fleetkit_sessions WHERE session_id IN (
            SELECT session_id FROM (
              SELECT session_id, row_number() OVER (PARTITION BY repo_name ORDER BY modified_at DESC, session_id) AS rank FROM fleetkit_sessions
            ) ranked WHERE rank > ${keep}
          ) RETURNING session_id
        )
        SELECT session_id, pg_notify(${CHANGES_CHANNEL}, json_build_object('s', session_id, 'k', 'deleted', 'v', 0)::text) FROM deleted`,
    );
    return rows.map((r) => r.session_id);
  }

  async watch(listener: (event: StorageEvent) => void): Promise<() => Promise<void>> {
    let listening = false;
    const sub = await this.#run(() =>
      this.#sql.listen(
        CHANGES_CHANNEL,
        (payload) => {
          const change = changeOf(payload);
          if (change !== undefined) listener(change);
        },
        () => {
          // Called on every (re)connect of the listening connection: after the first, notices may have been missed.
          if (listening) listener({ kind: 'resync' });
          listening = true;
        },
      ),
    );
    return async () => {
      await sub.unlisten().catch(() => undefined);
    };
  }

  async probe(): Promise<void> {
    await this.#run(() => this.#sql`SELECT 1 FROM fleetkit_schema_migrations LIMIT 1`);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#sql.end({ timeout: 5 });
  }

  /**
   * Refreshes the table's statistics in the background when a session grows
   * from `before` to `after` findings past {@link ANALYZE_FIRST} or a doubling
   * of it. Autovacuum would, but up to a minute later, and until then a grown
   * session is planned as a small one (an index walked for a handful of rows
   * becomes a sort of 100,000). Doublings refresh them as a session grows, for
   * a number of ANALYZEs that grows with the logarithm of its size, and only
   * the replica whose append crosses one runs it; a crossing met while one
   * runs asks for one more after it.
   */
  #grown(before: number, after: number): void {
    if (!crossesDoubling(before, after)) return;
    if (this.#analyzing) this.#analyzeAgain = true;
    else this.#analyze();
  }

  #analyze(): void {
    if (this.#closed) return;
    this.#analyzing = true;
    void this.#sql`ANALYZE fleetkit_findings`
      .catch(() => undefined) // not the table's owner, or the database going away: autovacuum remains
      .finally(() => {
        this.#analyzing = false;
        if (this.#analyzeAgain) {
          this.#analyzeAgain = false;
          this.#analyze();
        }
      });
  }

  /** A ValidationError naming each finding of the batch whose id the session already holds. */
  async #duplicateIds(sessionId: string, ids: readonly string[]): Promise<ValidationError> {
    const rows = await this.#sql<{ id: string }[]>`SELECT id FROM fleetkit_findings WHERE session_id = ${sessionId} AND id = ANY(${this.#sql.array(ids as string[], 25)}::text[])`;
    const taken = new Set(rows.map((r) => r.id));
    const issues = ids.flatMap((id, i) =>
      taken.has(id) ? [{ code: 'duplicate_id', path: ['findings', i, 'id'], message: `a finding with id "${id}" is already in the set` }] : [],
    );
    return new ValidationError(issues.length > 0 ? issues : [{ code: 'duplicate_id', path: ['findings'], message: 'a finding id is already in the session' }], 'addFindings');
  }

  async #run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw storageErrorOf(err, this.location);
    }
  }
}

const KINDS: ReadonlySet<string> = new Set(['findings', 'fixed', 'session', 'replaced', 'deleted']);

/** The change a notification describes; undefined for a payload this version does not know (ignored, never fatal). */
function changeOf(payload: string): StorageChange | undefined {
  let n: Partial<ChangeNotice>;
  try {
    n = JSON.parse(payload) as Partial<ChangeNotice>;
  } catch {
    return undefined;
  }
  if (typeof n.s !== 'string' || typeof n.k !== 'string' || !KINDS.has(n.k)) return undefined;
  return {
    sessionId: n.s,
    kind: n.k,
    ...(typeof n.from === 'number' && typeof n.to === 'number' ? { fromSeq: n.from, toSeq: n.to } : {}),
    ...(typeof n.f === 'string' ? { findingId: n.f } : {}),
  };
}

function checkRepoState(value: unknown, source: string): RepoState {
  const r = RepoStateSchema.safeParse(value);
  if (r.success) return r.data as RepoState;
  throw new ValidationError(
    r.error.issues.map((i) => ({ code: i.code, path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message })),
    source,
  );
}

/** Inserts findings given as the array literals of their columns ({@link arrayLiterals}), numbered from `firstSeq`. */
async function insertFindings(tx: TransactionSql<{ int8: number }>, sessionId: string, firstSeq: number, a: readonly string[]): Promise<void> {
  const [id, source, ruleId, ruleName, severity, message, category, file, line, col, element, suggestion, fixable, fixed, createdAt, related, metadata, recipeId, confidence, exact] = a;
  await tx`
    INSERT INTO fleetkit_findings (session_id, seq, id, source, rule_id, rule_name, severity, message, category, file, line, col, element, suggestion,
      fixable, fixed, created_at, related, metadata, recipe_id, confidence, exact)
    SELECT ${sessionId}, ${firstSeq}::int8 + u.ord - 1, u.id, u.source, u.rule_id, u.rule_name, u.severity, u.message, u.category, u.file,
      u.line::int8, u.col::int8, u.element, u.suggestion, u.fixable::boolean, u.fixed::boolean, u.created_at, u.related::jsonb, u.metadata::jsonb,
      u.recipe_id, u.confidence::float8, u.exact
    FROM unnest(${id!}::text[], ${source!}::text[], ${ruleId!}::text[], ${ruleName!}::text[], ${severity!}::text[],
      ${message!}::text[], ${category!}::text[], ${file!}::text[], ${line!}::text[], ${col!}::text[], ${element!}::text[],
      ${suggestion!}::text[], ${fixable!}::text[], ${fixed!}::text[], ${createdAt!}::text[], ${related!}::text[],
      ${metadata!}::text[], ${recipeId!}::text[], ${confidence!}::text[], ${exact!}::text[])
      WITH ORDINALITY AS u(id, source, rule_id, rule_name, severity, message, category, file, line, col, element, suggestion,
        fixable, fixed, created_at, related, metadata, recipe_id, confidence, exact, ord)`;
}

// NOTIFY payloads must stay under 8000 bytes.
const MAX_NOTICE = 7900;

async function notify(tx: TransactionSql<{ int8: number }>, notice: ChangeNotice): Promise<void> {
  let text = JSON.stringify(notice);
  // A notice too long to send in full (a huge finding id) becomes "read the session again".
  if (Buffer.byteLength(text) > MAX_NOTICE) text = JSON.stringify({ s: notice.s, k: 'replaced', v: notice.v });
  if (Buffer.byteLength(text) > MAX_NOTICE) return;
  // Delivered at commit, and only if the transaction commits.
  await tx`SELECT pg_notify(${CHANGES_CHANNEL}, ${text})`;
}
