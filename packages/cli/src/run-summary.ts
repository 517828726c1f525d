/** The end of `fleet run`: the bots' table, why bots failed, the health verdict, and the gate. */
import type { FleetHealth } from '@fleetkit/shared-context';
import { SEVERITIES } from '@fleetkit/shared-context';
import type { BotResult, RunResult } from '@fleetkit/runner';
import { formatDuration } from '@fleetkit/runner';
import type { GateVerdict } from './gate.js';
import type { Io } from './output.js';
import { line, stylesFor } from './output.js';

const SHOWN_ALERTS = 8;
const STDERR_LINES = 10;

/** Where the session went, and the reports written. */
export interface RunOutputs {
  readonly sessionFile: string | undefined;
  readonly recordedIn: string | undefined;
  readonly recordedAs: string | undefined;
  readonly reports: readonly { format: string; file: string }[];
}

/** The table's rows: bot, status, duration, then findings by severity. */
export function runTable(bots: readonly BotResult[]): string[][] {
  return bots.map((b) => [b.id, b.status === 'failed' && b.allowFailure ? 'failed (allowed)' : b.status, b.status === 'skipped' ? '–' : formatDuration(b.durationMs), ...SEVERITIES.map((s) => String(b.severities[s]))]);
}

/** Prints the final table, failures, health and gate to stdout. */
export function printRunSummary(result: RunResult, health: FleetHealth, gate: GateVerdict | undefined, outputs: RunOutputs, io: Io): void {
  const st = stylesFor(io.stdout, io.env);
  const ctx = result.ctx;
  const done = result.bots.filter((b) => b.status === 'completed').length;
  line(io.stdout);
  line(io.stdout, st.bold(`Fleet run: ${ctx.repoName} — ${done} of ${result.bots.length} bots completed in ${formatDuration(result.wallMs)} (jobs ${result.jobs}, at most ${result.peakConcurrency} at once)${result.interrupted ? ' — INTERRUPTED' : ''}`));
  const head = ['bot', 'status', 'duration', ...SEVERITIES];
  const rows = runTable(result.bots);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: readonly string[]): string => r.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  line(io.stdout, `  ${st.bold(fmt(head))}`);
  for (const [i, r] of rows.entries()) {
    const b = result.bots[i]!;
    const paint = b.status === 'failed' ? (b.allowFailure ? st.yellow : st.red) : b.status === 'skipped' ? st.yellow : (s: string) => s;
    line(io.stdout, `  ${paint(fmt(r))}`);
  }
  const total = ['total', '', '', ...SEVERITIES.map((s) => String(result.bots.reduce((n, b) => n + b.severities[s], 0)))];
  line(io.stdout, `  ${st.dim(fmt(total))}`);

  for (const b of result.bots) {
    if (b.status === 'completed' || b.reason === undefined) continue;
    if (b.status === 'skipped') {
      line(io.stdout, st.yellow(`${b.id} skipped: ${b.reason}`));
      continue;
    }
    line(io.stdout, (b.allowFailure ? st.yellow : st.red)(`${b.id} failed: ${b.reason}`));
    const tail = (b.stderrTail ?? '').split('\n').filter((l) => l.trim() !== '').slice(-STDERR_LINES);
    if (tail.length > 0) for (const l of tail) line(io.stdout, st.dim(`  │ ${l}`));
  }
  for (const b of result.bots) if (b.rejected > 0) line(io.stdout, st.yellow(`${b.id}: ${b.rejected} record${b.rejected === 1 ? '' : 's'} of its output could not be read (see the run's log)`));

  const paintHealth = health.status === 'healthy' ? st.green : health.status === 'degraded' ? st.yellow : st.red;
  line(io.stdout, `Health: ${paintHealth(st.bold(health.status))} (score ${Math.round(health.healthScore * 10) / 10}), ${health.alerts.length} alert${health.alerts.length === 1 ? '' : 's'}; ${ctx.blocksRelease() ? st.red('unfixed errors block the release') : 'nothing blocks the release'}`);
  for (const a of health.alerts.slice(0, SHOWN_ALERTS)) line(io.stdout, `  ${a.severity === 'warning' ? st.yellow('!') : st.red('!')} ${a.bot === null || a.message.includes(a.bot) ? '' : `${a.bot}: `}${a.message.split('\n')[0] ?? ''}`);
  if (health.alerts.length > SHOWN_ALERTS) line(io.stdout, `  … and ${health.alerts.length - SHOWN_ALERTS} more`);

  for (const r of outputs.reports) line(io.stdout, `Report (${r.format}) written to ${r.file}`);
  if (outputs.sessionFile !== undefined) line(io.stdout, `Session written to ${outputs.sessionFile}`);
  if (outputs.recordedIn !== undefined) line(io.stdout, `Session ${outputs.recordedAs ?? ctx.sessionId} recorded in ${outputs.recordedIn}${result.interrupted ? ' (as interrupted; not added to the history)' : ''}`);
  if (result.recordingError !== undefined) line(io.stderr, st.red(`fleet run: ${result.recordingError.message}`));

  if (gate !== undefined) {
    const conditions = gate.conditions.map((c) => `${c.metric} ${c.actual} ${c.comparator} ${c.threshold}${c.passed ? '' : ' FAIL'}`).join(', ');
    line(io.stdout, gate.passed ? st.green(st.bold(`Gate: PASS (${conditions})`)) : st.red(st.bold(`Gate: BLOCKED (${conditions})`)));
  }
}
