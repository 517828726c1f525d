/**
 * `gate-accuracy`: how often the gate raises a false alarm on unchanged code,
 * and how often it catches a known slowdown, on each signal.
 *
 * - A/A: full gate runs (both sides, every benchmark, both signals) of the
 *   same build; every flagged benchmark is a false alarm. They also give the
 *   per-benchmark spread of counts between processes and the time per gate run.
 * - Injected: +1%, +2%, +5% and +10% of extra work in three benchmarks at
 *   once (an add path, a health path, a report path), each trial measuring
 *   them on both sides in fresh processes. For counts the work is calibrated
 *   in instructions (from a calibration count of the benchmarks and of one
 *   iteration of the work); for wall-clock in time, inside the timing process.
 */
import { join } from 'node:path';
import { runGate } from './compare.js';
import type { Side } from './compare.js';
import { countCases, wallCases } from './compare-command.js';
import { WORK_CASE } from './counts/child.js';
import type { CountRow } from './counts/decide.js';
import { decideCounts } from './counts/decide.js';
import { COUNT_PROCESSES, countEnvironment } from './counts/environment.js';
import { countSide } from './counts/run.js';
import { formatIr } from './counts/table.js';
import { BenchError } from './errors.js';
import { DEFAULT_POLICY } from './gate.js';
import type { Opts } from './options.js';
import { here } from './paths.js';
import { progressBar } from './progress.js';

/** Where the slowdown is injected: an add path, a health path, a report path. */
export const VICTIMS = ['findings/add-1000', 'health/uncached', 'reports/markdown-100'] as const;
export const LEVELS = [0.01, 0.02, 0.05, 0.1] as const;

interface Tally {
  signal: 'counts' | 'wall-clock';
  scenario: string;
  trials: number;
  flagged: number;
  changes: number[];
}

const med = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[s.length >> 1] as number);
};
const pct = (x: number, digits = 1): string => (Number.isNaN(x) ? '—' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(digits)}%`);

function requireMeasured(rows: readonly CountRow[], what: string): void {
  const bad = rows.filter((r) => r.verdict === 'not measured');
  if (bad.length > 0) throw new BenchError('FK_BENCH_COUNTS', `${what}: not measured: ${bad.map((r) => `${r.name} (${r.reason})`).join('; ')}`);
}

export async function cmdGateAccuracy(o: Opts): Promise<number> {
  if (countEnvironment() === undefined) throw new BenchError('FK_BENCH_COUNTS', 'gate-accuracy measures both signals and needs valgrind (scripts/setup.sh installs it)');
  const cli = join(here, 'cli.js');
  const A: Side = { label: 'A', cli };
  const counted = countCases(o);
  const timed = wallCases(o);
  const victims = VICTIMS.filter((v) => counted.includes(v));
  if (victims.length === 0) throw new BenchError('FK_BENCH_USAGE', `gate-accuracy injects into ${VICTIMS.join(', ')}; --filter leaves none of them`);
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  const wallOpts = { rounds: o.rounds ?? (o.quick ? 12 : 16), timeMs: o.quick ? 120 : 250, policy: { ...DEFAULT_POLICY, threshold: o.wallThreshold } };

  // Calibration: each victim's instructions per operation, and one iteration of the injected work.
  log('calibrating: counting the victims and the injected work');
  const calib = await countSide(A, victims, { calibrate: true });
  const irOf = (name: string): number => {
    const c = calib.cases.get(name);
    if (c?.state !== 'measured') throw new BenchError('FK_BENCH_COUNTS', `calibration: ${name} not measured${c?.state === 'not measured' ? ` (${c.reason})` : ''}`);
    return c.irPerOp;
  };
  const workIr = irOf(WORK_CASE);

  const tallies: Tally[] = [];
  const tally = (signal: Tally['signal'], scenario: string): Tally => {
    let t = tallies.find((x) => x.signal === signal && x.scenario === scenario);
    if (t === undefined) tallies.push((t = { signal, scenario, trials: 0, flagged: 0, changes: [] }));
    return t;
  };

  // A/A: full gate runs.
  const perProcess = new Map<string, number[]>();
  const gateSeconds: number[] = [];
  const aaBar = progressBar('A/A gate runs');
  for (let r = 0; r < o.aaRuns; r++) {
    aaBar.update(r, o.aaRuns);
    const t0 = Date.now();
    const [a, b] = await Promise.all([countSide(A, counted), countSide({ label: 'B', cli }, counted)]);
    const rows = decideCounts(counted, a.cases, b.cases, o.threshold);
    requireMeasured(rows, `A/A run ${r + 1}`);
    for (const side of [a, b]) {
      for (const [name, c] of side.cases) if (c.state === 'measured') (perProcess.get(name) ?? perProcess.set(name, []).get(name)!).push(c.irPerOp);
    }
    const { rows: wall } = await runGate(A, { label: 'B', cli }, { ...wallOpts, cases: timed });
    gateSeconds.push((Date.now() - t0) / 1000);
    const tc = tally('counts', 'A/A (no change)');
    tc.trials += rows.length;
    tc.flagged += rows.filter((x) => x.verdict === 'regressed').length;
    tc.changes.push(...rows.map((x) => x.change!));
    const tw = tally('wall-clock', 'A/A (no change)');
    tw.trials += wall.length;
    tw.flagged += wall.filter((x) => x.verdict === 'regressed').length;
    tw.changes.push(...wall.map((x) => x.change));
  }
  aaBar.done();

  // Injected: counts.
  for (const level of LEVELS) {
    const inject = victims.map((v) => `${v}:@${Math.max(1, Math.round((level * irOf(v)) / workIr))}`).join(',');
    const B: Side = { label: 'B', cli, env: { FLEETKIT_BENCH_INJECT: inject } };
    const bar = progressBar(`counts +${level * 100}%`);
    for (let t = 0; t < o.trials; t++) {
      bar.update(t, o.trials);
      const [a, b] = await Promise.all([countSide(A, victims), countSide(B, victims)]);
      const rows = decideCounts(victims, a.cases, b.cases, o.threshold);
      requireMeasured(rows, `injected +${level * 100}%`);
      const tc = tally('counts', `+${level * 100}% injected`);
      tc.trials += rows.length;
      tc.flagged += rows.filter((x) => x.verdict === 'regressed').length;
      tc.changes.push(...rows.map((x) => x.change!));
    }
    bar.done();
  }

  // Injected: wall-clock.
  for (const level of LEVELS) {
    const wallVictims = victims.filter((v) => timed.includes(v));
    if (o.wallTrials === 0 || wallVictims.length === 0) break;
    const B: Side = { label: 'B', cli, env: { FLEETKIT_BENCH_INJECT: wallVictims.map((v) => `${v}:${level}`).join(',') } };
    const bar = progressBar(`wall-clock +${level * 100}%`);
    for (let t = 0; t < o.wallTrials; t++) {
      bar.update(t, o.wallTrials);
      const { rows } = await runGate(A, B, { ...wallOpts, cases: wallVictims });
      const tw = tally('wall-clock', `+${level * 100}% injected`);
      tw.trials += rows.length;
      tw.flagged += rows.filter((x) => x.verdict === 'regressed').length;
      tw.changes.push(...rows.map((x) => x.change));
    }
    bar.done();
  }

  const spread = counted.map((name) => {
    const xs = perProcess.get(name) ?? [];
    const m = med(xs);
    return { name, irPerOp: m, processes: xs.length, spread: xs.length === 0 ? Number.NaN : (Math.max(...xs) - Math.min(...xs)) / m };
  });
  const result = {
    threshold: o.threshold,
    wallThreshold: o.wallThreshold,
    victims,
    tallies: tallies.map((t) => ({ signal: t.signal, scenario: t.scenario, trials: t.trials, flagged: t.flagged, rate: t.flagged / t.trials, medianChange: med(t.changes) })),
    spread,
    gateSeconds: { median: med(gateSeconds), min: Math.min(...gateSeconds), max: Math.max(...gateSeconds), runs: gateSeconds.length },
  };
  if (o.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  let md = `## Gate accuracy (counts fail at +${(o.threshold * 100).toFixed(0)}%, wall-clock at shown > +${(o.wallThreshold * 100).toFixed(0)}%; injected into ${victims.join(', ')})\n\n`;
  md += '| Signal | Scenario | Trials | Flagged | Rate | Median measured change |\n|---|---|---:|---:|---:|---:|\n';
  for (const t of result.tallies) md += `| ${t.signal} | ${t.scenario} | ${t.trials} | ${t.flagged} | ${(t.rate * 100).toFixed(0)}% | ${pct(t.medianChange, 2)} |\n`;
  md += `\nA/A rates are false alarms (each benchmark of each run is a trial); injected rates are detection (each victim of each run is a trial).\n`;
  md += `Full gate run (both sides, ${counted.length} benchmarks counted, ${timed.length} timed): median ${Math.round(result.gateSeconds.median)} s (${Math.round(result.gateSeconds.min)}–${Math.round(result.gateSeconds.max)} s over ${gateSeconds.length} runs).\n\n`;
  md += `### Count spread of the same code (${2 * o.aaRuns} sides, each the least of ${COUNT_PROCESSES} processes)\n\n| Benchmark | Instructions/op | Spread (max − min) / median |\n|---|---:|---:|\n`;
  for (const s of spread) md += `| ${s.name} | ${formatIr(s.irPerOp)} | ${pct(s.spread, 3).replace('+', '')} |\n`;
  process.stdout.write(md);
  return 0;
}
