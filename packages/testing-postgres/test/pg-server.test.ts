/**
 * The test server harness against a real PostgreSQL: the tests of every
 * package that uses it rely on it, so it is checked here on its own.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvidedPostgres, TestPostgres } from '../src/index.js';
import { connectToExisting, controllerFor, injectedPostgres, providedValues, startTestPostgres, testPostgres } from '../src/index.js';

const provided: ProvidedPostgres = injectedPostgres();

function client(url: string): postgres.Sql {
  return postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
}

/** Runs `body` with a one-connection client that is always ended. */
async function withClient<T>(url: string, body: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = client(url);
  try {
    return await body(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

describe('the shared test server', () => {
  it('accepts a connection at the provided URL and is PostgreSQL', async () => {
    const rows = await withClient(provided.pgUrl, (sql) => sql<{ version: string }[]>`select version()`);
    expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
  });

  it('is what testPostgres() describes in a test file', () => {
    const server = testPostgres();
    expect({ url: server.url, port: server.port, password: server.password, managed: server.managed }).toEqual({
      url: provided.pgUrl,
      port: provided.pgPort,
      password: provided.pgPassword,
      managed: provided.pgManaged,
    });
  });

  it('creates fresh empty databases, each with its own name', async () => {
    const controller = controllerFor(provided);
    const first = await controller.createDatabase();
    const second = await controller.createDatabase();
    expect(first).not.toBe(second);
    const name = new URL(first).pathname.slice(1);
    expect(name).toMatch(/^fk_[0-9a-f]+$/);
    const [row] = await withClient(
      first,
      (sql) => sql<{ db: string; tables: number }[]>`
        select current_database() as db,
               (select count(*)::int from pg_tables where schemaname = 'public') as tables`,
    );
    expect(row).toEqual({ db: name, tables: 0 });
  });

  it('creates a database with the name asked for, and refuses names that would need escaping', async () => {
    const controller = controllerFor(provided);
    const name = `named_${Date.now()}`;
    const url = await controller.createDatabase(name);
    const [row] = await withClient(url, (sql) => sql<{ db: string }[]>`select current_database() as db`);
    expect(row?.db).toBe(name);
    await expect(controller.createDatabase('Bad"; drop')).rejects.toThrow(/not allowed/);
    await expect(controller.createDatabase('')).rejects.toThrow(/not allowed/);
  });

  // Only the managed server is known to ask for a password (scram-sha-256); FLEETKIT_PG_URL's may trust.
  it.runIf(provided.pgManaged)('refuses a wrong password with SQLSTATE 28P01', async () => {
    const wrong = new URL(provided.pgUrl);
    wrong.password = 'not-the-password';
    await expect(withClient(wrong.toString(), (sql) => sql`select 1`)).rejects.toMatchObject({ code: '28P01' });
  });

  it('cannot be stopped, started or crashed through FLEETKIT_PG_URL', async () => {
    const external = await connectToExisting(provided.pgUrl);
    expect(external.managed).toBe(false);
    await expect(external.stopServer()).rejects.toThrow(/not managed by the tests/);
    await expect(external.startServer()).rejects.toThrow(/not managed by the tests/);
    await expect(external.crashServer()).rejects.toThrow(/not managed by the tests/);
    await external.close();
    const [row] = await withClient(provided.pgUrl, (sql) => sql<{ one: number }[]>`select 1 as one`);
    expect(row?.one).toBe(1);
  });
});

// Stopping or crashing the shared server would break the other test files running
// meanwhile, so these tests have a server of their own (with fsync on, the other setting).
describe.runIf(provided.pgManaged)('a server of its own: stop, crash and restart', () => {
  let pg: TestPostgres;

  beforeAll(async () => {
    pg = await startTestPostgres({ fsync: true });
  });

  afterAll(async () => {
    await pg?.close();
  });

  it('is down after stopServer and back after startServer', async () => {
    await withClient(pg.url, (sql) => sql`select 1`);
    await pg.stopServer();
    await expect(withClient(pg.url, (sql) => sql`select 1`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await pg.startServer();
    const [row] = await withClient(pg.url, (sql) => sql<{ fsync: string }[]>`select current_setting('fsync') as fsync`);
    expect(row?.fsync).toBe('on');
    await expect(pg.startServer()).rejects.toThrow(/already running/);
  });

  it('recovers from a crash with the data committed before it (controlled as a test file would)', async () => {
    const controller = controllerFor(providedValues(pg));
    const url = await controller.createDatabase();
    await withClient(url, async (sql) => {
      await sql`create table kept (id int primary key, note text not null)`;
      await sql`insert into kept values (1, 'before the crash'), (2, 'also before')`;
    });
    // An open session means live backends that must be gone before a restart can work.
    const idle = client(url);
    await idle`select 1`;
    await controller.crashServer();
    await idle.end({ timeout: 1 });
    await expect(withClient(url, (sql) => sql`select 1`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await controller.startServer();
    const rows = await withClient(url, (sql) => sql<{ id: number; note: string }[]>`select id, note from kept order by id`);
    expect(rows.map((r) => ({ ...r }))).toEqual([
      { id: 1, note: 'before the crash' },
      { id: 2, note: 'also before' },
    ]);
    // The restarted server keeps the settings it was started with.
    const [row] = await withClient(url, (sql) => sql<{ fsync: string }[]>`select current_setting('fsync') as fsync`);
    expect(row?.fsync).toBe('on');
  });

  it('leaves no server and no directory after close, which may be called again', async () => {
    const dir = dirname(pg.dataDir);
    await pg.close();
    await pg.close();
    expect(existsSync(dir)).toBe(false);
    await expect(withClient(pg.url, (sql) => sql`select 1`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
