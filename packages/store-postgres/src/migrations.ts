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
