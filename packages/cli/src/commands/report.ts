/**
 * `fleet report`: renders a session with the shared reporters. Suppressed
 * findings are marked (not dropped) and, with `--baseline`, new findings are
 * marked new — both through report options, so the session is never copied.
 */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { writeReport } from '@fleetkit/shared-context';
import type { GroupBy, ReportFormat, ReportOptions, Severity } from '@fleetkit/shared-context';
import { countValue } from '../args.js';
import { compareWithBaseline } from '../baseline.js';
import type { OptionValues } from '../cli-options.js';
import { CliError, EXIT } from '../errors.js';
import type { Io } from '../output.js';
import { line } from '../output.js';
import { loadSessions } from '../session-source.js';
import { applySuppressions, describeSuppression, loadSuppressions } from '../suppressions.js';

/** Runs `fleet report`. */
export async function runReport(values: OptionValues<'report'>, io: Io): Promise<number> {
  // Every input is read and checked (the baseline as `fleet gate` checks it) before anything is written.
  const { ctx, base } = await loadSessions(values, io);
  const entries = await loadSuppressions(values.suppressions, io.cwd);
  const { suppressed, expired, overLimit } = applySuppressions(ctx.findings.all(), entries, ctx.now());
  // What the report cannot mark goes to stderr, so stdout stays the report alone.
  for (const e of expired) line(io.stderr, `fleet report: expired suppression no longer applied: ${describeSuppression(e)}, expired ${e.expires ?? '?'} (${e.justification})`);
  for (const o of overLimit) {
    line(io.stderr, `fleet report: suppression over its limit: ${describeSuppression(o.entry)} covers ${o.entry.occurrences ?? '?'} of ${o.matched} occurrences; ${o.uncovered.length} not marked suppressed`);
  }
  const format = (values.format ?? 'markdown') as ReportFormat;
  const options: ReportOptions = {
    maxFindings: countValue(values['max-findings']),
    target: values.target as 'github-comment' | undefined,
    groupBy: values['group-by'] as GroupBy | undefined,
    minSeverity: values['min-severity'] as Severity | undefined,
    suppressions: suppressed,
    newFindings: base === undefined ? undefined : compareWithBaseline(ctx.findings, base.findings).newIds,
  };
  if (values.out === undefined) {
    await writeReport(ctx, format, io.stdout, options);
    return EXIT.ok;
  }
  const file = path.resolve(io.cwd, values.out);
  const stream = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  try {
    await Promise.race([writeReport(ctx, format, stream, options), failed]);
    stream.end();
    await finished(stream);
  } catch (err) {
    stream.destroy();
    throw new CliError('FK_CLI_OUTPUT', `cannot write report ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return EXIT.ok;
}

