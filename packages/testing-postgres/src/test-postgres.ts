/**
 * A real PostgreSQL server for tests and benchmarks: a throwaway cluster in a
 * temporary directory, started with the distribution's binaries, or a server
 * named by FLEETKIT_PG_URL. Storage code is only believable when it has talked
 * to the real thing, including across stops and crashes, so there is no mock.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { findBinDir, handToPostgresUser } from './binaries.js';
import type { PostgresController, ProvidedPostgres } from './controller.js';
import { externalController, managedController } from './controller.js';
import { errorText, redact } from './messages.js';
import { removeOnExit } from './processes.js';
import { removeCluster, Server, SUPERUSER } from './server.js';

/** A server this process owns (or FLEETKIT_PG_URL's, which it only uses). */
export interface TestPostgres extends PostgresController {
  /** The cluster's data directory ('' when not managed). */
  readonly dataDir: string;
  /** The directory of initdb/pg_ctl ('' when not managed). */
  readonly binDir: string;
  /** True when the server's commands run as the `postgres` user (the tests run as root). */
  readonly runAsPostgres: boolean;
  /** Stops the server and removes the temporary directory. Idempotent. */
  close(): Promise<void>;
}

/** Starts a new throwaway cluster (fsync off unless asked, since the tests do not survive power loss anyway). */
export async function startTestPostgres(options: { fsync?: boolean } = {}): Promise<TestPostgres> {
  const binDir = await findBinDir();
  const runAsPostgres = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'fleetkit-pg-'));
  const dataDir = join(dir, 'data');
  // From here on a failure, or an aborted run, must not leave a directory or a server behind.
  removeOnExit(dir, dataDir);
  try {
    if (runAsPostgres) await handToPostgresUser(dir);
    const password = randomBytes(18).toString('hex');
    const server = new Server({ binDir, dataDir, port: 0, password, runAsPostgres, fsync: options.fsync ?? false });
    await server.initdb();
    await server.startOnFreePort();
    await server.createDatabase(SUPERUSER);
    let closing: Promise<void> | undefined;
    return {
      ...managedController(server),
      dataDir,
      binDir,
      runAsPostgres,
      close: () => (closing ??= removeCluster(dir, binDir, runAsPostgres)),
    };
  } catch (error) {
    await removeCluster(dir, binDir, runAsPostgres);
    throw error;
  }
}

/** Wraps a server the tests do not own (FLEETKIT_PG_URL); it is checked with a query first so a bad URL fails here, plainly. */
export async function connectToExisting(url: string): Promise<TestPostgres> {
  try {
    new URL(url);
  } catch {
    throw new Error('FLEETKIT_PG_URL is not a URL (expected postgres://user:password@host:port/database): correct it, or unset it to let the tests start their own server.');
  }
  const sql = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (error) {
    throw new Error(
      `Could not connect to FLEETKIT_PG_URL (${redact(url)}): ${errorText(error)}. Check that server, or unset FLEETKIT_PG_URL to let the tests start their own (which needs Debian's postgresql package: apt-get install -y postgresql).`,
    );
  } finally {
    await sql.end({ timeout: 5 });
  }
  return {
    ...externalController(url),
    dataDir: '',
    binDir: '',
    runAsPostgres: false,
    close: async () => {},
  };
}

/** The values to provide to test files for `controllerFor`. */
export function providedValues(pg: TestPostgres): ProvidedPostgres {
  return {
    pgUrl: pg.url,
    pgManaged: pg.managed,
    pgDataDir: pg.dataDir,
    pgBinDir: pg.binDir,
    pgPort: pg.port,
    pgPassword: pg.password,
    pgRunAsPostgres: pg.runAsPostgres,
  };
}
