/**
 * A bot's output, read by the import code and credited to the bot: what
 * `fleet import` would read from it, with every finding's `source` set to the
 * bot that ran — unless the output is the fleet's own format, whose findings
 * name their bots themselves.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BotId, Finding, ImportFormat, RejectedItem } from '@fleetkit/shared-context';
import { createFinding, formatPath, importFindings } from '@fleetkit/shared-context';
import type { BotOutput, PlannedBot } from './fleet-plan.js';

/** What a bot's output gave. */
export type OutputReading =
  | { readonly ok: true; readonly findings: readonly Finding[]; readonly format: ImportFormat | undefined; readonly rejected: readonly RejectedItem[] }
  | { readonly ok: false; readonly reason: string };

/** Removes a stale output file before the bot runs, so an old file is never read as this run's output. */
export async function clearOutputFile(output: BotOutput): Promise<void> {
  if (output.kind === 'file') await rm(output.path, { force: true });
}

/** Reads the bot's output (stdout, or the file it wrote) into findings credited to it; `exitCode` is how the command exited. */
export async function readBotOutput(bot: PlannedBot, stdout: string, exitCode: number): Promise<OutputReading> {
  let text = stdout;
  let where = 'stdout';
  if (bot.output.kind === 'file') {
    const rel = path.relative(bot.cwd, bot.output.path);
    where = rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? bot.output.path : rel;
    try {
      text = await readFile(bot.output.path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { ok: false, reason: code === 'ENOENT' ? `its output file ${where} was not written` : `cannot read its output file ${where}: ${code ?? String(err)}` };
    }
  }
  if (text.trim() === '') {
    // A tool with nothing to say may say nothing at all; one that also exits non-zero (a crash) has not said anything.
    if (exitCode !== 0) return { ok: false, reason: `it exited with code ${exitCode} and its output (${where}) is empty` };
    return { ok: true, findings: [], format: bot.format, rejected: [] };
  }
  // No de-duplication: one run of one tool is taken as the tool wrote it (merging what several files
  // repeat is `fleet import`'s job), and it spares a SHA-256 fingerprint per finding — a third of the run's CPU at 50,000 findings.
  const r = importFindings(text, { format: bot.format, source: bot.id, rootDir: bot.cwd, dedupe: false });
  if (r.format === undefined || (r.findings.length === 0 && r.rejected.length > 0 && r.rejected.every((x) => x.path.length === 0))) {
    const first = r.rejected[0];
    return { ok: false, reason: `its output (${where}) cannot be parsed${bot.format === undefined ? '' : ` as ${bot.format}`}: ${first === undefined ? 'no findings format recognised' : first.reason}` };
  }
  const own = r.format.startsWith('fleetkit-');
  return { ok: true, findings: own ? r.findings : creditedTo(bot.id, r.findings), format: r.format, rejected: r.rejected };
}

/** The findings with `source` set to `bot`; findings already credited to it are kept as they are. */
function creditedTo(bot: BotId, findings: readonly Finding[]): readonly Finding[] {
  if (findings.every((f) => f.source === bot)) return findings;
  return findings.map((f) => {
    if (f.source === bot) return f;
    // An output naming a roster bot (a SARIF tool called "rhodibot") is still this bot's output.
    const { related, metadata, ...rest } = f;
    return createFinding({ ...rest, source: bot, related: [...related], metadata: { ...metadata, reportedAs: f.source } });
  });
}

/** One line per rejected record (the first few), for a bot's warnings. */
export function describeRejected(rejected: readonly RejectedItem[], max = 3): string[] {
  const lines = rejected.slice(0, max).map((r) => `${formatPath(r.path)}: ${r.reason} [${r.code}]`);
  if (rejected.length > max) lines.push(`… and ${rejected.length - max} more`);
  return lines;
}
