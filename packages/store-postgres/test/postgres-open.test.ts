/**
 * Opening a PostgreSQL storage: migrations once under a lock, and every way
 * a URL can be wrong answered with a clear error that never shows the password.
 */
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { Context, StorageError, StorageUnavailableError } from '@fleetkit/shared-context';
import { MIGRATIONS, PostgresStorage, SCHEMA_VERSION, openStorage, parseConnectionUrl, redactUrl } from '../src/index.js';
import { migrate } from '../src/migrations.js';
import { testServer } from './support/storages.js';

const server = testServer();
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of closers) await c();
});

async function open(url: string): Promise<PostgresStorage> {
  const s = await PostgresStorage.open(url, { connectTimeoutSeconds: 3 });
  closers.push(() => s.close());
  return s;
}

function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = password;
  return u.toString();
}

async function failure(url: string): Promise<Error> {
  const err = await PostgresStorage.open(url, { connectTimeoutSeconds: 3 }).then(
    async (s) => {
      await s.close();
      throw new Error('opened');
    },
    (e: unknown) => e as Error,
  );
  expect(err).toBeInstanceOf(Error);
  return err;
}

describe('PostgresStorage.open', () => {
  it('migrates a new database once, even when replicas open it together', async () => {
    const url = await server.createDatabase();
    const replicas = await Promise.all(Array.from({ length: 4 }, () => open(url)));
    const applied = replicas.map((r) => r.migration?.applied ?? []);
    expect(applied.filter((a) => a.length > 0)).toEqual([MIGRATIONS.map((m) => m.version)]);
    const later = await open(url);
    expect(later.migration).toEqual({ applied: [], from: SCHEMA_VERSION });
  });

  it('upgrades a database of schema 3 holding findings, and keeps its totals exact from there', async () => {
    const url = await server.createDatabase();
    const sql = postgres(url, { max: 1, onnotice: () => undefined });
    try {
      await migrate(sql, MIGRATIONS.filter((m) => m.version <= 3));
      // A session as schema 3 holds it: three findings, one fixed.
      await sql`INSERT INTO fleetkit_sessions (session_id, repo_name, repo_path, started_at, bots, executions, data, last_seq, version)
        VALUES ('s-3', 'r', '/r', '2026-12-01T00:00:00.000Z', '[]', '[]', '{}', 3, 1)`;
      for (const [seq, fixed] of [[1, true], [2, false], [3, false]] as const) {
        await sql`INSERT INTO fleetkit_findings (session_id, seq, id, source, rule_id, rule_name, severity, message, category, fixable, fixed, created_at, related, metadata)
          VALUES ('s-3', ${seq}, ${`f-${seq}`}, 'rhodibot', 'r', 'r', 'error', 'm', '', false, ${fixed}, '2026-12-01T00:00:00.000Z', '[]', '{}')`;
      }
    } finally {
      await sql.end();
    }
    const storage = await open(url);
    expect(storage.migration).toEqual({ applied: MIGRATIONS.filter((m) => m.version > 3).map((m) => m.version), from: 3 });
    const fixedTotal = async (): Promise<number> => (await storage.queryFindings('s-3', { fixed: true }, { limit: 1 })).total;
    expect(await fixedTotal()).toBe(1);
    expect(await storage.markFixed('s-3', 'f-2')).toBe(true);
    expect(await fixedTotal()).toBe(2);
    // Stored whole again with the fixes the other way round: as many findings, other counts.
    const again = await storage.loadSession('s-3');
    const flipped = new Context(again.repoName, again.repoPath, { sessionId: 's-3' });
    flipped.addFindings(again.findings.all().map((f) => ({ ...f, fixed: !f.fixed })));
    await storage.saveSession(flipped);
    expect(await fixedTotal()).toBe(1);
  });

  it('plans its statements for the values given, and the append function as PostgreSQL chooses', async () => {
    // A plan made for any value reads a whole session where a catch-up needs its last rows (see PostgresStorage.open).
    const storage = await open(await server.createDatabase());
    const [mode] = await storage.sql<{ plan_cache_mode: string }[]>`SHOW plan_cache_mode`;
    expect(mode?.plan_cache_mode).toBe('force_custom_plan');
    const [fn] = await storage.sql<{ proconfig: string[] | null }[]>`SELECT proconfig FROM pg_proc WHERE proname = 'fleetkit_append'`;
    expect(fn?.proconfig).toEqual(['plan_cache_mode=auto']);
  });

  it('refuses a database whose schema is newer, naming both versions', async () => {
    const url = await server.createDatabase();
    await open(url);
    const sql = postgres(url, { max: 1, onnotice: () => undefined });
    await sql`INSERT INTO fleetkit_schema_migrations (version, name) VALUES (${SCHEMA_VERSION + 1}, 'from the future')`;
    await sql.end();
    const err = await failure(url);
    expect(err).toBeInstanceOf(StorageError);
    expect(err.message).toMatch(new RegExp(`version ${SCHEMA_VERSION + 1}, newer than this fleetkit understands \\(${SCHEMA_VERSION}\\)`));
  });

  it('says a wrong password was refused, without printing any password', async () => {
    const url = withPassword(server.url, 'not-the-Secret-9');
    const err = await failure(url);
    expect(err).toBeInstanceOf(StorageError);
    expect(err).not.toBeInstanceOf(StorageUnavailableError);
    expect(err.message).toMatch(/refused the login: wrong user name or password/);
    expect(err.message).not.toContain('not-the-Secret-9');
    expect(err.message).not.toContain(server.password);
    expect(err.message).toContain('***');
  });

  it('says a database does not exist', async () => {
    const u = new URL(server.url);
    u.pathname = '/no_such_database';
    const err = await failure(u.toString());
    expect(err).toBeInstanceOf(StorageError);
    expect(err.message).toMatch(/does not exist/);
    expect(err.message).not.toContain(server.password);
  });

  it('says a server that cannot be reached is unavailable', async () => {
    const u = new URL(server.url);
    u.port = '1';
    const err = await failure(u.toString());
    expect(err).toBeInstanceOf(StorageUnavailableError);
    expect(err.message).toMatch(/unavailable/);
    expect(err.message).not.toContain(server.password);
  });

  it('refuses a reconnect delay that would make reconnects immediate', async () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e7]) {
      await expect(PostgresStorage.open(server.url, { maxReconnectDelaySeconds: bad })).rejects.toThrow(/maxReconnectDelaySeconds/);
    }
  });

  it('refuses malformed URLs before connecting, naming what is wrong', () => {
    const cases: Array<[string, RegExp]> = [
      ['mysql://u:pw@h/db', /must start with postgres:\/\//],
      ['postgres://u:pw@h:99999/db', /malformed/],
      ['postgres://u:pw@h:5432', /names no database/],
      ['postgres://u:pw@h:5432/', /names no database/],
      ['postgres://', /malformed|names no host/],
      ['postgres://u:pw/x@h:5432/db', /must be percent-encoded/],
      ['postgres://u:123/pw@host/db', /must be percent-encoded/],
    ];
    for (const [url, why] of cases) {
      let err: unknown;
      try {
        parseConnectionUrl(url);
      } catch (e) {
        err = e;
      }
      expect(err, url).toBeInstanceOf(StorageError);
      expect((err as Error).message, url).toMatch(why);
      expect((err as Error).message, url).not.toMatch(/:pw|pw\/x|123\/pw/);
    }
  });

  it('refuses a URL of a scheme it does not know instead of taking it for a directory', async () => {
    const err = await openStorage('mysql://u:Hidden-9@h/db').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as Error).message).toMatch(/"mysql:\/\/" is not a storage fleetkit knows/);
    expect((err as Error).message).not.toContain('Hidden-9');
  });

  it('redacts passwords in URLs and in text that only looks like one', () => {
    expect(redactUrl('postgres://u:s3cret@h:5/db')).toBe('postgres://u:***@h:5/db');
    expect(redactUrl('postgres://u@h/db?password=s3cret')).toBe('postgres://u@h/db?password=***');
    expect(redactUrl('postgres://u:s3cret@h:99999/db')).not.toContain('s3cret');
    expect(redactUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
    expect(redactUrl('postgres://u:pa/ss@host:5432/db')).toBe('postgres://u:***@host:5432/db');
    expect(redactUrl('postgres://u:1/2@3@host/db')).toBe('postgres://u:***@host/db');
  });
});
