/** `fleet gate`: the CI release gate. Prints each condition and the verdict; exit 1 when blocked. */
import type { Finding } from '@fleetkit/shared-context';
import { findingFingerprint, locationString } from '@fleetkit/shared-context';
import { countValue } from '../args.js';
import { compareWithBaseline } from '../baseline.js';
import type { BaselineComparison } from '../baseline.js';
import type { OptionValues } from '../cli-options.js';
import { EXIT, UsageError } from '../errors.js';
import { evaluateGate } from '../gate.js';
import type { Io } from '../output.js';
import { line, stylesFor } from '../output.js';
import { loadSessions } from '../session-source.js';
import { applySuppressions, describeSuppression, loadSuppressions } from '../suppressions.js';

const LISTED = 20;

/** Runs `fleet gate`. */
export async function runGate(values: OptionValues<'gate'>, io: Io): Promise<number> {
  if (values['new-only'] === true && values.baseline === undefined) throw new UsageError('--new-only needs --baseline OLD_SESSION', 'gate');
  // Every input is read and checked before anything is evaluated, so a bad baseline never yields a verdict.
  const { ctx, base } = await loadSessions(values, io);
  const entries = await loadSuppressions(values.suppressions, io.cwd);
  const findings = ctx.findings.all();
  const { suppressed, expired, overLimit } = applySuppressions(findings, entries, ctx.now());
  const baseline: BaselineComparison | undefined = base === undefined ? undefined : compareWithBaseline(findings, base.findings);
  const counted = findings.filter((f) => !f.fixed && !suppressed.has(f.id) && (values['new-only'] !== true || baseline?.newIds.has(f.id) === true));
  const verdict = evaluateGate(counted, {
    failOn: values['fail-on'] as 'error' | 'warning' | undefined,
    maxErrors: countValue(values['max-errors']),
    maxWarnings: countValue(values['max-warnings']),
    label: values['new-only'] === true ? 'new ' : '',
  });
  const blocking = counted.filter((f) => f.severity === 'error' || (f.severity === 'warning' && verdict.conditions.some((c) => c.metric.endsWith('warnings'))));
  if (values.json === true) {
    line(io.stdout, JSON.stringify({
      repo: ctx.repoName,
      sessionId: ctx.sessionId,
      passed: verdict.passed,
      conditions: verdict.conditions,
      counted: counted.length,
      suppressed: suppressed.size,
      expiredSuppressions: expired,
      suppressionsOverLimit: overLimit.map((o) => ({ entry: o.entry, matched: o.matched, uncovered: o.uncovered })),
      baseline: baseline === undefined ? null : { new: baseline.newIds.size, unchanged: baseline.unchanged, absent: baseline.absent.length },
      findings: blocking.map((f) => ({ fingerprint: findingFingerprint(f), id: f.id, severity: f.severity, source: f.source, ruleId: f.ruleId, location: locationString(f) ?? null, new: baseline?.newIds.has(f.id) ?? null })),
    }, null, 2));
    return verdict.passed ? EXIT.ok : EXIT.blocked;
  }
  const st = stylesFor(io.stdout, io.env);
  line(io.stdout, st.bold(`Release gate: ${ctx.repoName} (session ${ctx.sessionId})`));
  line(io.stdout, `Counted ${counted.length} of ${findings.length} findings (unfixed${values['new-only'] === true ? ', new' : ''}, not suppressed); ${suppressed.size} suppressed`);
  if (baseline !== undefined) line(io.stdout, `Against baseline: ${baseline.newIds.size} new, ${baseline.unchanged} unchanged, ${baseline.absent.length} absent`);
  for (const e of expired) line(io.stdout, st.yellow(`Expired suppression (no longer applied): ${describeSuppression(e)}, expired ${e.expires} — ${e.justification}`));
  for (const o of overLimit) line(io.stdout, st.yellow(`Suppression over its limit: ${describeSuppression(o.entry)} covers ${o.entry.occurrences} of ${o.matched} occurrences; ${o.uncovered.length} counted as usual`));
  const rows = verdict.conditions.map((c) => [c.metric, c.comparator, String(c.threshold), String(c.actual), c.passed ? 'pass' : 'FAIL']);
  const head = ['metric', 'comparator', 'threshold', 'actual', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const fmt = (r: readonly string[]): string => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  line(io.stdout, `  ${fmt(head)}`);
  for (const [i, r] of rows.entries()) line(io.stdout, `  ${(verdict.conditions[i]?.passed ?? true ? st.green : st.red)(fmt(r))}`);
  if (!verdict.passed) {
    line(io.stdout, 'Blocking findings (fingerprint, severity, rule, location):');
    for (const f of blocking.slice(0, LISTED)) line(io.stdout, `  ${describeFinding(f)}`);
    if (blocking.length > LISTED) line(io.stdout, `  … and ${blocking.length - LISTED} more`);
  }
  const failed = verdict.conditions.filter((c) => !c.passed).length;
  line(io.stdout, verdict.passed ? st.green(st.bold('Verdict: PASS')) : st.red(st.bold(`Verdict: BLOCKED (${failed} of ${verdict.conditions.length} conditions failed)`)));
  return verdict.passed ? EXIT.ok : EXIT.blocked;
}

function describeFinding(f: Finding): string {
  return `${findingFingerprint(f)}  ${f.severity.padEnd(7)}  ${f.source}/${f.ruleId}  ${locationString(f) ?? '(no file)'}`;
}
