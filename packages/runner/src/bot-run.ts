/**
 * One bot, run: its command to the end, then its output read. The outcome
 * is completed (findings credited to the bot) or failed, with a reason that
 * says what happened in words and the tail of the bot's stderr.
 */
import type { Finding, ImportFormat, RejectedItem } from '@fleetkit/shared-context';
import { clearOutputFile, readBotOutput } from './bot-output.js';
import type { BotProcessOptions, ProcessEnd } from './bot-process.js';
import { runBotProcess } from './bot-process.js';
import { formatDuration } from './duration.js';
import type { PlannedBot } from './fleet-plan.js';

/** How one bot's run ended. */
export type BotRunOutcome =
  | {
      readonly status: 'completed';
      readonly findings: readonly Finding[];
      readonly format: ImportFormat | undefined;
      readonly rejected: readonly RejectedItem[];
      readonly exitCode: number;
      readonly stderrTail: string;
    }
  | {
      readonly status: 'failed';
      /** What happened, one line. */
      readonly reason: string;
      /** Why it failed, as a kind. */
      readonly cause: 'not-started' | 'exit-code' | 'signal' | 'timeout' | 'interrupted' | 'output';
      readonly exitCode: number | undefined;
      readonly stderrTail: string;
    };

/** Runs `bot` and reads its output; never throws for anything the bot does. */
export async function runBot(bot: PlannedBot, options: BotProcessOptions = {}): Promise<BotRunOutcome> {
  try {
    await clearOutputFile(bot.output);
  } catch (err) {
    return failed('output', `cannot remove its old output file before the run: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, undefined, '');
  }
  const end: ProcessEnd = await runBotProcess(bot, options);
  switch (end.kind) {
    case 'not-started':
      return failed('not-started', end.reason, undefined, '');
    case 'timed-out':
      return failed('timeout', `timed out after ${formatDuration(bot.timeoutMs)}; its process group was ended`, undefined, end.stderrTail);
    case 'interrupted':
      return failed('interrupted', 'interrupted: the run was stopped; its process group was ended', undefined, end.stderrTail);
    case 'signalled':
      return failed('signal', `ended by signal ${end.signal}`, undefined, end.stderrTail);
    case 'too-much-output':
      return failed('output', 'its output is larger than the import limit', undefined, end.stderrTail);
    case 'exited': {
      if (!bot.okExitCodes.includes(end.exitCode)) {
        return failed('exit-code', `exited with code ${end.exitCode} (ok: ${bot.okExitCodes.join(', ')})`, end.exitCode, end.stderrTail);
      }
      const read = await readBotOutput(bot, end.stdout, end.exitCode);
      if (!read.ok) return failed('output', read.reason, end.exitCode, end.stderrTail);
      return { status: 'completed', findings: read.findings, format: read.format, rejected: read.rejected, exitCode: end.exitCode, stderrTail: end.stderrTail };
    }
  }
}

function failed(cause: Extract<BotRunOutcome, { status: 'failed' }>['cause'], reason: string, exitCode: number | undefined, stderrTail: string): BotRunOutcome {
  return { status: 'failed', cause, reason, exitCode, stderrTail };
}

/** The message a failed bot's execution record keeps: the reason, then the tail of its stderr. */
export function failureMessage(outcome: Extract<BotRunOutcome, { status: 'failed' }>): string {
  return outcome.stderrTail === '' ? outcome.reason : `${outcome.reason}\nstderr (last lines):\n${lastLines(outcome.stderrTail, 20)}`;
}

function lastLines(text: string, n: number): string {
  const lines = text.split('\n');
  return lines.length <= n ? text : lines.slice(-n).join('\n');
}
