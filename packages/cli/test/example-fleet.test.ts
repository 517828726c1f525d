/**
 * The example fleet (examples/self-check) on this repository itself: real
 * tools — the TypeScript compiler, ESLint, publint, and three small
 * scripts — in three dependency levels, as the README tells a new user to
 * try first. The repository passes its own gate.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context } from '@fleetkit/shared-context';
import { buildCli, fleet, repoRoot } from './run-fleet.js';
import type { RunJSON } from './support/fleet-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fleet-example-'));
beforeAll(() => buildCli(), 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the example fleet on this repository', () => {
  it('runs every bot to completion in dependency order, and the repository passes its gate', () => {
    const session = path.join(dir, 'session.json');
    const r = fleet(['run', '--config', 'examples/self-check/fleet.config.json', '--gate', '--json', '--out', session], repoRoot);
    const out = JSON.parse(r.stdout) as RunJSON;
    const problems = out.bots.filter((b) => b.status !== 'completed').map((b) => `${b.id}: ${b.reason ?? b.status}`);
    expect(problems).toEqual([]);
    expect(r.code, r.stderr).toBe(0);
    expect(out.bots.map((b) => b.id)).toEqual(['rhodibot', 'echidnabot', 'panicbot', 'seambot', 'glambot', 'finishbot']);
    expect(out.gate?.passed).toBe(true);
    const ctx = Context.fromJSON(JSON.parse(readFileSync(session, 'utf8')));
    const at = (id: string, key: 'startedAt' | 'completedAt'): number => {
      const e = ctx.execution(id);
      return e !== undefined && e.status === 'completed' ? Date.parse(e[key]) : NaN;
    };
    // Three levels: seambot after rhodibot and echidnabot; finishbot after seambot (and glambot).
    for (const [bot, deps] of [['seambot', ['rhodibot', 'echidnabot']], ['finishbot', ['rhodibot', 'glambot', 'seambot']]] as const) {
      for (const d of deps) expect(at(bot, 'startedAt')).toBeGreaterThanOrEqual(at(d, 'completedAt'));
    }
    for (const r2 of out.reports) expect(readFileSync(path.resolve(repoRoot, r2.file), 'utf8').length).toBeGreaterThan(0);
  }, 300_000);
});
