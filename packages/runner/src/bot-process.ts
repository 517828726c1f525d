/**
 * One bot's command as a real child process: started in a process group of
 * its own, so that a timeout or an interruption ends everything it started
 * (SIGTERM to the group, then SIGKILL after a grace period), with its stdout
 * kept whole and only the tail of its stderr.
 *
 * node:child_process directly, not execa: what a bot needs that execa would
 * give (its timeout and kill) ends the child, not its group, so the group
 * handling is ours either way; and execa cost 106 modules at startup and
 * about 4.5 ms of CPU per spawn more (measured: 11.5 against 7.1 ms), which
 * at 50 bots is most of the run's overhead budget.
 */
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { DEFAULT_MAX_BYTES } from '@fleetkit/shared-context';
import type { PlannedBot } from './fleet-plan.js';
import { killGroup, groupAlive } from './process-group.js';

/** Bytes of stderr kept, from the end: enough for a stack trace, bounded for a chatty tool. */
export const STDERR_TAIL_BYTES = 4096;

/** How a bot's process ended. */
export type ProcessEnd =
  /** It ran and exited with a code (ok or not is the caller's call). */
  | { readonly kind: 'exited'; readonly exitCode: number; readonly stdout: string; readonly stderrTail: string }
  /** It could not be started: `reason` says which command and why. */
  | { readonly kind: 'not-started'; readonly reason: string }
  /** It was ended by a signal it was not sent by us. */
  | { readonly kind: 'signalled'; readonly signal: string; readonly stderrTail: string }
  /** It ran past its timeout and was ended. */
  | { readonly kind: 'timed-out'; readonly stderrTail: string }
  /** The run was interrupted and it was ended. */
  | { readonly kind: 'interrupted'; readonly stderrTail: string }
  /** Its stdout was larger than the import limit. */
  | { readonly kind: 'too-much-output'; readonly stderrTail: string };

/** Options of {@link runBotProcess}. */
export interface BotProcessOptions {
  /** Ends the process group early (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Wait between SIGTERM and SIGKILL, ms. @default 5000 */
  readonly killGraceMs?: number;
  /** The environment the bot's `env` is added to. @default process.env */
  readonly baseEnv?: Readonly<Record<string, string | undefined>>;
  /** Called with the child's pid once it has started. */
  readonly onSpawn?: (pid: number) => void;
}

/** A bounded tail of a stream's text. */
class Tail {
  #text = '';
  push(chunk: string): void {
    this.#text += chunk;
    if (this.#text.length > STDERR_TAIL_BYTES * 2) this.#text = this.#text.slice(-STDERR_TAIL_BYTES);
  }
  toString(): string {
    const t = this.#text.length > STDERR_TAIL_BYTES ? `…${this.#text.slice(-STDERR_TAIL_BYTES)}` : this.#text;
    return t.trimEnd();
  }
}

/** How the child ended, as node:child_process tells it. */
type ChildEnd = { readonly kind: 'error'; readonly error: NodeJS.ErrnoException } | { readonly kind: 'close'; readonly code: number | null; readonly signal: NodeJS.Signals | null };

/** Runs a bot's command to its end; never throws for a command that fails. Output beyond the import limit (characters) ends it. */
export async function runBotProcess(bot: PlannedBot, options: BotProcessOptions = {}): Promise<ProcessEnd> {
  const grace = options.killGraceMs ?? 5000;
  const env = { ...(options.baseEnv ?? process.env), ...bot.env };
  const [file, args] = bot.command.shell ? ['/bin/sh', ['-c', bot.command.script]] : [bot.command.argv[0], bot.command.argv.slice(1)];
  // A group of its own (detached): the group can be signalled as a whole, and a terminal's Ctrl-C reaches us, not it.
  const child = spawn(file, args, { cwd: bot.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = new Tail();
  // Text, decoded as it comes (multi-byte characters split across chunks stay whole): no Buffer.concat copy at the end.
  const stdout: string[] = [];
  let stdoutBytes = 0;
  let tooMuch = false;
  const pid = child.pid;
  if (pid !== undefined) options.onSpawn?.(pid);

  let ended: 'timed-out' | 'interrupted' | 'too-much-output' | undefined;
  let forceTimer: NodeJS.Timeout | undefined;
  const stop = (why: 'timed-out' | 'interrupted' | 'too-much-output'): void => {
    if (ended !== undefined || pid === undefined) return;
    ended = why;
    killGroup(pid, 'SIGTERM');
    forceTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), grace);
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    if (tooMuch) return;
    stdoutBytes += chunk.length;
    if (stdoutBytes > DEFAULT_MAX_BYTES) {
      tooMuch = true;
      stdout.length = 0;
      stop('too-much-output');
    } else {
      stdout.push(chunk);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => tail.push(chunk));
  const timer = setTimeout(() => stop('timed-out'), bot.timeoutMs);
  const onAbort = (): void => stop('interrupted');
  if (options.signal?.aborted === true) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    // 'close' comes after the exit and the end of both pipes; 'error' alone when the command could not start.
    const end = await new Promise<ChildEnd>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'error', error }));
      child.once('close', (code, signal) => resolve({ kind: 'close', code, signal }));
    });
    if (end.kind === 'error') return { kind: 'not-started', reason: notStartedReason(bot, end.error.code, end.error.message) };
    if (ended !== undefined) return { kind: ended, stderrTail: tail.toString() };
    if (end.signal !== null) return { kind: 'signalled', signal: end.signal, stderrTail: tail.toString() };
    return { kind: 'exited', exitCode: end.code ?? 0, stdout: stdout.join(''), stderrTail: tail.toString() };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    // Whatever the bot left behind in its group (a daemon, a stuck grandchild holding a pipe) ends with it.
    if (pid !== undefined && groupAlive(pid)) await endLeftovers(pid, grace);
    if (forceTimer !== undefined) {
      clearTimeout(forceTimer);
      if (groupAlive(pid!)) killGroup(pid!, 'SIGKILL');
    }
  }
}

async function endLeftovers(pid: number, grace: number): Promise<void> {
  killGroup(pid, 'SIGTERM');
  const deadline = Date.now() + grace;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
}

/** Which command could not be started, and why, in words. */
function notStartedReason(bot: PlannedBot, code: string | undefined, message: string): string {
  const what = bot.command.shell ? `/bin/sh -c ${JSON.stringify(bot.command.script)}` : JSON.stringify(bot.command.argv[0]);
  switch (code) {
    case 'ENOENT':
      return existsSync(bot.cwd) ? `cannot start ${what}: command not found` : `cannot start ${what}: the working directory ${JSON.stringify(bot.cwd)} does not exist`;
    case 'EACCES':
      return `cannot start ${what}: permission denied (is it executable?)`;
    default:
      return `cannot start ${what}: ${code ?? message}`;
  }
}
