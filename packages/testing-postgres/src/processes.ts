/**
 * The server's processes: running its commands, finding its postmaster and
 * the postmaster's children, and killing them, including when this process
 * exits without having stopped them.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** What a command did. */
export interface CommandResult {
  readonly ok: boolean;
  readonly stdout: string;
  /** stderr and stdout together, and the exit status when the command failed: what a failure message shows. */
  readonly output: string;
}

/** Runs `file` (as the `postgres` user if asked); never rejects, a failure is in the result. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: { asPostgres?: boolean; cwd?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const [command, argv] = options.asPostgres === true ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, [...args]];
  // PG* variables of the developer's shell (PGDATA, PGPORT, …) must not redirect the test server.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG')));
  // English messages, so a taken port can be recognised in the server log.
  env['LC_MESSAGES'] = 'C';
  delete env['LC_ALL'];
  return new Promise((resolve) => {
    execFile(
      command,
      argv,
      { cwd: options.cwd, env, timeout: options.timeoutMs ?? 60_000, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = [stderr, stdout].filter((s) => s.trim() !== '').join('\n');
        if (error === null) return resolve({ ok: true, stdout, output });
        const status = error.killed
          ? `killed after ${options.timeoutMs ?? 60_000} ms`
          : typeof error.code === 'number'
            ? `exit status ${error.code}`
            : (error.signal ?? error.message.split('\n')[0] ?? 'failed');
        resolve({ ok: false, stdout, output: `$ ${[command, ...argv].join(' ')}\n(${status})\n${output}` });
      },
    );
  });
}

/** The pid in the data directory's postmaster.pid, if there is a well-formed one. */
export function readPostmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie: this machine's init may never reap a killed postmaster, whose pid then stays. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Children, found before the postmaster dies: afterwards they belong to init and cannot be told apart from others. */
export function childrenOf(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}

/** Sends `sig` to `pid`, which may already be gone. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

// The postmaster detaches from our process group (pg_ctl calls setsid), so an
// aborted run (Ctrl-C, a crash, process.exit) would leave it running forever.
// Keyed by the cluster's directory; the value is its data directory.
const live = new Map<string, string>();
let exitHookInstalled = false;

/** Should this process exit while the cluster in `dir` still exists, its postmaster is killed and `dir` removed. */
export function removeOnExit(dir: string, dataDir: string): void {
  installExitHook();
  live.set(dir, dataDir);
}

/** The cluster in `dir` is gone: nothing is left to do for it on exit. */
export function forgetOnExit(dir: string): void {
  live.delete(dir);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [dir, dataDir] of live) {
      const pid = readPostmasterPid(dataDir);
      if (pid !== undefined && isAlive(pid)) {
        const children = childrenOf(pid);
        signal(pid, 'SIGKILL');
        for (const child of children) signal(child, 'SIGKILL');
      }
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // Best effort: the process is exiting.
      }
    }
  });
}
