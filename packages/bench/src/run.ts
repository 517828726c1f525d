/** Runs benchmark cases with a provider and turns samples into statistics. */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import type { BenchCase } from './cases/case.js';
import { sink } from './cases/case.js';
import type { BenchProvider, MeasureOptions } from './providers/provider.js';
import type { CaseResult, RunResult, Stats } from './result.js';
import { bootstrapMedianInterval, mean, quantile, sortSamples } from './stats.js';

/** Statistics of samples (ns per operation). */
export function statsOf(samples: readonly number[], batch: number): Stats {
  const s = sortSamples(samples);
  const ci = bootstrapMedianInterval(samples);
  return {
    medianNs: quantile(s, 0.5),
    meanNs: mean(s),
    p75Ns: quantile(s, 0.75),
    p99Ns: quantile(s, 0.99),
    minNs: s[0] as number,
    maxNs: s[s.length - 1] as number,
    ciLowNs: ci.low,
    ciHighNs: ci.high,
    samples: s.length,
    batch,
  };
}

/** Measures one case; a case that throws is recorded as errored, not thrown. */
export async function runCase(provider: BenchProvider, c: BenchCase, options: MeasureOptions): Promise<CaseResult> {
  try {
    const fn = c.setup();
    const samples = await provider.sample(fn, c, options);
    return { name: c.name, description: c.description, state: 'completed', stats: statsOf(samples, c.batch) };
  } catch (err) {
    return { name: c.name, description: c.description, state: 'errored', error: err instanceof Error ? err.message : String(err) };
  } finally {
    sink.value = undefined;
  }
}

/** The commit checked out in `cwd`, or null outside git. */
export function currentCommit(cwd = process.cwd()): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** Describes the runtime and the machine. */
export function environment(): Pick<RunResult, 'runtime' | 'machine'> {
  const c = cpus();
  return {
    runtime: { node: process.version, v8: process.versions.v8, platform: process.platform, arch: process.arch },
    machine: { cpu: c[0]?.model.trim() ?? 'unknown', cores: c.length, memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10 },
  };
}
