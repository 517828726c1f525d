/**
 * The regression gate's orchestration: build REF in a temporary git worktree,
 * then measure base and head in the same job, interleaved ABBA, each side in a
 * fresh process per round, and decide with gate.ts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchError } from './errors.js';
import type { GatePolicy, GateRow, PairedRounds } from './gate.js';
import { decide } from './gate.js';
import { environmentWithoutInjection } from './inject.js';

/** A built checkout whose bench CLI can be run. */
export interface Side {
  readonly label: string;
  /** Path of `packages/bench/dist/cli.js`. */
  readonly cli: string;
  /** Extra environment (the harness's injected slowdown, for gate-accuracy). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Resolves `ref` to a commit; a ref that does not exist is FK_BENCH_INPUT. */
export function resolveRef(repo: string, ref: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    throw new BenchError('FK_BENCH_INPUT', `ref ${JSON.stringify(ref)} does not name a commit in ${repo}`);
  }
}

/** Checks out and builds `commit` in a temporary worktree. Returns the side and a cleanup. */
export function buildWorktree(repo: string, commit: string, log: (s: string) => void): { side: Side; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'fleetkit-base-'));
  const cleanup = (): void => {
    try {
      execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: repo, stdio: 'ignore' });
    } catch {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    execFileSync('git', ['worktree', 'add', '--detach', dir, commit], { cwd: repo, stdio: 'ignore' });
    // The store holds what this checkout's lockfile names; an older base may need a package that was
    // dropped since (seen: ws 8.23.0), so missing ones come from the registry rather than failing.
    log(`base ${commit.slice(0, 10)}: installing (frozen lockfile, from the store where it can)`);
    execFileSync('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', '--silent'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    log(`base ${commit.slice(0, 10)}: building`);
    execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@fleetkit/bench...', '--output-logs=errors-only'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    cleanup();
    const e = err as { stderr?: Buffer };
    throw new BenchError('FK_BENCH_INPUT', `could not build ${commit.slice(0, 10)}: ${e.stderr?.toString().trim().split('\n').slice(-3).join(' ') || (err as Error).message}`, { cause: err });
  }
  const cli = join(dir, 'packages', 'bench', 'dist', 'cli.js');
  if (!existsSync(cli)) {
    cleanup();
    throw new BenchError('FK_BENCH_INPUT', `commit ${commit.slice(0, 10)} has no bench CLI (packages/bench/dist/cli.js): it predates the gate`);
  }
  return { side: { label: `base ${commit.slice(0, 10)}`, cli }, cleanup };
}

/** Runs `sample` in a fresh process and returns median ns per case; a crash is FK_BENCH_CRASHED. */
export function sampleOnce(side: Side, cases: readonly string[], timeMs: number): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', side.cli, 'sample', '--cases', cases.join(','), '--time-ms', String(timeMs)], {
      env: { ...environmentWithoutInjection(), ...side.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(new BenchError('FK_BENCH_CRASHED', `${side.label}: could not start (${e.message})`)));
    child.on('close', (code, signal) => {
      if (code !== 0) {
        reject(new BenchError('FK_BENCH_CRASHED', `${side.label}: benchmark process crashed (${signal ?? `exit ${code}`}): ${err.trim().split('\n').slice(-2).join(' ')}`));
        return;
      }
      try {
        resolve(JSON.parse(out) as Record<string, number>);
      } catch {
        reject(new BenchError('FK_BENCH_CRASHED', `${side.label}: benchmark process printed no result`));
      }
    });
  });
}

/** Options of a gate run. */
export interface GateRunOptions {
  readonly cases: readonly string[];
  readonly rounds: number;
  readonly timeMs: number;
  readonly policy: GatePolicy;
  readonly onProgress?: (done: number, total: number) => void;
}

async function measureRounds(base: Side, head: Side, o: GateRunOptions, cases: readonly string[]): Promise<PairedRounds[]> {
  const rows = new Map(cases.map((c) => [c, { base: [] as number[], head: [] as number[] }]));
  for (let r = 0; r < o.rounds; r++) {
    // ABBA: the order alternates so neither side always runs first (warm caches, drifting load).
    const order = r % 2 === 0 ? [base, head] : [head, base];
    for (const side of order) {
      const medians = await sampleOnce(side, cases, o.timeMs);
      for (const c of cases) {
        const v = medians[c];
        if (v === undefined) throw new BenchError('FK_BENCH_CRASHED', `${side.label}: no result for ${c}`);
        rows.get(c)![side === base ? 'base' : 'head'].push(v);
      }
    }
    o.onProgress?.(r + 1, o.rounds);
  }
  return cases.map((name) => ({ name, ...rows.get(name)! }));
}

/** Runs the gate: measure, decide, re-measure what was flagged once, decide again. */
export async function runGate(base: Side, head: Side, o: GateRunOptions): Promise<{ rows: GateRow[]; remeasured: string[] }> {
  let rows = decide(await measureRounds(base, head, o, o.cases), o.policy);
  const flagged = rows.filter((r) => r.verdict === 'regressed').map((r) => r.name);
  if (flagged.length === 0) return { rows, remeasured: [] };
  const again = decide(await measureRounds(base, head, o, flagged), o.policy);
  rows = rows.map((r) => again.find((a) => a.name === r.name) ?? r);
  return { rows, remeasured: flagged };
}
