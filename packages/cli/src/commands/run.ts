/**
 * `fleet run`: reads the fleet file, runs every bot as a real command in
 * dependency order (at most --jobs at once), records the session as it
 * changes (a storage, or a dashboard's API), then prints the table and the
 * health verdict, writes reports and, with --gate, gates the release.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Context, FleetHealth, RepoState, ReportFormat, SessionStorage } from '@fleetkit/shared-context';
import { REPORT_FORMATS, contextJSONChunks, generateReport } from '@fleetkit/shared-context';
import type { FleetPlan, RunRecorder, RunResult } from '@fleetkit/runner';
import { FleetConfigError, RunStorageError, loadFleetPlan, runFleet, storageRecorder } from '@fleetkit/runner';
import { countValue } from '../args.js';
import type { OptionValues } from '../cli-options.js';
import { dashboardRecorder } from '../dashboard-recorder.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { evaluateGate } from '../gate.js';
import type { GatePolicy, GateVerdict } from '../gate.js';
import type { Io } from '../output.js';
import { line } from '../output.js';
import { printRunSummary } from '../run-summary.js';
import type { RunOutputs } from '../run-summary.js';
import { createRunView } from '../run-view.js';
import { writeFileAtomic } from '../session-file.js';
import { openCliStorage, storeSpec } from '../session-source.js';
import { applySuppressions, loadSuppressions } from '../suppressions.js';

/** The default fleet file, in the working directory. */
export const FLEET_FILE = 'fleet.config.json';

/** Runs `fleet run`. */
export async function runRun(values: OptionValues<'run'>, io: Io): Promise<number> {
  const jobs = countValue(values.jobs);
  if (jobs === 0) throw new UsageError('--jobs must be at least 1', 'run');
  const spec = storeSpec(values.store, io);
  if (spec !== undefined && values.dashboard !== undefined) throw new UsageError('give --store or --dashboard, not both (a dashboard keeps the session in its own storage)', 'run');
  const extraReports = (values.report ?? []).map(parseReportOption);
  const gateFlags = values['fail-on'] !== undefined || values['max-errors'] !== undefined || values['max-warnings'] !== undefined;
  if (gateFlags && values.gate !== true) throw new UsageError('--fail-on, --max-errors and --max-warnings set the gate: add --gate', 'run');
  const configFile = path.resolve(io.cwd, values.config ?? FLEET_FILE);
  if (values.config === undefined && !existsSync(configFile)) {
    throw new CliError('FK_CLI_INPUT', `no fleet file: there is no ${FLEET_FILE} in ${io.cwd} (give one with --config FILE)`);
  }
  let plan: FleetPlan;
  try {
    plan = await loadFleetPlan(configFile, values.only === undefined ? {} : { only: values.only });
  } catch (err) {
    if (err instanceof FleetConfigError) throw new CliError('FK_CLI_INPUT', err.message, { cause: err });
    throw err;
  }
  const reports = [...plan.reports.map((r) => ({ format: r.format, file: r.out })), ...extraReports.map((r) => ({ format: r.format, file: path.resolve(io.cwd, r.file) }))];
  const out = values.out !== undefined || (spec === undefined && values.dashboard === undefined) ? path.resolve(io.cwd, values.out ?? 'fleet-session.json') : undefined;

  const storage = spec === undefined ? undefined : await openCliStorage(spec);
  try {
    const recorder: RunRecorder | undefined = storage !== undefined ? storageRecorder(storage) : values.dashboard !== undefined ? await dashboardRecorder(values.dashboard, io.env.FLEET_DASHBOARD_TOKEN) : undefined;
    // The repository's history before this run: what the slow-run and success-rate rules compare it with.
    const history = storage === undefined ? undefined : await storage.loadRepoState(plan.repoName).catch(() => undefined);
    const result = await runWithSignals(plan, { jobs: jobs ?? plan.jobs ?? os.availableParallelism(), recorder }, values.quiet === true || values.json === true, io);
    return await finish(plan, result, { values, io, out, reports, history, storage });
  } finally {
    await storage?.close();
  }
}

/** Runs the fleet with Ctrl-C (SIGINT) and SIGTERM interrupting it: bots' process groups are ended, and the run is recorded as interrupted. */
async function runWithSignals(plan: FleetPlan, options: { jobs: number; recorder: RunRecorder | undefined }, quiet: boolean, io: Io): Promise<RunResult & { signal: NodeJS.Signals | undefined }> {
  const stop = new AbortController();
  let signal: NodeJS.Signals | undefined;
  const view = createRunView(plan, io, { quiet });
  const onSignal = (s: NodeJS.Signals): void => {
    if (signal === undefined) {
      signal = s;
      view.note(`${s === 'SIGINT' ? 'Ctrl-C' : s}: interrupting the run — ending the running bots (SIGTERM, then SIGKILL after 5s)…`);
      stop.abort();
    } else {
      view.note('still ending the running bots…');
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runFleet(plan, { jobs: options.jobs, recorder: options.recorder, signal: stop.signal, onEvent: (e) => view.event(e) }).catch((err: unknown) => {
      if (err instanceof RunStorageError) throw new CliError('FK_CLI_OUTPUT', err.message, { cause: err });
      throw err;
    });
    return { ...result, signal };
  } finally {
    view.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

interface FinishInputs {
  readonly values: OptionValues<'run'>;
  readonly io: Io;
  readonly out: string | undefined;
  readonly reports: readonly { format: ReportFormat; file: string }[];
  readonly history: RepoState | undefined;
  readonly storage: SessionStorage | undefined;
}

/** Writes the session and reports, prints the summary, gates; returns the exit code. */
async function finish(plan: FleetPlan, result: RunResult & { signal: NodeJS.Signals | undefined }, { values, io, out, reports, history, storage }: FinishInputs): Promise<number> {
  const ctx = result.ctx;
  // In chunks: 50,000 findings would otherwise be one 25 MB string, and a serialized copy of each finding, at once.
  if (out !== undefined) await writeOut(out, sessionText(ctx));
  const health: FleetHealth = ctx.healthCheck(history === undefined ? {} : { history });
  const written: { format: string; file: string }[] = [];
  for (const r of reports) {
    await writeOut(r.file, generateReport(ctx, r.format));
    written.push({ format: r.format, file: rel(io, r.file) });
  }
  let gate: GateVerdict | undefined;
  if (values.gate === true) {
    // As `fleet gate` counts: unfixed findings, less those the suppressions file covers.
    const findings = ctx.findings.all();
    const { suppressed } = applySuppressions(findings, await loadSuppressions(undefined, io.cwd), ctx.now());
    gate = evaluateGate(findings.filter((f) => !f.fixed && !suppressed.has(f.id)), gatePolicy(plan, values));
  }
  const code =
    result.signal === 'SIGTERM' ? EXIT.terminated
    : result.interrupted ? EXIT.interrupted
    : result.recordingError !== undefined ? EXIT.usage
    : result.failed.length > 0 ? EXIT.botFailed
    : gate !== undefined && !gate.passed ? EXIT.blocked
    : EXIT.ok;
  const outputs: RunOutputs = { sessionFile: out === undefined ? undefined : rel(io, out), recordedIn: storage?.location ?? values.dashboard, recordedAs: result.recordedAs, reports: written };
  if (values.json === true) {
    line(io.stdout, JSON.stringify(summaryJSON(plan, result, health, gate, outputs, code), null, 2));
    if (result.recordingError !== undefined) line(io.stderr, `fleet run: ${result.recordingError.message}`);
  } else {
    printRunSummary(result, health, gate, outputs, io);
  }
  return code;
}

function summaryJSON(plan: FleetPlan, result: RunResult, health: FleetHealth, gate: GateVerdict | undefined, outputs: RunOutputs, exitCode: number): unknown {
  return {
    repo: plan.repoName,
    sessionId: result.ctx.sessionId,
    recordedAs: outputs.recordedAs ?? null,
    configFile: plan.configFile,
    jobs: result.jobs,
    peakConcurrency: result.peakConcurrency,
    wallMs: Math.round(result.wallMs),
    interrupted: result.interrupted,
    failed: result.failed,
    bots: result.bots,
    health: { status: health.status, score: health.healthScore, alerts: health.alerts.map((a) => ({ severity: a.severity, category: a.category, bot: a.bot, message: a.message })) },
    blocksRelease: result.ctx.blocksRelease(),
    gate: gate ?? null,
    reports: outputs.reports,
    session: outputs.sessionFile ?? null,
    store: outputs.recordedIn ?? null,
    recordingError: result.recordingError?.message ?? null,
    exitCode,
  };
}

/** `FORMAT:FILE` of --report. */
function parseReportOption(v: string): { format: ReportFormat; file: string } {
  const i = v.indexOf(':');
  const format = v.slice(0, Math.max(0, i));
  const file = v.slice(i + 1);
  if (i < 0 || !(REPORT_FORMATS as readonly string[]).includes(format) || file === '') {
    throw new UsageError(`--report must be FORMAT:FILE with FORMAT one of ${REPORT_FORMATS.join(', ')} (got "${v}")`, 'run');
  }
  return { format: format as ReportFormat, file };
}

function rel(io: Io, file: string): string {
  const r = path.relative(io.cwd, file);
  return r === '' || r.startsWith('..') ? file : r;
}

function* sessionText(ctx: Context): Generator<string> {
  yield* contextJSONChunks(ctx);
  yield '\n';
}

/** Writes a file atomically, creating its directory (a report's `out/` need not exist before the first run). */
async function writeOut(file: string, text: string | Iterable<string>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, text);
}

/** The fleet file's gate policy, with what the command line says over it. */
function gatePolicy(plan: FleetPlan, values: OptionValues<'run'>): GatePolicy {
  const failOn = (values['fail-on'] as 'error' | 'warning' | undefined) ?? plan.gate.failOn;
  const maxErrors = countValue(values['max-errors']) ?? plan.gate.maxErrors;
  const maxWarnings = countValue(values['max-warnings']) ?? plan.gate.maxWarnings;
  return { ...(failOn === undefined ? {} : { failOn }), ...(maxErrors === undefined ? {} : { maxErrors }), ...(maxWarnings === undefined ? {} : { maxWarnings }) };
}
