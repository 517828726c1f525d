import { describe, expect, it } from 'vitest';
import { chooseBase } from '../src/compare-command.js';
import type { CountEnvironment } from '../src/counts/environment.js';
import { RunResultSchema } from '../src/result.js';
import type { RunResult } from '../src/result.js';

const env: CountEnvironment = { node: 'v20.20.2', v8Flags: '--no-opt --predictable', cpuModel: 'AMD EPYC', cpuFlags: 'avx avx2', valgrind: 'valgrind-3.19.0', method: 1 };
const timings: RunResult = {
  schemaVersion: 1,
  runner: 'tinybench',
  createdAt: '2026-11-25T00:00:00.000Z',
  commit: 'aaaaaaa',
  runtime: { node: 'v20.20.2', v8: '11.3', platform: 'linux', arch: 'x64' },
  machine: { cpu: 'AMD EPYC', cores: 2, memoryGb: 8 },
  results: [],
};
const withCounts: RunResult = { ...timings, instructions: { commit: 'bbbbbbb', createdAt: '2026-11-30T00:00:00.000Z', environment: env, results: [{ name: 'queries/by-bot', irPerOp: 938, ops: 3000 }] } };

describe('which base compare measures against', () => {
  it('saved counts from this environment: no rebuild', () => {
    expect(chooseBase({ paired: false }, withCounts, { ...env })).toEqual({ kind: 'saved', saved: withCounts.instructions });
  });

  it('counts from another environment are never compared count-to-count: the counted commit is rebuilt, and why is named', () => {
    const c = chooseBase({ paired: false }, withCounts, { ...env, node: 'v22.1.0', valgrind: 'valgrind-3.22.0' });
    expect(c).toEqual({ kind: 'rebuild', ref: 'bbbbbbb', why: "baseline main's counts come from another environment (node: v20.20.2 ≠ v22.1.0; valgrind: valgrind-3.19.0 ≠ valgrind-3.22.0)" });
  });

  it('no counts saved, --paired, --ref and no valgrind each rebuild, saying so', () => {
    expect(chooseBase({ paired: false }, timings, env)).toEqual({ kind: 'rebuild', ref: 'aaaaaaa', why: 'baseline main has no instruction counts' });
    expect(chooseBase({ paired: true }, withCounts, env)).toEqual({ kind: 'rebuild', ref: 'bbbbbbb', why: '--paired' });
    expect(chooseBase({ paired: false, ref: 'v1.0' }, withCounts, env)).toEqual({ kind: 'rebuild', ref: 'v1.0', why: '--ref v1.0' });
    expect(chooseBase({ paired: false }, withCounts, undefined)).toEqual({ kind: 'rebuild', ref: 'bbbbbbb', why: 'no valgrind here: timing both sides' });
  });

  it('a baseline without a commit cannot be rebuilt', () => {
    expect(() => chooseBase({ paired: false }, { ...timings, commit: null }, env)).toThrow(/no commit; pass --ref/);
  });

  it('saved counts are validated when read: a negative count names its field', () => {
    const bad = { ...withCounts, instructions: { ...withCounts.instructions!, results: [{ name: 'x', irPerOp: -1, ops: 3 }] } };
    const r = RunResultSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path.join('.')).toBe('instructions.results.0.irPerOp');
  });
});
