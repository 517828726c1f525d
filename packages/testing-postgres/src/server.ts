/**
 * One PostgreSQL cluster in a directory of its own: initdb, start on a free
 * loopback port, stop, crash, start again, and removal. The directory holds
 * the data directory, the server log, the server's Unix socket and the
 * settings it was first started with.
 */
import { readFileSync } from 'node:fs';
import { readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chownToPostgres } from './binaries.js';
import { createDatabaseAt } from './databases.js';
import { INSTALL_HINT, readTail, tail } from './messages.js';
import type { CommandResult } from './processes.js';
import { childrenOf, forgetOnExit, isAlive, readPostmasterPid, runCommand, signal } from './processes.js';
import { freePort, portAcceptsConnections, waitForPort } from './ports.js';

/** The superuser initdb creates, and the database the server's URL names. */
export const SUPERUSER = 'fleetkit';

// Written at the first start so that a controller in another process restarts the server the same way.
const SETTINGS_FILE = 'fleetkit-pg.json';

interface Settings {
  readonly fsync: boolean;
}

/** Where a cluster is and how it runs. */
export interface ServerOptions {
  /** The directory of initdb and pg_ctl. */
  readonly binDir: string;
  /** `<cluster directory>/data`. */
  readonly dataDir: string;
  /** 0 until {@link Server.startOnFreePort} picks one. */
  readonly port: number;
  /** The password of {@link SUPERUSER}. */
  readonly password: string;
  /** Whether the commands run as the `postgres` user. */
  readonly runAsPostgres: boolean;
  readonly fsync: boolean;
}

/** One cluster: its binaries, data directory, port and the user that runs it. */
export class Server {
  readonly binDir: string;
  readonly dataDir: string;
  /** The cluster's directory, the parent of the data directory. */
  readonly dir: string;
  readonly password: string;
  readonly runAsPostgres: boolean;
  readonly fsync: boolean;
  private currentPort: number;

  constructor(options: ServerOptions) {
    this.binDir = options.binDir;
    this.dataDir = options.dataDir;
    this.dir = dirname(options.dataDir);
    this.currentPort = options.port;
    this.password = options.password;
    this.runAsPostgres = options.runAsPostgres;
    this.fsync = options.fsync;
  }

  /** A handle on a cluster another process started, restarted with the settings that process recorded. */
  static reattach(options: Omit<ServerOptions, 'fsync'>): Server {
    return new Server({ ...options, fsync: readSettings(dirname(options.dataDir)).fsync });
  }

  get port(): number {
    return this.currentPort;
  }

  private get log(): string {
    return join(this.dir, 'server.log');
  }

  /** The URL of `database` as {@link SUPERUSER}. */
  url(database: string): string {
    return `postgres://${SUPERUSER}:${this.password}@127.0.0.1:${this.port}/${database}`;
  }

  private run(command: string, args: readonly string[], timeoutMs: number): Promise<CommandResult> {
    return runCommand(join(this.binDir, command), args, { asPostgres: this.runAsPostgres, cwd: this.dir, timeoutMs });
  }

  /** Creates the data directory, with {@link SUPERUSER} authenticated by password over TCP. */
  async initdb(): Promise<void> {
    const pwfile = join(this.dir, 'pwfile');
    await writeFile(pwfile, `${this.password}\n`, { mode: 0o600 });
    if (this.runAsPostgres) await chownToPostgres(pwfile);
    const args = (locale: string): string[] => [
      '-D', this.dataDir,
      '--auth-local=trust', '--auth-host=scram-sha-256',
      `--username=${SUPERUSER}`, `--pwfile=${pwfile}`,
      '--encoding=UTF8', `--locale=${locale}`,
    ];
    const first = await this.run('initdb', args('C.UTF-8'), 120_000);
    let second: CommandResult | undefined;
    if (!first.ok) {
      // Some systems (musl, minimal images) have no C.UTF-8; plain C sorts the same for the tests' purposes.
      await rm(this.dataDir, { recursive: true, force: true });
      second = await this.run('initdb', args('C'), 120_000);
    }
    // The password must not stay on disk longer than initdb needs it.
    await rm(pwfile, { force: true });
    if (second !== undefined && !second.ok) {
      throw new Error(
        `initdb failed (${join(this.binDir, 'initdb')}, as ${this.runAsPostgres ? 'user postgres' : 'the current user'}).\n` +
          `With --locale=C.UTF-8:\n${tail(first.output)}\nWith --locale=C:\n${tail(second.output)}\n${INSTALL_HINT}`,
      );
    }
  }

  /** The first start: picks a free port and records the settings for later restarts. */
  async startOnFreePort(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      this.currentPort = await freePort();
      await writeFile(join(this.dir, SETTINGS_FILE), JSON.stringify({ fsync: this.fsync } satisfies Settings));
      const failure = await this.tryStart();
      if (failure === undefined) return;
      // The port was free a moment ago; another process may have taken it since.
      if (attempt === 1 && /address already in use|could not bind|could not create any TCP\/IP sockets/i.test(failure)) continue;
      throw new Error(`The test PostgreSQL server did not start on 127.0.0.1:${this.port}.\n${failure}\n${INSTALL_HINT}`);
    }
  }

  /** Starts the stopped or crashed server again on its port; resolves when it accepts connections. */
  async start(): Promise<void> {
    const running = readPostmasterPid(this.dataDir);
    // A second pg_ctl start would fail, and the cleanup after a failed start would then kill the running server.
    if (running !== undefined && isAlive(running)) {
      throw new Error(`startServer: the server for ${this.dataDir} is already running (postmaster pid ${running}).`);
    }
    const failure = await this.tryStart();
    if (failure !== undefined) {
      throw new Error(`The test PostgreSQL server did not start again on 127.0.0.1:${this.port}.\n${failure}\n${INSTALL_HINT}`);
    }
  }

  /** Undefined when the server accepts connections; else what pg_ctl and the server log said. */
  private async tryStart(): Promise<string | undefined> {
    const settings = [
      'listen_addresses=127.0.0.1',
      `port=${this.port}`,
      `unix_socket_directories='${this.dir}'`,
      'max_connections=300',
      `fsync=${this.fsync ? 'on' : 'off'}`,
      'shared_buffers=64MB',
    ];
    const result = await this.run(
      'pg_ctl',
      ['-D', this.dataDir, '-l', this.log, '-w', '-t', '60', 'start', '-o', settings.map((s) => `-c ${s}`).join(' ')],
      90_000,
    );
    if (result.ok && (await waitForPort(this.port, true, 10_000))) return undefined;
    // pg_ctl may give up while a postmaster is still coming up; it must not outlive the failure.
    await this.killPostmaster();
    return `pg_ctl start: ${result.ok ? 'succeeded but the port does not accept connections' : 'failed'}\n${tail(result.output)}\nServer log (${this.log}):\n${await readTail(this.log)}`;
  }

  /** pg_ctl stop -m fast, keeping the data directory. */
  async stop(): Promise<void> {
    const result = await this.run('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], 90_000);
    if (!result.ok) {
      throw new Error(
        `pg_ctl stop failed for ${this.dataDir}.\n${tail(result.output)}\nServer log:\n${await readTail(this.log)}`,
      );
    }
  }

  /** kill -9 of the running postmaster; resolves when the port no longer accepts connections. */
  async crash(): Promise<void> {
    const pid = readPostmasterPid(this.dataDir);
    if (pid === undefined || !isAlive(pid)) {
      throw new Error(`crashServer: no running postmaster for ${this.dataDir} (postmaster.pid is missing or stale).`);
    }
    await this.killPostmaster(true);
  }

  /**
   * SIGKILL of the postmaster, then a wait for its children: a new postmaster
   * refuses to start while old backends still hold the shared memory.
   */
  private async killPostmaster(untilPortCloses = false): Promise<void> {
    const pid = readPostmasterPid(this.dataDir);
    if (pid === undefined) return;
    const children = childrenOf(pid);
    signal(pid, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    // The port is only waited for after a crash: after a failed start it may belong to whoever took it.
    while ([pid, ...children].some(isAlive) || (untilPortCloses && (await portAcceptsConnections(this.port)))) {
      if (Date.now() > deadline) {
        throw new Error(
          `The killed postmaster (pid ${pid}) or its children (${children.join(', ')}) were still alive, or port ${this.port} still accepted connections, after 10 s.`,
        );
      }
      await sleep(50);
    }
    // PostgreSQL tests its lock files with kill(pid, 0), which a dead but unreaped postmaster (a zombie, when
    // init is slow to reap) or a reused pid still passes: the new server would refuse to start.
    const stale = [
      join(this.dataDir, 'postmaster.pid'),
      ...(await readdir(this.dir)).filter((f) => f.startsWith('.s.PGSQL.')).map((f) => join(this.dir, f)),
    ];
    await Promise.all(stale.map((file) => unlink(file).catch(() => {})));
  }

  /** A fresh empty database on this server; see {@link createDatabaseAt}. */
  createDatabase(name?: string): Promise<string> {
    return createDatabaseAt(this.url('postgres'), name);
  }
}

/** Stops the cluster in `dir` (fast, then by SIGKILL if it must) and removes the directory. */
export async function removeCluster(dir: string, binDir: string, runAsPostgres: boolean): Promise<void> {
  const dataDir = join(dir, 'data');
  const pid = readPostmasterPid(dataDir);
  if (pid !== undefined && isAlive(pid)) {
    await runCommand(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'], {
      asPostgres: runAsPostgres,
      cwd: dir,
      timeoutMs: 45_000,
    });
    if (isAlive(pid)) {
      const children = childrenOf(pid);
      signal(pid, 'SIGKILL');
      for (const child of children) signal(child, 'SIGKILL');
      const deadline = Date.now() + 10_000;
      while ([pid, ...children].some(isAlive) && Date.now() < deadline) await sleep(50);
    }
  }
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  forgetOnExit(dir);
}

// Without a readable file, the settings startTestPostgres uses by default.
function readSettings(dir: string): Settings {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8'));
    return { fsync: typeof parsed === 'object' && parsed !== null && 'fsync' in parsed && parsed.fsync === true };
  } catch {
    return { fsync: false };
  }
}
