/** `fleet report`: renders a session with the shared reporters; suppressed findings are marked, not dropped. */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { Context, writeReport } from '@fleetkit/shared-context';
import type { GroupBy, ReportFormat, ReportOptions, Severity } from '@fleetkit/shared-context';
import { countValue } from '../args.js';
import type { OptionValues } from '../cli-options.js';
import { CliError, EXIT } from '../errors.js';
import type { Io } from '../output.js';
import { readSession } from '../session-file.js';
import { applySuppressions, loadSuppressions } from '../suppressions.js';
import type { SuppressionResult } from '../suppressions.js';

/** Runs `fleet report`. */
export async function runReport(values: OptionValues<'report'>, io: Io): Promise<number> {
  const ctx = await readSession(values.session as string);
  const entries = await loadSuppressions(values.suppressions, io.cwd);
  const marked = markSuppressed(ctx, applySuppressions(ctx.findings.all(), entries, ctx.now()));
  const format = (values.format ?? 'markdown') as ReportFormat;
  const options: ReportOptions = {
    maxFindings: countValue(values['max-findings']),
    target: values.target as 'github-comment' | undefined,
    groupBy: values['group-by'] as GroupBy | undefined,
    minSeverity: values['min-severity'] as Severity | undefined,
  };
  if (values.out === undefined) {
    await writeReport(marked, format, io.stdout, options);
    return EXIT.ok;
  }
  const file = path.resolve(io.cwd, values.out);
  const stream = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  try {
    await Promise.race([writeReport(marked, format, stream, options), failed]);
    stream.end();
    await finished(stream);
  } catch (err) {
    stream.destroy();
    throw new CliError('FK_CLI_OUTPUT', `cannot write report ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return EXIT.ok;
}

/** A copy of the session whose suppressed findings carry `metadata.suppressed` (justification, expiry). */
function markSuppressed(ctx: Context, result: SuppressionResult): Context {
  if (result.suppressed.size === 0 && result.expired.length === 0) return ctx;
  const json = ctx.toJSON();
  const findings = json.findings.map((f) => {
    const s = f.id === undefined ? undefined : result.suppressed.get(f.id);
    if (s === undefined) return f;
    return { ...f, metadata: { ...f.metadata, suppressed: { justification: s.justification, ...(s.expires === undefined ? {} : { expires: s.expires }) } } };
  });
  const data = { ...json.data, 'fleet.expiredSuppressions': result.expired.map((e) => ({ ...e })) };
  return Context.fromJSON({ ...json, findings, data }, { now: ctx.now });
}
