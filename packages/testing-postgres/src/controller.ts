/**
 * Control of a server from a test file. Test files run in worker processes,
 * apart from the globalSetup that started the server, so they get plain
 * values describing it (provided by vitest) and rebuild a handle from them.
 */
import { createDatabaseAt } from './databases.js';
import { Server, SUPERUSER } from './server.js';

/** A server a test can use and, when the tests started it, stop, crash and start again. */
export interface PostgresController {
  /** `postgres://fleetkit:<password>@127.0.0.1:<port>/fleetkit` (or FLEETKIT_PG_URL as given). */
  readonly url: string;
  readonly port: number;
  readonly password: string;
  /** False when FLEETKIT_PG_URL was used: then stopServer/startServer/crashServer throw. */
  readonly managed: boolean;
  /** Creates a fresh empty database on this server and returns its URL (each test file can get its own database so files can run in parallel). */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (pg_ctl stop -m fast) without removing its data directory. */
  stopServer(): Promise<void>;
  /** Starts it again on the same port and data dir; resolves when it accepts connections. */
  startServer(): Promise<void>;
  /** kill -9 of the postmaster (crash), for fault tests; startServer() afterwards must work (crash recovery). */
  crashServer(): Promise<void>;
}

/** The values globalSetup provides to test files (which run in other processes) to reach and control the same server. */
export interface ProvidedPostgres {
  readonly pgUrl: string;
  readonly pgManaged: boolean;
  readonly pgDataDir: string;
  readonly pgBinDir: string;
  readonly pgPort: number;
  readonly pgPassword: string;
  readonly pgRunAsPostgres: boolean;
}

/**
 * A controller for an already running server, from the values globalSetup
 * provided; it never removes the server. Stopping or crashing the shared
 * server disturbs every test file running at the same time: fault tests are
 * better off with a server of their own (`startTestPostgres`).
 */
export function controllerFor(provided: ProvidedPostgres): PostgresController {
  if (!provided.pgManaged) return externalController(provided.pgUrl);
  const server = Server.reattach({
    binDir: provided.pgBinDir,
    dataDir: provided.pgDataDir,
    port: provided.pgPort,
    password: provided.pgPassword,
    runAsPostgres: provided.pgRunAsPostgres,
  });
  return managedController(server);
}

/** Control of a server the tests started: every operation goes to `server`. */
export function managedController(server: Server): PostgresController {
  return {
    url: server.url(SUPERUSER),
    port: server.port,
    password: server.password,
    managed: true,
    createDatabase: (name) => server.createDatabase(name),
    stopServer: () => server.stop(),
    startServer: () => server.start(),
    crashServer: () => server.crash(),
  };
}

/** Control of the server at `url`, which the tests do not own: it can only create databases. */
export function externalController(url: string): PostgresController {
  const refuse = async (): Promise<never> => {
    throw new Error(
      'The test PostgreSQL server comes from FLEETKIT_PG_URL and is not managed by the tests: it cannot be stopped, started or crashed. Unset FLEETKIT_PG_URL to run the fault tests on a server of their own.',
    );
  };
  const parsed = new URL(url);
  return {
    url,
    port: parsed.port === '' ? 5432 : Number(parsed.port),
    password: decodeURIComponent(parsed.password),
    managed: false,
    createDatabase: (name) => createDatabaseAt(url, name),
    stopServer: refuse,
    startServer: refuse,
    crashServer: refuse,
  };
}
