/**
 * `bench-fleet.sh fleet-run`: what `fleet run` costs beyond its bots. B bots
 * (each a `node` script writing N rdjson findings), J at once. Each paired
 * round times the same commands under a bare scheduler (the bots' own time on
 * this machine at this concurrency) and under `fleet run`, in alternating
 * order; the overhead is their difference within the round. One bot against
 * one bare bot gives the fixed cost (node startup, config, session write).
 * A separate run per round, under a preloaded probe, gives `fleet run`'s own
 * peak RSS and CPU time.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importFindings } from '@fleetkit/shared-context';
import { BenchError } from '../errors.js';
import { repoRoot } from '../paths.js';
import { runBare, timeProcess } from './bare.js';
import type { TimedProcess } from './bare.js';
import { writeFixture } from './fixture.js';
import type { Fixture } from './fixture.js';
import type { CpuProfile, SelfTime } from './profile.js';
import { selfTimes } from './profile.js';
import { RSS_PROBE_ENV, readProbe, writeRssProbe } from './rss-probe.js';
import type { GoalRow, Summary } from './summary.js';
import { goalRow, goalsTable, infoRow, pairedDifferences, pairedRatios, summarize } from './summary.js';

/** `fleet-run --help`. */
export const FLEET_RUN_HELP = `bench-fleet.sh fleet-run — the overhead and peak RSS of \`fleet run\`

B bots, each a node script writing N rdjson findings to stdout, all
independent, J at once. Each round times the same commands under a bare
scheduler and under \`fleet run\` (alternating which goes first); the overhead
is the difference within the round. Goals: ≤ 20 ms per bot, ≤ 1 s for the
run, peak RSS of \`fleet run\` < 200 MB.

Options:
  --bots B        bots in the fleet (default 50)
  --findings N    findings each bot writes (default 1000)
  --jobs J        bots at once, in both schedulers (default 8)
  --runs R        paired rounds measured, after one warm-up round (default 5)
  --cpu-prof      also profile one more \`fleet run\` (node --cpu-prof) and list
                  the top functions and packages by self time
  --keep          keep the temporary directory (fleet file, emit.mjs, sessions)
  --results DIR   where fleet-run.json goes (default benchmark-results/)
  --fleet FILE    the \`fleet\` command's script (default packages/cli/bin/fleet.js)
  --json          print JSON instead of Markdown

Exits 0 when every goal is met, 1 when one is missed or \`fleet run\` fails,
2 for bad usage or when \`fleet run\` is not available.
`;

const GOAL_PER_BOT_MS = 20;
const GOAL_RUN_MS = 1000;
const GOAL_RSS_MB = 200;

/** The options of `fleet-run`. */
export interface FleetRunOptions {
  readonly bots: number;
  readonly findings: number;
  readonly jobs: number;
  readonly runs: number;
  readonly cpuProf: boolean;
  readonly keep: boolean;
  readonly json: boolean;
  readonly results: string;
  readonly fleet: string;
}

/** Parses `fleet-run`'s argv; bad usage is FK_BENCH_USAGE, with this command's help. */
export function parseFleetRunOptions(argv: readonly string[]): FleetRunOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        bots: { type: 'string' },
        findings: { type: 'string' },
        jobs: { type: 'string' },
        runs: { type: 'string' },
        'cpu-prof': { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        results: { type: 'string', default: join(repoRoot, 'benchmark-results') },
        fleet: { type: 'string', default: join(repoRoot, 'packages', 'cli', 'bin', 'fleet.js') },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw new BenchError('FK_BENCH_USAGE', `${(err as Error).message}\n\n${FLEET_RUN_HELP}`);
    throw err;
  }
  if (values.help) return 'help';
  const int = (name: string, v: string | undefined, d: number, min: number, max: number): number => {
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new BenchError('FK_BENCH_USAGE', `--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return n;
  };
  return {
    bots: int('bots', values.bots, 50, 1, 1000),
    findings: int('findings', values.findings, 1000, 0, 1_000_000),
    jobs: int('jobs', values.jobs, 8, 1, 256),
    runs: int('runs', values.runs, 5, 1, 100),
    cpuProf: values['cpu-prof'],
    keep: values.keep,
    json: values.json,
    results: resolve(values.results),
    fleet: resolve(values.fleet),
  };
}

/** Everything one `fleet-run` measured (also written to fleet-run.json). */
export interface FleetRunResult {
  readonly date: string;
  readonly machine: { readonly cpu: string; readonly cores: number; readonly node: string; readonly platform: string };
  readonly bots: number;
  readonly findings: number;
  readonly jobs: number;
  readonly rounds: number;
  /** Per round, in ms (the order within each round alternates: even rounds bare first). */
  readonly raw: {
    readonly bareMs: number[];
    readonly fleetMs: number[];
    readonly bare1Ms: number[];
    readonly fleet1Ms: number[];
    readonly nodeStartupMs: number[];
    /** `fleet run --help`: node's startup and the command's modules loaded, nothing run. */
    readonly helpMs: number[];
    readonly peakRssMb: number[];
    readonly fleetCpuMs: number[];
    /** The same for the one-bot fleet: what `fleet run` holds and spends for almost nothing. */
    readonly peakRss1Mb: number[];
    readonly fleet1CpuMs: number[];
    /** The session's own span (its startedAt to completedAt, as `fleet run` recorded it); NaN when it has none. */
    readonly sessionSpanMs: number[];
  };
  readonly summary: {
    readonly bareMs: Summary;
    readonly fleetMs: Summary;
    readonly ratio: Summary;
    readonly overheadMs: Summary;
    readonly overheadPerBotMs: Summary;
    readonly fixedOverheadMs: Summary;
    readonly marginalPerBotMs: Summary;
    readonly nodeStartupMs: Summary;
    readonly helpMs: Summary;
    readonly peakRssMb: Summary;
    readonly fleetCpuMs: Summary;
    readonly peakRss1Mb: Summary;
    readonly fleet1CpuMs: Summary;
    readonly sessionSpanMs: Summary | null;
    readonly outsideSpanMs: Summary | null;
  };
  /** Findings in the session `fleet run --out` wrote (first measured round), as `importFindings` reads it; null when it reads none. */
  readonly sessionFindings: number | null;
  readonly goals: readonly GoalRow[];
  readonly pass: boolean;
  readonly profile?: { readonly file: string; readonly totalMs: number; readonly functions: readonly SelfTime[]; readonly packages: readonly SelfTime[] };
}

const log = (s: string): void => void process.stderr.write(`fleet-run: ${s}\n`);

/** `fleet run` args for a fixture (the session goes to `out`). */
function fleetArgs(o: FleetRunOptions, f: Fixture, out: string): string[] {
  return [o.fleet, 'run', '--config', f.configPath, '--jobs', String(o.jobs), '--quiet', '--out', out];
}

/** A `fleet run` that did not exit 0 is a crashed measurement: its output says why. */
function checkFleet(r: TimedProcess, what: string): TimedProcess {
  if (r.code === 0) return r;
  const tail = `${r.stderr}${r.stdout}`.trim().split('\n').slice(-8).join('\n');
  throw new BenchError('FK_BENCH_CRASHED', `\`fleet run\` (${what}) exited with ${r.code ?? r.signal}:\n${tail}`);
}

/** Fails early, and clearly, when the `fleet` script has no working `run` (exit 2 as for any missing input). */
async function checkAvailable(o: FleetRunOptions): Promise<void> {
  if (!existsSync(o.fleet)) throw new BenchError('FK_BENCH_INPUT', `${o.fleet} does not exist; build packages/cli first (pnpm build)`);
  const r = await timeProcess([process.execPath, o.fleet, 'run', '--help']);
  if (r.code !== 0) throw new BenchError('FK_BENCH_INPUT', `\`fleet run\` is not available (\`${o.fleet} run --help\` exited with ${r.code ?? r.signal}): ${`${r.stderr}${r.stdout}`.trim().split('\n')[0] ?? ''}`);
}

/** Findings in a session file, counted by the import code (null if it reads none: an unknown session shape). */
function countSessionFindings(file: string): number | null {
  if (!existsSync(file)) return null;
  const r = importFindings(readFileSync(file, 'utf8'), { dedupe: false });
  return r.format === undefined ? null : r.findings.length;
}

/**
 * The run's own span as the session records it (`startedAt` to
 * `completedAt`): `fleet run`'s wall time less its startup before the
 * session begins and what it does after it ends (writing it, the table).
 */
function sessionSpanMs(file: string): number {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as { startedAt?: unknown; completedAt?: unknown };
    if (typeof s.startedAt !== 'string' || typeof s.completedAt !== 'string') return NaN;
    return Date.parse(s.completedAt) - Date.parse(s.startedAt);
  } catch {
    return NaN;
  }
}

/** Runs the benchmark; returns the exit code (0 every goal met, 1 one missed). */
export async function cmdFleetRun(argv: readonly string[]): Promise<number> {
  const parsed = parseFleetRunOptions(argv);
  if (parsed === 'help') {
    process.stdout.write(FLEET_RUN_HELP);
    return 0;
  }
  const o = parsed;
  await checkAvailable(o);
  const dir = mkdtempSync(join(tmpdir(), 'fleetkit-bench-fleet-run-'));
  const interrupted = (): void => {
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  try {
    const result = await measure(o, dir);
    const md = markdown(result);
    if (o.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stdout.write(md);
    mkdirSync(o.results, { recursive: true });
    const file = join(o.results, 'fleet-run.json');
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    log(`results written to ${file}${o.keep ? `; fixture kept in ${dir}` : ''}`);
    return result.pass ? 0 : 1;
  } finally {
    process.off('SIGINT', interrupted);
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(o: FleetRunOptions, dir: string): Promise<FleetRunResult> {
  const big = writeFixture(dir, { bots: o.bots, findings: o.findings, jobs: o.jobs });
  // The fixed cost: one bot of one finding (an empty run could take another path, e.g. skip the session write).
  const one = writeFixture(join(dir, 'one'), { bots: 1, findings: 1, jobs: 1 });
  const probe = writeRssProbe(dir);
  const session = (name: string): string => join(dir, `${name}.session.json`);
  const fleet = async (f: Fixture, name: string, what: string): Promise<number> => checkFleet(await timeProcess([process.execPath, ...fleetArgs(o, f, session(name))]), what).ms;
  const nodeStartup = async (): Promise<number> => (await timeProcess([process.execPath, '-e', '0'])).ms;
  const help = async (): Promise<number> => checkFleet(await timeProcess([process.execPath, o.fleet, 'run', '--help']), '--help').ms;
  // Peak RSS and CPU time in runs of their own: the probe (a preloaded module) stays out of the timed runs.
  const probed = async (f: Fixture, name: string, what: string): Promise<{ rssMb: number; cpuMs: number }> => {
    const out = join(dir, `${name}.probe.json`);
    checkFleet(await timeProcess([process.execPath, '--import', probe, ...fleetArgs(o, f, session(name))], { env: { ...process.env, [RSS_PROBE_ENV]: out } }), what);
    const reading = readProbe(out);
    return { rssMb: reading.maxRssKiB / 1024, cpuMs: (reading.cpuUserUs + reading.cpuSystemUs) / 1000 };
  };

  log(`${o.bots} bots × ${o.findings} findings, --jobs ${o.jobs}: one warm-up round, then ${o.runs} paired round${o.runs === 1 ? '' : 's'} (${dir})`);
  const warm = await runBare(big.commands, o.jobs);
  const expectBytes = warm.stdoutBytes[0] ?? 0;
  if (warm.stdoutBytes.some((b) => b !== expectBytes)) log(`note: the bots' outputs differ in size (${Math.min(...warm.stdoutBytes)}–${Math.max(...warm.stdoutBytes)} bytes)`);
  await fleet(big, 'warm', 'warm-up');

  const raw: FleetRunResult['raw'] = { bareMs: [], fleetMs: [], bare1Ms: [], fleet1Ms: [], nodeStartupMs: [], helpMs: [], peakRssMb: [], fleetCpuMs: [], peakRss1Mb: [], fleet1CpuMs: [], sessionSpanMs: [] };
  let sessionFindings: number | null = null;
  for (let r = 0; r < o.runs; r++) {
    // Alternate which side goes first, so a trend in the machine's load does not always fall on the same side.
    const bareFirst = r % 2 === 0;
    const sides = {
      bare: async () => void raw.bareMs.push((await runBare(big.commands, o.jobs)).ms),
      fleet: async () => void raw.fleetMs.push(await fleet(big, `round-${r}`, `round ${r + 1}`)),
      bare1: async () => void raw.bare1Ms.push((await runBare(one.commands, 1)).ms),
      fleet1: async () => void raw.fleet1Ms.push(await fleet(one, `one-${r}`, `round ${r + 1}, one bot`)),
    };
    for (const side of bareFirst ? (['bare', 'fleet', 'bare1', 'fleet1'] as const) : (['fleet', 'bare', 'fleet1', 'bare1'] as const)) await sides[side]();
    raw.nodeStartupMs.push(await nodeStartup());
    raw.helpMs.push(await help());
    const p = await probed(big, `probe-${r}`, `round ${r + 1}, under the RSS probe`);
    raw.peakRssMb.push(p.rssMb);
    raw.fleetCpuMs.push(p.cpuMs);
    const p1 = await probed(one, `probe-one-${r}`, `round ${r + 1}, one bot under the RSS probe`);
    raw.peakRss1Mb.push(p1.rssMb);
    raw.fleet1CpuMs.push(p1.cpuMs);
    raw.sessionSpanMs.push(sessionSpanMs(session(`round-${r}`)));
    if (r === 0) sessionFindings = countSessionFindings(session('round-0'));
    log(`round ${r + 1}/${o.runs}: bare ${raw.bareMs[r]!.toFixed(0)} ms, fleet ${raw.fleetMs[r]!.toFixed(0)} ms; one bot: bare ${raw.bare1Ms[r]!.toFixed(0)} ms, fleet ${raw.fleet1Ms[r]!.toFixed(0)} ms; peak RSS ${raw.peakRssMb[r]!.toFixed(0)} MB, CPU ${raw.fleetCpuMs[r]!.toFixed(0)} ms`);
  }
  if (sessionFindings !== null && sessionFindings !== o.bots * o.findings) log(`warning: the session holds ${sessionFindings} findings, not ${o.bots * o.findings}`);

  const overhead = pairedDifferences(raw.fleetMs, raw.bareMs);
  const fixed = pairedDifferences(raw.fleet1Ms, raw.bare1Ms);
  const summary: FleetRunResult['summary'] = {
    bareMs: summarize(raw.bareMs),
    fleetMs: summarize(raw.fleetMs),
    ratio: summarize(pairedRatios(raw.fleetMs, raw.bareMs)),
    overheadMs: summarize(overhead),
    overheadPerBotMs: summarize(overhead.map((x) => x / o.bots)),
    fixedOverheadMs: summarize(fixed),
    // What each further bot adds, the fixed cost set aside (same round's pair).
    marginalPerBotMs: summarize(overhead.map((x, i) => (o.bots > 1 ? (x - (fixed[i] as number)) / (o.bots - 1) : 0))),
    nodeStartupMs: summarize(raw.nodeStartupMs),
    helpMs: summarize(raw.helpMs),
    peakRssMb: summarize(raw.peakRssMb),
    fleetCpuMs: summarize(raw.fleetCpuMs),
    peakRss1Mb: summarize(raw.peakRss1Mb),
    fleet1CpuMs: summarize(raw.fleet1CpuMs),
    sessionSpanMs: raw.sessionSpanMs.some(Number.isNaN) ? null : summarize(raw.sessionSpanMs),
    outsideSpanMs: raw.sessionSpanMs.some(Number.isNaN) ? null : summarize(pairedDifferences(raw.fleetMs, raw.sessionSpanMs)),
  };
  const goals: GoalRow[] = [
    goalRow('Overhead per bot', summary.overheadPerBotMs, 'ms', '≤', GOAL_PER_BOT_MS, `${GOAL_PER_BOT_MS} ms`),
    goalRow('Overhead of the run', summary.overheadMs, 'ms', '≤', GOAL_RUN_MS, '1 s'),
    goalRow('Peak RSS of `fleet run`', summary.peakRssMb, 'MB', '<', GOAL_RSS_MB, `${GOAL_RSS_MB} MB`),
    infoRow('Bots alone (bare scheduler)', summary.bareMs, 'ms'),
    infoRow('`fleet run`', summary.fleetMs, 'ms'),
    infoRow('`fleet run` / bare', summary.ratio, '×'),
    infoRow('Fixed cost: 1 bot of 1 finding, fleet − bare', summary.fixedOverheadMs, 'ms'),
    infoRow('Startup: `fleet run --help` (node + modules)', summary.helpMs, 'ms'),
    infoRow('… of which an empty `node -e 0`', summary.nodeStartupMs, 'ms'),
    infoRow('Each further bot, fleet − bare', summary.marginalPerBotMs, 'ms'),
    ...(summary.sessionSpanMs === null || summary.outsideSpanMs === null
      ? []
      : [infoRow('Session span (its startedAt → completedAt)', summary.sessionSpanMs, 'ms'), infoRow('`fleet run` outside that span (startup, writing)', summary.outsideSpanMs, 'ms')]),
    infoRow(`CPU time of \`fleet run\` (user + sys), ${o.bots} bots`, summary.fleetCpuMs, 'ms'),
    infoRow('CPU time of `fleet run`, 1 bot of 1 finding', summary.fleet1CpuMs, 'ms'),
    infoRow('Peak RSS of `fleet run`, 1 bot of 1 finding', summary.peakRss1Mb, 'MB'),
  ];
  const cpu = cpus();
  const result: FleetRunResult = {
    date: new Date().toISOString(),
    machine: { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, node: process.version, platform: `${process.platform}-${process.arch}` },
    bots: o.bots,
    findings: o.findings,
    jobs: o.jobs,
    rounds: o.runs,
    raw,
    summary,
    sessionFindings,
    goals,
    pass: goals.every((g) => g.pass !== false),
  };
  return o.cpuProf ? { ...result, profile: await profileFleet(o, big, dir) } : result;
}

/** One more `fleet run` under `node --cpu-prof`; the profile is kept in the results directory. */
async function profileFleet(o: FleetRunOptions, f: Fixture, dir: string): Promise<NonNullable<FleetRunResult['profile']>> {
  const profDir = join(o.results, 'fleet-run-cpu-prof');
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  log(`profiling one more run into ${profDir}`);
  checkFleet(await timeProcess([process.execPath, '--cpu-prof', '--cpu-prof-dir', profDir, ...fleetArgs(o, f, join(dir, 'profiled.session.json'))]), 'under --cpu-prof');
  const name = readdirSync(profDir).find((n) => n.endsWith('.cpuprofile'));
  if (name === undefined) throw new BenchError('FK_BENCH_CRASHED', `no .cpuprofile was written in ${profDir}`);
  const file = join(profDir, name);
  const t = selfTimes(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  return { file, totalMs: t.total, functions: t.functions, packages: t.packages };
}

/** The report: goals and context figures, then the profile if any. */
export function markdown(r: FleetRunResult): string {
  let md = `# \`fleet run\`: ${r.bots} bots × ${r.findings.toLocaleString('en')} findings, --jobs ${r.jobs}\n\n`;
  md += `${r.machine.cores} cores (${r.machine.cpu}), Node ${r.machine.node}; ${r.rounds} paired round${r.rounds === 1 ? '' : 's'} after a warm-up, order alternated; overhead = fleet − bare within each round.\n\n`;
  md += goalsTable(r.goals);
  md += `\nSession written by \`--out\`: ${r.sessionFindings === null ? 'not read (unknown shape)' : `${r.sessionFindings.toLocaleString('en')} findings${r.sessionFindings === r.bots * r.findings ? ' (all)' : ` ✗ expected ${(r.bots * r.findings).toLocaleString('en')}`}`}.\n`;
  if (r.profile !== undefined) {
    const row = (s: SelfTime): string => `| ${s.name.replace(/\|/g, '\\|')} | ${s.selfMs.toFixed(1)} ms | ${(s.share * 100).toFixed(1)}% |`;
    md += `\nCPU profile of one more run (${r.profile.totalMs.toFixed(0)} ms profiled, idle included; ${r.profile.file}):\n\n| Package | Self time | Share |\n|---|---:|---:|\n${r.profile.packages.map(row).join('\n')}\n\n| Function | Self time | Share |\n|---|---:|---:|\n${r.profile.functions.map(row).join('\n')}\n`;
  }
  return md;
}
