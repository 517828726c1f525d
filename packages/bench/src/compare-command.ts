/**
 * `compare`: the regression gate on two signals.
 *
 * - Instruction counts (the deciding signal where valgrind runs): every
 *   benchmark counted under callgrind in one fresh process per side, both
 *   sides at once (counts don't disturb each other). A benchmark fails at
 *   +threshold instructions per operation (default 1%).
 * - Wall-clock (the second opinion, for what counts can't see: caches,
 *   memory, syscalls, GC pauses): the gate benchmarks timed ABBA in fresh
 *   processes, decided by gate.ts.
 *
 * The base: a saved baseline whose counts come from this very environment
 * needs no rebuild; its counts are compared with head's, and the base commit is
 * built only if something is flagged, to show where the instructions went.
 * Otherwise (`--ref`, `--paired`, no counts saved, another environment) the
 * base is built in a worktree and both sides are measured on both signals.
 */
import { join } from 'node:path';
import { loadBaseline } from './baseline.js';
import { buildWorktree, resolveRef, runGate } from './compare.js';
import type { Side } from './compare.js';
import { formatGainers, isJavaScriptFunction, topGainers } from './counts/cost-diff.js';
import type { CountRow, CountValue } from './counts/decide.js';
import { decideCounts } from './counts/decide.js';
import type { CountEnvironment } from './counts/environment.js';
import { countEnvironment, environmentDifferences } from './counts/environment.js';
import type { SideCounts } from './counts/run.js';
import { countSide } from './counts/run.js';
import type { CombinedRow } from './counts/table.js';
import { combinedMarkdown, verdictLines } from './counts/table.js';
import { BenchError } from './errors.js';
import type { GateRow } from './gate.js';
import { DEFAULT_POLICY } from './gate.js';
import type { Opts } from './options.js';
import { baselinesDir, here, repoRoot } from './paths.js';
import { selectCases } from './plan.js';
import { progressBar } from './progress.js';
import type { RunResult, SavedCounts } from './result.js';
import { currentCommit } from './run.js';
import { formatNs } from './targets.js';

/** The benchmarks the wall-clock signal times (counting covers every benchmark). */
export const GATE_CASES = ['context/create', 'registration/all', 'findings/add-single', 'findings/add-1000', 'queries/by-bot', 'health/uncached', 'reports/markdown-100', 'serialization/serialize'];

/** The wall-clock benchmarks for these options: the gate's eight, or those matching --filter. */
export function wallCases(o: Opts): string[] {
  return selectCases({ ...o, scale: false, full: false }).flatMap((c) => (o.filter !== undefined || GATE_CASES.includes(c.name) ? [c.name] : []));
}

/** The counted benchmarks: every one (but the 100,000-finding scenarios), or those matching --filter. */
export function countCases(o: Opts): string[] {
  return selectCases({ ...o, scale: false, full: false }).map((c) => c.name);
}

/** Where `compare` gets the base from: saved counts (no rebuild), or a commit to build and measure, and why. */
export type BaseChoice =
  | { readonly kind: 'saved'; readonly saved: SavedCounts }
  | { readonly kind: 'rebuild'; readonly ref: string; readonly why: string };

/**
 * Chooses the base: baseline main's counts when they come from this very
 * environment (and neither `--ref` nor `--paired` asks for more); otherwise
 * the commit to rebuild, with the reason — every differing field named.
 */
export function chooseBase(o: { ref?: string | undefined; paired: boolean }, main: RunResult | undefined, env: CountEnvironment | undefined): BaseChoice {
  if (o.ref !== undefined) return { kind: 'rebuild', ref: o.ref, why: `--ref ${o.ref}` };
  if (main === undefined) throw new BenchError('FK_BENCH_INPUT', 'no baseline "main" to compare with; pass --ref');
  const saved = main.instructions;
  const commit = saved?.commit ?? main.commit;
  if (env !== undefined && saved !== undefined && !o.paired) {
    const diffs = environmentDifferences(saved.environment, env);
    if (diffs.length === 0) return { kind: 'saved', saved };
    if (commit !== null) return { kind: 'rebuild', ref: commit, why: `baseline main's counts come from another environment (${diffs.join('; ')})` };
  }
  if (commit === null) throw new BenchError('FK_BENCH_INPUT', 'baseline "main" has no commit; pass --ref');
  const why = o.paired ? '--paired' : env === undefined ? 'no valgrind here: timing both sides' : 'baseline main has no instruction counts';
  return { kind: 'rebuild', ref: commit, why };
}

type Plan = { readonly kind: 'saved'; readonly saved: SavedCounts; readonly env: CountEnvironment } | { readonly kind: 'paired'; readonly commit: string; readonly why: string; readonly env: CountEnvironment | undefined };

function planCompare(o: Opts, log: (s: string) => void): Plan {
  const env = countEnvironment();
  if (env === undefined) log('valgrind not found: instruction counts cannot be taken, so this gate decides on wall-clock alone (scripts/setup.sh installs valgrind)');
  const choice = chooseBase(o, o.ref === undefined ? loadBaseline(baselinesDir, 'main') : undefined, env);
  if (choice.kind === 'saved') return { kind: 'saved', saved: choice.saved, env: env! };
  return { kind: 'paired', commit: resolveRef(repoRoot, choice.ref), why: choice.why, env };
}

function savedValues(saved: SavedCounts): Map<string, CountValue> {
  return new Map(saved.results.map((r) => [r.name, { state: 'measured', irPerOp: r.irPerOp }]));
}

/** "Where the instructions went" for each benchmark the counts flagged. */
function attribution(rows: readonly CountRow[], base: SideCounts, head: SideCounts): string {
  let out = '';
  for (const r of rows) {
    if (r.verdict !== 'regressed') continue;
    const b = base.cases.get(r.name);
    const h = head.cases.get(r.name);
    if (b?.state !== 'measured' || h?.state !== 'measured') continue;
    const ops = { base: b.ops, head: h.ops };
    const self = topGainers(b.profile, h.profile, { limit: 8, ops });
    const js = topGainers(b.profile, h.profile, { limit: 5, ops, by: 'inclusive', keep: isJavaScriptFunction });
    out += `\n### Where the instructions went: ${r.name}\n\nFunctions that executed the most more instructions per operation (self cost, from the callgrind files of base and head):\n\n${formatGainers(self, ops)}\n\nJavaScript functions whose calls cost the most more (inclusive: with everything they call):\n\n${formatGainers(js, ops)}\n`;
  }
  return out;
}

export async function cmdCompare(o: Opts): Promise<number> {
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  const started = Date.now();
  const plan = planCompare(o, log);
  const head: Side = { label: 'head', cli: join(here, 'cli.js') };
  const counted = plan.env === undefined ? [] : countCases(o);
  const timed = wallCases(o);
  const threshold = o.threshold;
  let header: string;
  let countRows: CountRow[] = [];
  let wallRows: GateRow[] = [];
  let notes = '';
  let where = '';
  if (plan.kind === 'saved') {
    const saved = plan.saved;
    header = `## Regression gate: baseline main (counts of ${saved.commit?.slice(0, 10) ?? 'unknown'}, this environment) → head`;
    log(`counting head (${counted.length} benchmarks under callgrind); the base's counts come from baseline main, same environment, so it is not rebuilt`);
    const headCounts = await countSide(head, counted);
    countRows = decideCounts(counted, savedValues(saved), headCounts.cases, threshold);
    notes += 'Wall-clock: not compared — the base was not rebuilt (`compare --paired` builds it and times both sides).\n';
    if (countRows.some((r) => r.verdict === 'regressed') && saved.commit !== null) {
      log(`flagged: building ${saved.commit.slice(0, 10)} to show where the instructions went`);
      const { side, cleanup } = buildWorktree(repoRoot, saved.commit, log);
      try {
        const flagged = countRows.filter((r) => r.verdict === 'regressed').map((r) => r.name);
        const baseCounts = await countSide(side, flagged);
        where = attribution(countRows, baseCounts, headCounts);
      } finally {
        cleanup();
      }
    }
  } else {
    header = `## Regression gate: ${plan.commit.slice(0, 10)} → head (base rebuilt: ${plan.why})`;
    log(`base ${plan.commit.slice(0, 10)} is rebuilt: ${plan.why}`);
    const { side: base, cleanup } = buildWorktree(repoRoot, plan.commit, log);
    try {
      if (counted.length > 0) {
        log(`counting both sides at once (${counted.length} benchmarks under callgrind)`);
        const [b, h] = await Promise.all([countSide(base, counted), countSide(head, counted)]);
        countRows = decideCounts(counted, b.cases, h.cases, threshold);
        where = attribution(countRows, b, h);
      }
      // Timed after counting, never beside it: counting takes both cores.
      const bar = progressBar('wall-clock rounds');
      ({ rows: wallRows } = await runGate(base, head, {
        cases: timed,
        rounds: o.rounds ?? (o.quick ? 12 : 16),
        timeMs: o.quick ? 120 : 250,
        policy: { ...DEFAULT_POLICY, threshold: o.wallThreshold },
        onProgress: (d, t) => bar.update(d, t),
      }));
      bar.done();
    } finally {
      cleanup();
    }
  }
  if (plan.env === undefined) notes += 'Instruction counts: not taken — valgrind was not found; this verdict rests on wall-clock alone.\n';
  const names = [...new Set([...counted, ...timed])];
  const rows: CombinedRow[] = names.map((name) => ({ name, count: countRows.find((r) => r.name === name), wall: wallRows.find((r) => r.name === name) }));
  const { failed, lines } = verdictLines(rows);
  const seconds = Math.round((Date.now() - started) / 1000);
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ base: plan.kind === 'saved' ? { baseline: 'main', commit: plan.saved.commit } : { commit: plan.commit, rebuiltBecause: plan.why }, head: currentCommit(repoRoot), countThreshold: threshold, wallThreshold: o.wallThreshold, counts: countRows, wall: wallRows, failed, seconds }, null, 2)}\n`);
  } else {
    process.stdout.write(`${header}\n\nCounts fail at ${pct(threshold)} instructions per operation; wall-clock fails when shown slower than ${pct(o.wallThreshold)}.\n\n${combinedMarkdown(rows, formatNs)}\n${notes}`);
    process.stdout.write(`${failed ? `Verdict: ❌ regression (${seconds} s)\n${lines.join('\n')}\n` : `Verdict: ✅ no regression (${seconds} s)\n`}${where}`);
  }
  return failed ? 1 : 0;
}

const pct = (x: number): string => `+${(x * 100).toFixed(x < 0.01 ? 1 : 0)}%`;
