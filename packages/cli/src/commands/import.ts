/** `fleet import`: read findings files into a new session and print what was read and rejected. */
import path from 'node:path';
import type { Finding, ImportFormat, RejectedItem, SessionStorage } from '@fleetkit/shared-context';
import { Context, FleetError, createFinding, dedupeFindings, formatPath, importFindingsFile, parseBotId, sightingsOf } from '@fleetkit/shared-context';
import { sizeValue } from '../args.js';
import type { OptionValues } from '../cli-options.js';
import { collectInputs } from '../collect-inputs.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import type { Io } from '../output.js';
import { line, stylesFor } from '../output.js';
import { createProgress } from '../progress.js';
import { writeFileAtomic } from '../session-file.js';
import { openCliStorage, storeSpec } from '../session-source.js';

/** What one input file gave. */
interface FileOutcome {
  readonly file: string;
  readonly format: ImportFormat | undefined;
  readonly findings: number;
  readonly rejected: readonly RejectedItem[];
}

/** The summary `fleet import --json` prints (and the session keeps under data `fleet.import`). */
export interface ImportSummary {
  readonly filesRead: number;
  readonly filesImported: number;
  readonly filesRejected: number;
  readonly findingsRead: number;
  readonly findingsImported: number;
  readonly duplicatesMerged: number;
  readonly rejectedItems: number;
  readonly byFormat: Record<string, { files: number; findings: number }>;
  readonly rejectedFiles: { file: string; code: string; reason: string }[];
  readonly problems: { path: string; reason: string }[];
}

const SHOWN_ITEMS = 3;

/** Runs `fleet import`. */
export async function runImport(values: OptionValues<'import'>, positionals: readonly string[], io: Io): Promise<number> {
  const maxBytes = values['max-size'] === undefined ? undefined : sizeValue(values['max-size'], 'max-size', 'import');
  const spec = storeSpec(values.store, io);
  // With a storage the session goes there, and to a file only when --out asks for one.
  const out = values.out !== undefined || spec === undefined ? path.resolve(io.cwd, values.out ?? 'fleet-session.json') : undefined;
  // eslint-disable-next-line no-control-regex
  if (values.source !== undefined && (values.source.trim() === '' || /[\u0000-\u001f\u007f]/.test(values.source))) throw new UsageError('--source must be a bot name', 'import');
  const source = values.source === undefined ? undefined : (parseBotId(values.source) ?? values.source);
  const { files, problems } = await collectInputs(positionals, io.cwd);
  if (files.length === 0) {
    throw new CliError('FK_CLI_INPUT', `no input file found: ${problems.map((p) => `${p.path}: ${p.reason}`).join('; ')}`);
  }
  // A storage that cannot be used fails the command before any input is read.
  const storage = spec === undefined ? undefined : await openCliStorage(spec);
  try {
    return await importInto(values, { files, problems, out, storage, source, maxBytes }, io);
  } finally {
    await storage?.close();
  }
}

/** What `fleet import` reads and where the session goes, decided from the command line. */
interface ImportPlan {
  readonly files: readonly string[];
  readonly problems: ImportSummary['problems'];
  /** The session file to write, if any. */
  readonly out: string | undefined;
  /** The storage to store the session in, if any. */
  readonly storage: SessionStorage | undefined;
  readonly source: string | undefined;
  readonly maxBytes: number | undefined;
}

async function importInto(values: OptionValues<'import'>, { files, problems, out, storage, source, maxBytes }: ImportPlan, io: Io): Promise<number> {
  const progress = createProgress(io.stderr, values.quiet !== true && values.json !== true);
  const outcomes: FileOutcome[] = [];
  let all: Finding[] = [];
  for (const [i, file] of files.entries()) {
    progress.update(i, files.length);
    // The session being written is not an input, even when it lies in an imported directory.
    if (file === out) continue;
    const r = await importFindingsFile(file, {
      source,
      format: values.format as ImportFormat | undefined,
      dedupe: false,
      maxBytes,
      rootDir: io.cwd,
    });
    outcomes.push({ file, format: r.format, findings: r.findings.length, rejected: r.rejected });
    all = all.concat(r.findings);
  }
  progress.update(files.length, files.length);
  progress.done();
  const findingsRead = all.length;
  const findings = values['no-dedupe'] === true ? all : dedupeFindings(all);
  const duplicates = findings.reduce((n, f) => n + sightingsOf(f), 0) - findings.length;
  const summary = summarise(outcomes, problems, findingsRead, findings.length, duplicates);
  const ctx = buildSession(values.repo as string, io.cwd, findings, summary);
  if (out !== undefined) await writeFileAtomic(out, `${JSON.stringify(ctx)}\n`);
  if (storage !== undefined) await storeSession(storage, ctx);
  const where = { session: out ?? null, sessionId: ctx.sessionId, store: storage?.location ?? null };
  if (values.json === true) line(io.stdout, JSON.stringify({ ...summary, ...where }, null, 2));
  else if (values.quiet !== true) printSummary(summary, outcomes, where, io);
  else for (const p of problems) line(io.stderr, `fleet import: ${p.path}: ${p.reason}`);
  const anyRejected = summary.filesRejected > 0 || summary.rejectedItems > 0 || problems.length > 0;
  return values.strict === true && anyRejected ? EXIT.blocked : EXIT.ok;
}

function summarise(outcomes: readonly FileOutcome[], problems: ImportSummary['problems'], read: number, imported: number, duplicates: number): ImportSummary {
  const byFormat: ImportSummary['byFormat'] = {};
  const rejectedFiles: ImportSummary['rejectedFiles'] = [];
  let rejectedItems = 0;
  for (const o of outcomes) {
    if (o.format === undefined) {
      const r = o.rejected[0];
      rejectedFiles.push({ file: o.file, code: r?.code ?? 'unknown_format', reason: r?.reason ?? 'not read' });
      continue;
    }
    const entry = (byFormat[o.format] ??= { files: 0, findings: 0 });
    entry.files++;
    entry.findings += o.findings;
    rejectedItems += o.rejected.length;
  }
  return {
    filesRead: outcomes.length,
    filesImported: outcomes.length - rejectedFiles.length,
    filesRejected: rejectedFiles.length,
    findingsRead: read,
    findingsImported: imported,
    duplicatesMerged: duplicates,
    rejectedItems,
    byFormat,
    rejectedFiles,
    problems,
  };
}

/** A session holding the findings, with each source bot registered and completed with its counts. */
function buildSession(repo: string, cwd: string, findings: readonly Finding[], summary: ImportSummary): Context {
  const ctx = new Context(repo, cwd);
  const bySource = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = bySource.get(f.source);
    if (list === undefined) bySource.set(f.source, [f]);
    else list.push(f);
  }
  for (const [bot, list] of bySource) {
    ctx.registerBot(bot);
    // These bots ran elsewhere: this records their outcome in the order their findings came, not a start that waits for dependencies.
    ctx.startBot(bot, { force: true });
    ctx.completeBot(bot, { findings: list.length, errors: list.filter((f) => f.severity === 'error').length, files: new Set(list.map((f) => f.file).filter((f) => f !== undefined)).size });
  }
  // Importing a session twice without de-duplication would repeat ids; a repeated id gets a new one.
  const ids = new Set<string>();
  ctx.addFindings(findings.map((f) => (ids.has(f.id) ? renumbered(f) : (ids.add(f.id), f))));
  ctx.setData('fleet.import', { ...summary, problems: summary.problems.slice(0, 100), rejectedFiles: summary.rejectedFiles.slice(0, 100) });
  ctx.completeSession();
  return ctx;
}

function renumbered(f: Finding): Finding {
  const { id: _id, related, metadata, ...rest } = f;
  return createFinding({ ...rest, related: [...related], metadata: { ...metadata } });
}

/** Stores the session and adds it to its repository's history; a storage failure is a CliError (exit 2). */
async function storeSession(storage: SessionStorage, ctx: Context): Promise<void> {
  try {
    await storage.recordSession(ctx);
  } catch (err) {
    if (err instanceof FleetError) throw new CliError('FK_CLI_OUTPUT', `cannot store session ${ctx.sessionId}: ${err.message}`, { cause: err });
    throw err;
  }
}

function printSummary(s: ImportSummary, outcomes: readonly FileOutcome[], where: { session: string | null; sessionId: string; store: string | null }, io: Io): void {
  const st = stylesFor(io.stdout, io.env);
  const rel = (p: string): string => path.relative(io.cwd, p) || p;
  line(io.stdout, st.bold(`Imported ${s.findingsImported} findings from ${s.filesImported} of ${s.filesRead} files`));
  for (const [format, v] of Object.entries(s.byFormat).sort()) line(io.stdout, `  ${format.padEnd(20)} ${String(v.files).padStart(5)} files ${String(v.findings).padStart(7)} findings`);
  if (s.duplicatesMerged > 0) line(io.stdout, `  ${s.duplicatesMerged} duplicate findings merged (sightings kept in metadata)`);
  if (s.filesRejected > 0) {
    line(io.stdout, st.yellow(`Rejected ${s.filesRejected} files:`));
    for (const r of s.rejectedFiles) line(io.stdout, `  ${rel(r.file)}: ${r.reason} [${r.code}]`);
  }
  if (s.rejectedItems > 0) {
    line(io.stdout, st.yellow(`Rejected ${s.rejectedItems} records inside imported files:`));
    for (const o of outcomes) {
      if (o.format === undefined || o.rejected.length === 0) continue;
      for (const r of o.rejected.slice(0, SHOWN_ITEMS)) line(io.stdout, `  ${rel(o.file)} ${formatPath(r.path)}: ${r.reason} [${r.code}]`);
      if (o.rejected.length > SHOWN_ITEMS) line(io.stdout, `  ${rel(o.file)}: … and ${o.rejected.length - SHOWN_ITEMS} more`);
    }
  }
  for (const p of s.problems) line(io.stderr, `fleet import: ${p.path}: ${p.reason}`);
  if (where.session !== null) line(io.stdout, `Session written to ${rel(where.session)}`);
  if (where.store !== null) line(io.stdout, `Session ${where.sessionId} stored in ${where.store}`);
}
