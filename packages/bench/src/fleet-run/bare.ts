/**
 * The bots' own time: the same commands as the fleet file, run by the least
 * a scheduler can do (spawn, read stdout to the end, wait for the exit, at
 * most `jobs` at once). What `fleet run` takes beyond this is its overhead.
 */
import { spawn } from 'node:child_process';

/** One bare run: its wall time and each bot's stdout size, in the commands' order. */
export interface BareRun {
  readonly ms: number;
  readonly stdoutBytes: readonly number[];
}

/** Runs one command, reading its stdout to the end; resolves with the byte count once it has exited with 0. */
function runOne(argv: readonly [string, ...string[]]): Promise<number> {
  return new Promise((resolve, reject) => {
    // Detached like `fleet run`'s bots (each in a session and process group of its own): with the kernel's
    // autogroup scheduling, a new session is a scheduling group of its own, so on a machine others load too
    // detached bots get a larger share of the CPU. Bots that were not would make `fleet run` look faster than bare.
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    let bytes = 0;
    child.stdout.on('data', (d: Buffer) => (bytes += d.length));
    child.once('error', reject);
    // 'close': the process has exited and its stdout is read to the end.
    child.once('close', (code, signal) => {
      if (code === 0) resolve(bytes);
      else reject(new Error(`${argv.join(' ')} exited with ${code ?? signal}`));
    });
  });
}

/** Runs `commands` with at most `jobs` at once, each started as soon as a slot is free; wall time from the first spawn to the last exit. */
export async function runBare(commands: readonly (readonly [string, ...string[]])[], jobs: number): Promise<BareRun> {
  const stdoutBytes = new Array<number>(commands.length).fill(0);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < commands.length) {
      const i = next++;
      stdoutBytes[i] = await runOne(commands[i]!);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(jobs, commands.length) }, worker));
  return { ms: performance.now() - t0, stdoutBytes };
}

/** A finished child process: its wall time from spawn to exit, exit code and output. */
export interface TimedProcess {
  readonly ms: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `argv` (stdout and stderr captured) and times it from spawn to exit. */
export function timeProcess(argv: readonly [string, ...string[]], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<TimedProcess> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
    let ms = NaN;
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    // Timed at 'exit' (the process is gone); the result waits for 'close' so its output is complete.
    child.once('exit', () => (ms = performance.now() - t0));
    child.once('close', (code, signal) => resolve({ ms, code, signal, stdout, stderr }));
  });
}
