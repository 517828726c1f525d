/**
 * fleet-dashboard: serves a storage directory's sessions.
 * Exit codes: 0 after a clean shutdown, 2 for bad options.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDemoFleet } from './demo.js';
import { DashboardConfigError } from './errors.js';
import { createDashboard } from './server.js';

const HELP = `fleet-dashboard — web dashboard and HTTP API for fleetkit sessions

Usage:
  fleet-dashboard --storage DIR [--host 127.0.0.1] [--port 8080] [--token T]
  fleet-dashboard --demo [--port 8080]

Options:
  --storage DIR     ContextStorage directory to serve (sessions and repo history);
                    files changed there are picked up without a restart
  --host ADDR       address to listen on (default 127.0.0.1); any non-loopback
                    address requires --token
  --port N          port (default 8080; 0 picks a free one)
  --token T         bearer token required by every write endpoint (≥ 16 characters);
                    defaults to $FLEET_DASHBOARD_TOKEN. Without one, writes are refused
  --cors ORIGIN     allow this origin to call the API from a browser (repeatable)
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
        storage: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        token: { type: 'string' },
        cors: { type: 'string', multiple: true },
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
  if (args.storage === undefined && args.demo !== true) {
    process.stderr.write(`error: --storage DIR is required (or --demo)\n\n${HELP}`);
    return 2;
  }
  const port = args.port === undefined ? 8080 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !/^\d+$/.test(args.port ?? '0')) {
    process.stderr.write(`error: --port must be an integer from 0 to 65535, got ${JSON.stringify(args.port)}\n`);
    return 2;
  }
  const temp = args.storage === undefined ? mkdtempSync(join(tmpdir(), 'fleet-dashboard-demo-')) : undefined;
  const storage = args.storage === undefined ? temp! : resolve(args.storage);
  const token = args.token ?? process.env.FLEET_DASHBOARD_TOKEN;
  let dashboard;
  try {
    dashboard = await createDashboard({
      storage,
      port,
      ...(args.host === undefined ? {} : { host: args.host }),
      ...(token === undefined || token === '' ? {} : { token }),
      ...(args.cors === undefined ? {} : { corsOrigins: args.cors }),
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
  process.stdout.write(`fleet-dashboard: serving ${storage} at ${url}/\n`);
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
