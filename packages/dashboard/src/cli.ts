/**
 * fleet-dashboard: serves the sessions of a storage (a directory, or a
 * PostgreSQL database shared by any number of replicas).
 * Exit codes: 0 after a clean shutdown, 2 for bad options or a storage that cannot be used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDemoFleet } from './demo.js';
import { DashboardConfigError } from './errors.js';
import { createDashboard } from './server.js';
import { isPostgresUrl } from '@fleetkit/store-postgres';

const HELP = `fleet-dashboard — web dashboard and HTTP API for fleetkit sessions

Usage:
  fleet-dashboard --store URL|DIR [--host 127.0.0.1] [--port 8080] [--token T]
  fleet-dashboard --demo [--port 8080]

Options:
  --store URL|DIR   where sessions and repo history live: a postgres:// URL (any
                    number of replicas can serve one database) or a directory;
                    defaults to $FLEETKIT_STORE (keeps a password off the command line).
                    Changes made elsewhere (another replica, fleet import) show up live
  --storage DIR     a directory to serve (same as --store DIR)
  --host ADDR       address to listen on (default 127.0.0.1); any non-loopback
                    address requires --token
  --port N          port (default 8080; 0 picks a free one)
  --token T         bearer token required by every write endpoint (≥ 16 characters);
                    defaults to $FLEET_DASHBOARD_TOKEN. Without one, writes are refused
  --read-token T    bearer token required by every read (API, live, reports, metrics);
                    defaults to $FLEET_DASHBOARD_READ_TOKEN. The page asks for it once
                    and keeps a cookie; the write token reads too. Without it, reads are open
  --auth all        reads need a token too: the read token, or else the write token
  --cors ORIGIN     allow this origin to call the API from a browser (repeatable)
  --page-cache-mb MB  findings pages kept serialized while their session is
                    unchanged (default 16; 0 keeps none)
  --demo            serve a temporary storage with a simulated fleet run (about a minute)
  --log             log requests as JSON lines
  -h, --help        this help
`;

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      strict: true,
      options: {
        store: { type: 'string' },
        storage: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        token: { type: 'string' },
        'read-token': { type: 'string' },
        auth: { type: 'string' },
        cors: { type: 'string', multiple: true },
        'page-cache-mb': { type: 'string' },
        demo: { type: 'boolean' },
        log: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (args.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.store !== undefined && args.storage !== undefined) {
    process.stderr.write('error: give --store or --storage, not both\n');
    return 2;
  }
  const envStore = process.env.FLEETKIT_STORE === '' ? undefined : process.env.FLEETKIT_STORE;
  const given = args.store ?? args.storage ?? (args.demo === true ? undefined : envStore);
  if (given === undefined && args.demo !== true) {
    process.stderr.write(`error: --store URL|DIR is required (or FLEETKIT_STORE, or --demo)\n\n${HELP}`);
    return 2;
  }
  const port = args.port === undefined ? 8080 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !/^\d+$/.test(args.port ?? '0')) {
    process.stderr.write(`error: --port must be an integer from 0 to 65535, got ${JSON.stringify(args.port)}\n`);
    return 2;
  }
  const pageCacheMb = args['page-cache-mb'];
  if (pageCacheMb !== undefined && (!/^\d{1,4}$/.test(pageCacheMb) || Number(pageCacheMb) > 4096)) {
    process.stderr.write(`error: --page-cache-mb must be a whole number of megabytes from 0 to 4096, got ${JSON.stringify(pageCacheMb)}\n`);
    return 2;
  }
  const temp = given === undefined ? mkdtempSync(join(tmpdir(), 'fleet-dashboard-demo-')) : undefined;
  // A URL (of any scheme) goes to openStorage as it is, which refuses what it does not know; a path is made absolute.
  const store = given === undefined ? temp! : isPostgresUrl(given) || /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : resolve(given);
  const token = args.token ?? process.env.FLEET_DASHBOARD_TOKEN;
  const readToken = args['read-token'] ?? process.env.FLEET_DASHBOARD_READ_TOKEN;
  if (args.auth !== undefined && args.auth !== 'all' && args.auth !== 'writes') {
    process.stderr.write(`error: --auth must be "all" or "writes", got ${JSON.stringify(args.auth)}\n`);
    return 2;
  }
  let dashboard;
  try {
    dashboard = await createDashboard({
      store,
      port,
      ...(args.host === undefined ? {} : { host: args.host }),
      ...(token === undefined || token === '' ? {} : { token }),
      ...(readToken === undefined || readToken === '' ? {} : { readToken }),
      ...(args.auth === undefined ? {} : { auth: args.auth as 'all' | 'writes' }),
      ...(args.cors === undefined ? {} : { corsOrigins: args.cors }),
      ...(pageCacheMb === undefined ? {} : { pageCacheBytes: Number(pageCacheMb) * 1024 * 1024 }),
      logger: args.log === true,
    });
  } catch (err) {
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
    if (err instanceof DashboardConfigError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  let url: string;
  try {
    url = await dashboard.listen();
  } catch (err) {
    await dashboard.close();
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
    process.stderr.write(`error: could not listen on ${dashboard.options.host}:${port}: ${(err as Error).message}\n`);
    return 2;
  }
  const abort = new AbortController();
  process.stdout.write(`fleet-dashboard: serving ${dashboard.store.storage.location} at ${url}/\n`);
  if (token === undefined || token === '') process.stdout.write('fleet-dashboard: no token given, the write API is disabled\n');
  let demoDone: Promise<void> | undefined;
  if (args.demo === true) {
    const { sessionId, done } = await runDemoFleet(dashboard, { signal: abort.signal });
    demoDone = done;
    process.stdout.write(`fleet-dashboard: demo fleet running — open ${url}/#session=${encodeURIComponent(sessionId)}\n`);
    done.then(
      () => {
        if (!abort.signal.aborted) process.stdout.write('fleet-dashboard: demo run finished (the server keeps serving; Ctrl-C to stop)\n');
      },
      (err: unknown) => process.stderr.write(`fleet-dashboard: demo run stopped: ${(err as Error).message}\n`),
    );
  }
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  abort.abort();
  // The demo's writes in flight end first: one finishing after the removal
  // would create the temporary storage again (seen under load).
  await demoDone?.catch(() => undefined);
  await dashboard.close();
  if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  return 0;
}
