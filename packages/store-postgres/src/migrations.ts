/**
 * The database schema, as numbered migrations applied in order. Every
 * replica migrates on start inside one transaction holding an advisory lock,
 * so replicas starting together migrate once and the others wait, then see
 * the schema done. A database migrated by a newer fleetkit is refused rather
 * than used half-understood.
 */
import type { Sql } from 'postgres';

/** One schema change. Never edit a released migration: add the next one. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions, findings, keyed batches, repository states',
    sql: `
      CREATE TABLE fleetkit_sessions (
        session_id   text PRIMARY KEY,
        repo_name    text NOT NULL,
        repo_path    text NOT NULL,
        started_at   text NOT NULL,
        completed_at text,
        -- Small documents rewritten on lifecycle changes; json (not jsonb) keeps them exactly as written.
        bots         json NOT NULL,
        executions   json NOT NULL,
        data         json NOT NULL,
        -- Sequence number of the session's last finding; appends take the next numbers under this row's lock.
        last_seq     bigint NOT NULL DEFAULT 0,
        -- Bumped by every change (findings, fixes, lifecycle), so caches of counts know when to drop.
        version      bigint NOT NULL DEFAULT 0,
        modified_at  timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX fleetkit_sessions_repo ON fleetkit_sessions (repo_name, modified_at DESC);

      CREATE TABLE fleetkit_findings (
        session_id  text NOT NULL REFERENCES fleetkit_sessions (session_id) ON DELETE CASCADE,
        seq         bigint NOT NULL,
        id          text NOT NULL,
        source      text NOT NULL,
        rule_id     text NOT NULL,
        rule_name   text NOT NULL,
        severity    text NOT NULL,
        message     text NOT NULL,
        category    text NOT NULL,
        file        text,
        line        bigint,
        col         bigint,
        element     text,
        suggestion  text,
        fixable     boolean NOT NULL,
        fixed       boolean NOT NULL,
        created_at  text NOT NULL,
        related     jsonb NOT NULL,
        metadata    jsonb NOT NULL,
        recipe_id   text,
        confidence  double precision,
        -- The finding as JSON when the columns cannot hold it exactly (a NUL
        -- character, a lone surrogate, metadata keys in an order jsonb does
        -- not keep); the columns then hold a close copy for filtering.
        exact       text,
        PRIMARY KEY (session_id, seq)
      );
      CREATE UNIQUE INDEX fleetkit_findings_id ON fleetkit_findings (session_id, id);
      CREATE INDEX fleetkit_findings_source ON fleetkit_findings (session_id, source, seq);
      CREATE INDEX fleetkit_findings_severity ON fleetkit_findings (session_id, severity, seq);
      CREATE INDEX fleetkit_findings_category ON fleetkit_findings (session_id, category, seq);
      -- Sessions grow by tens of thousands of rows in seconds: statistics must follow, or the
      -- planner takes a 100,000-finding session for a handful of rows and sorts instead of walking an index.
      ALTER TABLE fleetkit_findings SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 2000, autovacuum_vacuum_insert_scale_factor = 0.05);

      CREATE TABLE fleetkit_batches (
        session_id  text NOT NULL REFERENCES fleetkit_sessions (session_id) ON DELETE CASCADE,
        idem_key    text NOT NULL,
        fingerprint text NOT NULL,
        first_seq   bigint NOT NULL,
        added       integer NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (session_id, idem_key)
      );

      CREATE TABLE fleetkit_repo_states (
        repo_name  text PRIMARY KEY,
        state      json NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
    `,
  },
  {
    version: 2,
    name: 'appends in one call: fleetkit_append',
    // One round trip per group of batches: the session row's lock (which orders
    // appends) is then held for the server's own work, never across a round
    // trip to a busy client. Every batch of the group gets its key claimed (or
    // is answered as a replay), its sequence range, and its rows, in order.
    sql: `
      CREATE FUNCTION fleetkit_append(
        p_session text, p_keys text[], p_fingerprints text[], p_counts integer[], p_batch integer[],
        p_id text[], p_source text[], p_rule_id text[], p_rule_name text[], p_severity text[], p_message text[],
        p_category text[], p_file text[], p_line text[], p_col text[], p_element text[], p_suggestion text[],
        p_fixable text[], p_fixed text[], p_created_at text[], p_related text[], p_metadata text[],
        p_recipe_id text[], p_confidence text[], p_exact text[]
      ) RETURNS TABLE (batch integer, added integer, first_seq bigint, replayed boolean, fingerprint text)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v_last    bigint;
        v_next    bigint;
        v_version bigint;
        v_keep    boolean[] := '{}';
        v_first   bigint[] := '{}';
        v_start   integer[] := '{}';
        v_row     integer := 1;
        v_claimed integer;
        v_prev    record;
        v_notice  text;
        i         integer;
      BEGIN
        -- Every writer of a session takes its row first: one lock order, no deadlock.
        SELECT s.last_seq INTO v_last FROM fleetkit_sessions s WHERE s.session_id = p_session FOR NO KEY UPDATE;
        IF NOT FOUND THEN
          RETURN;
        END IF;
        v_next := v_last + 1;
        FOR i IN 1 .. coalesce(cardinality(p_counts), 0) LOOP
          v_start := v_start || v_row;
          v_row := v_row + p_counts[i];
          IF p_keys[i] IS NOT NULL THEN
            INSERT INTO fleetkit_batches (session_id, idem_key, fingerprint, first_seq, added)
              VALUES (p_session, p_keys[i], p_fingerprints[i], v_next, p_counts[i])
              ON CONFLICT (session_id, idem_key) DO NOTHING;
            GET DIAGNOSTICS v_claimed = ROW_COUNT;
            IF v_claimed = 0 THEN
              SELECT b.fingerprint, b.first_seq, b.added INTO v_prev FROM fleetkit_batches b WHERE b.session_id = p_session AND b.idem_key = p_keys[i];
              v_keep := v_keep || false;
              v_first := v_first || v_prev.first_seq;
              batch := i; added := v_prev.added; first_seq := v_prev.first_seq; replayed := true; fingerprint := v_prev.fingerprint;
              RETURN NEXT;
              CONTINUE;
            END IF;
          END IF;
          v_keep := v_keep || true;
          v_first := v_first || v_next;
          batch := i; added := p_counts[i]; first_seq := v_next; replayed := false; fingerprint := NULL;
          RETURN NEXT;
          v_next := v_next + p_counts[i];
        END LOOP;
        IF v_next = v_last + 1 THEN
          RETURN;
        END IF;
        INSERT INTO fleetkit_findings (session_id, seq, id, source, rule_id, rule_name, severity, message, category, file, line, col, element, suggestion,
          fixable, fixed, created_at, related, metadata, recipe_id, confidence, exact)
        SELECT p_session, v_first[u.b] + (u.ord - v_start[u.b]), u.id, u.source, u.rule_id, u.rule_name, u.severity, u.message, u.category, u.file,
          u.line::int8, u.col::int8, u.element, u.suggestion, u.fixable::boolean, u.fixed::boolean, u.created_at, u.related::jsonb, u.metadata::jsonb,
          u.recipe_id, u.confidence::float8, u.exact
        FROM unnest(p_batch, p_id, p_source, p_rule_id, p_rule_name, p_severity, p_message, p_category, p_file, p_line, p_col, p_element,
          p_suggestion, p_fixable, p_fixed, p_created_at, p_related, p_metadata, p_recipe_id, p_confidence, p_exact)
          WITH ORDINALITY AS u(b, id, source, rule_id, rule_name, severity, message, category, file, line, col, element, suggestion,
            fixable, fixed, created_at, related, metadata, recipe_id, confidence, exact, ord)
        WHERE v_keep[u.b];
        UPDATE fleetkit_sessions SET last_seq = v_next - 1, version = version + 1, modified_at = clock_timestamp()
          WHERE session_id = p_session RETURNING version INTO v_version;
        -- Delivered at commit. A notice too long to send (a huge session id) is not sent: NOTIFY payloads stay under 8000 bytes.
        v_notice := json_build_object('s', p_session, 'k', 'findings', 'v', v_version, 'from', v_last + 1, 'to', v_next - 1)::text;
        IF octet_length(v_notice) <= 7900 THEN
          PERFORM pg_notify('fleetkit_changes', v_notice);
        END IF;
      END
      $fn$;
    `,
  },
  {
    version: 3,
    name: 'fixed findings indexed for recounts',
    // A replica holding a session as counts recounts its fixed findings when
    // one is fixed: with this index that reads the fixed ones only, not every
    // finding of the session. Partial, so unfixed findings (most) cost nothing.
    sql: `
      CREATE INDEX fleetkit_findings_fixed ON fleetkit_findings (session_id, seq) WHERE fixed;
    `,
  },
  {
    version: 4,
    name: 'counters of what changes findings already stored',
    // Counts of matching findings are kept and brought up to date by counting
    // only the findings appended since, which is exact while the findings
    // counted before are unchanged. Findings are only appended, fixed, or
    // deleted with a session stored whole again or deleted: \`fixes\` counts
    // the session's fixes, and \`generation\` is new whenever its findings
    // are replaced, also for a session deleted and made again under the same
    // id (a sequence, not a counter that starts again at 0). The storage bumps
    // both in the statements that already take the session row's lock.
    //
    // The storage's connections ask for plans made for the values given
    // (plan_cache_mode = force_custom_plan: see PostgresStorage.open); the
    // append function keeps PostgreSQL's own choice, as its statements are
    // planned well once for any batch and replanning them cost ingest about
    // a sixth (measured).
    sql: `
      CREATE SEQUENCE fleetkit_generation;
      ALTER TABLE fleetkit_sessions
        ADD COLUMN generation bigint NOT NULL DEFAULT 0,
        ADD COLUMN fixes bigint NOT NULL DEFAULT 0;
      ALTER TABLE fleetkit_sessions ALTER COLUMN generation SET DEFAULT nextval('fleetkit_generation');

      ALTER FUNCTION fleetkit_append SET plan_cache_mode = auto;
    `,
  },
  {
    version: 5,
    name: 'statistics only of the columns queries filter on',
    // ANALYZE of the findings table runs as sessions grow (see
    // PostgresStorage), and computed statistics of every column: the messages
    // and metadata too, which no query's conditions compare (the search text
    // is matched through functions, which the planner does not estimate from
    // column statistics). Statistics target 0 leaves a column out of ANALYZE,
    // autovacuum's included: about a third of its work, measured. The id column keeps
    // its statistics: lookups by id (one, or a batch's) compare it.
    sql: `
      ALTER TABLE fleetkit_findings
        ALTER COLUMN rule_id SET STATISTICS 0,
        ALTER COLUMN rule_name SET STATISTICS 0,
        ALTER COLUMN message SET STATISTICS 0,
        ALTER COLUMN line SET STATISTICS 0,
        ALTER COLUMN col SET STATISTICS 0,
        ALTER COLUMN element SET STATISTICS 0,
        ALTER COLUMN suggestion SET STATISTICS 0,
        ALTER COLUMN fixable SET STATISTICS 0,
        ALTER COLUMN created_at SET STATISTICS 0,
        ALTER COLUMN related SET STATISTICS 0,
        ALTER COLUMN metadata SET STATISTICS 0,
        ALTER COLUMN recipe_id SET STATISTICS 0,
        ALTER COLUMN confidence SET STATISTICS 0,
        ALTER COLUMN exact SET STATISTICS 0;
    `,
  },
];

/** The schema version this fleetkit writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

// Any fixed 64-bit number: the lock only has to be the same in every replica.
const MIGRATION_LOCK = 0x666c_6565_746bn;

/** What {@link migrate} found and did. */
export interface MigrationOutcome {
  /** Versions applied now (empty when the schema was current). */
  readonly applied: readonly number[];
  /** The database's schema version before. */
  readonly from: number;
}

/** The database's schema is newer than this fleetkit knows. */
export class NewerSchemaError extends Error {
  constructor(readonly found: number) {
    super(`the database's fleetkit schema is version ${found}, newer than this fleetkit understands (${SCHEMA_VERSION}); upgrade fleetkit`);
    this.name = 'NewerSchemaError';
  }
}

/** Applies the migrations the database lacks, once, whatever the number of replicas starting. */
export async function migrate(sql: Sql, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationOutcome> {
  const newest = migrations[migrations.length - 1]?.version ?? 0;
  // A current schema needs no lock and no DDL (so a user who may only read and write can open it).
  const [table] = await sql<{ t: string | null }[]>`SELECT to_regclass('fleetkit_schema_migrations')::text AS t`;
  if (table?.t !== null && table?.t !== undefined) {
    const [row] = await sql<{ v: number | null }[]>`SELECT max(version)::integer AS v FROM fleetkit_schema_migrations`;
    const from = row?.v ?? 0;
    if (from > newest) throw new NewerSchemaError(from);
    if (from === newest) return { applied: [], from };
  }
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK.toString()}::bigint)`;
    await tx`
      CREATE TABLE IF NOT EXISTS fleetkit_schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`;
    const [row] = await tx<{ v: number | null }[]>`SELECT max(version)::integer AS v FROM fleetkit_schema_migrations`;
    const from = row?.v ?? 0;
    if (from > newest) throw new NewerSchemaError(from);
    const applied: number[] = [];
    for (const m of migrations) {
      if (m.version <= from) continue;
      await tx.unsafe(m.sql);
      await tx`INSERT INTO fleetkit_schema_migrations (version, name) VALUES (${m.version}, ${m.name})`;
      applied.push(m.version);
    }
    return { applied, from };
  });
}
