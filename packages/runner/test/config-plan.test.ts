import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Context } from '@fleetkit/shared-context';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConfigIssue, FleetPlan } from '../src/index.js';
import { FleetConfigError, loadFleetPlan, parseFleetConfig, planFleet } from '../src/index.js';

const FILE = 'ci/fleet.config.json';
const DIR = path.resolve('ci');

/** Parses and plans a fleet file's content, read from {@link FILE}. */
function plan(raw: Record<string, unknown>, only?: readonly string[]): FleetPlan {
  return planFleet(parseFleetConfig(raw, FILE), { configFile: FILE, ...(only === undefined ? {} : { only }) });
}

/** The error planning `raw` throws; fails the test when it plans. */
function planError(raw: Record<string, unknown>, only?: readonly string[]): FleetConfigError {
  try {
    plan(raw, only);
  } catch (err) {
    expect(err).toBeInstanceOf(FleetConfigError);
    return err as FleetConfigError;
  }
  throw new Error('expected the fleet to be rejected');
}

const issuesOf = (raw: Record<string, unknown>, only?: readonly string[]): readonly ConfigIssue[] => planError(raw, only).issues;

/** A bot entry running `x`. */
const bot = (id: string, fields: Record<string, unknown> = {}): Record<string, unknown> => ({ id, run: ['x'], ...fields });

const ids = (p: FleetPlan): string[] => p.bots.map((b) => b.id);

describe('planFleet: resolution', () => {
  it('makes every path absolute: the file, the root, working directories, output files and reports', () => {
    const p = plan({
      root: '..',
      reports: [{ format: 'sarif', out: 'out/fleet.sarif' }],
      bots: [bot('rhodibot'), bot('eslint', { tier: 'verifier', cwd: 'packages/web', output: 'eslint.json' })],
    });
    const root = path.resolve(DIR, '..');
    expect(p.configFile).toBe(path.resolve(FILE));
    expect(p.repoPath).toBe(root);
    expect(p.repoName).toBe(path.basename(root));
    expect(p.bots[0]).toMatchObject({ cwd: root, output: { kind: 'stdout' } });
    expect(p.bots[1]).toMatchObject({
      cwd: path.join(root, 'packages/web'),
      output: { kind: 'file', path: path.join(root, 'packages/web/eslint.json') },
    });
    expect(p.reports).toEqual([{ format: 'sarif', out: path.join(DIR, 'out/fleet.sarif') }]);
  });

  it("defaults the root to the fleet file's directory, and takes the repository name when given", () => {
    const p = plan({ bots: [bot('rhodibot')] });
    expect(p.repoPath).toBe(DIR);
    expect(p.repoName).toBe('ci');
    expect(plan({ repo: 'acme/web', bots: [bot('rhodibot')] }).repoName).toBe('acme/web');
  });

  it('applies the defaults of jobs, reports, gate and every bot field', () => {
    const p = plan({ bots: [bot('rhodibot')] });
    expect(p.jobs).toBeUndefined();
    expect(p.reports).toEqual([]);
    expect(p.gate).toEqual({});
    expect(p.bots[0]).toEqual({
      id: 'rhodibot',
      info: expect.any(Object),
      command: { shell: false, argv: ['x'] },
      cwd: DIR,
      env: {},
      timeoutMs: 600_000,
      output: { kind: 'stdout' },
      format: undefined,
      okExitCodes: [0, 1],
      allowFailure: false,
      files: undefined,
    });
  });

  it('keeps what the file sets: jobs, gate, env, format, exit codes, failure policy and globs', () => {
    const p = plan({
      jobs: 3,
      gate: { failOn: 'warning', maxWarnings: 5 },
      bots: [bot('rhodibot', { env: { CI: '1' }, format: 'sarif', okExitCodes: [0], allowFailure: true, files: ['**/*.md'] })],
    });
    expect(p.jobs).toBe(3);
    expect(p.gate).toEqual({ failOn: 'warning', maxWarnings: 5 });
    expect(p.bots[0]).toMatchObject({ env: { CI: '1' }, format: 'sarif', okExitCodes: [0], allowFailure: true, files: ['**/*.md'] });
  });

  it('turns timeouts into ms: a bot its own, else the top-level one', () => {
    const p = plan({
      timeout: '30s',
      bots: [bot('rhodibot'), bot('glambot', { timeout: 90 }), bot('panicbot', { timeout: '1.5s' }), bot('seambot', { timeout: '500ms' }), bot('hypatia', { timeout: '1h' })],
    });
    expect(p.bots.map((b) => [b.id, b.timeoutMs])).toEqual([
      ['rhodibot', 30_000],
      ['glambot', 90_000],
      ['panicbot', 1500],
      ['seambot', 500],
      ['hypatia', 3_600_000],
    ]);
  });

  it('makes an argv command, or a shell script with shell: true', () => {
    const p = plan({ bots: [bot('rhodibot', { run: ['npx', 'eslint', '-f', 'json', '.'] }), bot('glambot', { run: 'glam --all | tee out', shell: true })] });
    expect(p.bots[0]?.command).toEqual({ shell: false, argv: ['npx', 'eslint', '-f', 'json', '.'] });
    expect(p.bots[1]?.command).toEqual({ shell: true, script: 'glam --all | tee out' });
  });

  it('resolves info as shared-context registers it: roster entry with the name given, custom bots with their tier', () => {
    const p = plan({ bots: [bot('rhodibot'), bot('panicbot', { name: 'Panic!' }), bot('my-lint', { tier: 'verifier', dependsOn: ['panicbot'] })] });
    const ctx = new Context('acme', '/repo');
    expect(p.bots[0]?.info).toEqual(ctx.registerBot('rhodibot'));
    expect(p.bots[1]?.info).toEqual(ctx.registerBot('panicbot', { name: 'Panic!' }));
    expect(p.bots[2]?.info).toEqual(ctx.registerBot('my-lint', { tier: 'verifier', dependsOn: ['panicbot'] }));
    for (const b of p.bots) {
      expect(Object.isFrozen(b.info)).toBe(true);
      expect(Object.isFrozen(b.info.dependsOn)).toBe(true);
    }
  });

  it("uses the roster's dependencies that are in the fleet, none for a custom bot, and dependsOn when given", () => {
    const p = plan({
      bots: [bot('finishbot'), bot('glambot'), bot('panicbot', { dependsOn: ['glambot'] }), bot('my-lint', { tier: 'custom' })],
    });
    const deps = Object.fromEntries(p.bots.map((b) => [b.id, b.info.dependsOn]));
    // finishbot's roster dependencies are rhodibot and glambot; rhodibot is not in this fleet.
    expect(deps).toEqual({ finishbot: ['glambot'], glambot: [], panicbot: ['glambot'], 'my-lint': [] });
  });

  it('accepts roster spellings in ids and dependencies', () => {
    const p = plan({ bots: [bot('Rhodi-Bot'), bot('Finishing-Bot', { dependsOn: ['RHODIBOT'] })] });
    expect(ids(p)).toEqual(['rhodibot', 'finishbot']);
    expect(p.bots[1]?.info.dependsOn).toEqual(['rhodibot']);
  });

  it('keeps file order, moving a bot only to come after its dependencies', () => {
    const p = plan({
      bots: [bot('finishbot'), bot('sustainabot'), bot('glambot'), bot('hypatia'), bot('rhodibot'), bot('my-lint', { tier: 'custom' })],
    });
    // finishbot needs glambot and rhodibot, glambot needs rhodibot: the independent bots keep their places.
    expect(ids(p)).toEqual(['sustainabot', 'hypatia', 'rhodibot', 'glambot', 'finishbot', 'my-lint']);
    const inOrder = plan({ bots: [bot('rhodibot'), bot('glambot'), bot('finishbot'), bot('sustainabot')] });
    expect(ids(inOrder)).toEqual(['rhodibot', 'glambot', 'finishbot', 'sustainabot']);
  });
});

describe('planFleet: checks', () => {
  it('rejects a duplicate id, naming the bot that has it', () => {
    expect(issuesOf({ bots: [bot('rhodibot'), bot('panicbot'), bot('glambot'), bot('seambot'), bot('Panic-Bot')] })).toEqual([
      { path: ['bots', 4, 'id'], message: '"panicbot" is already bot 1' },
    ]);
  });

  it('rejects a dependency that is not a bot of the file, saying when it is a roster bot', () => {
    const issues = issuesOf({
      bots: [bot('rhodibot'), bot('panicbot'), bot('seambot', { dependsOn: ['rhodibot'] }), bot('finishbot', { dependsOn: ['glambot2', 'glambot'] })],
    });
    expect(issues).toEqual([
      { path: ['bots', 3, 'dependsOn', 0], message: 'unknown bot "glambot2"' },
      { path: ['bots', 3, 'dependsOn', 1], message: 'unknown bot "glambot" (a roster bot, but not in this fleet)' },
    ]);
  });

  it('rejects a bot depending on itself', () => {
    expect(issuesOf({ bots: [bot('rhodibot', { dependsOn: ['Rhodi-Bot'] })] })).toEqual([
      { path: ['bots', 0, 'dependsOn', 0], message: 'a bot cannot depend on itself' },
    ]);
  });

  it('names a dependency cycle bot by bot, once, at its first bot', () => {
    const issues = issuesOf({
      bots: [
        bot('x-tool', { tier: 'custom' }),
        bot('a', { tier: 'custom', dependsOn: ['b'] }),
        bot('b', { tier: 'custom', dependsOn: ['c'] }),
        bot('c', { tier: 'custom', dependsOn: ['a', 'x-tool'] }),
        bot('d', { tier: 'custom', dependsOn: ['c'] }),
      ],
    });
    expect(issues).toEqual([{ path: ['bots', 1, 'dependsOn'], message: 'dependency cycle: a → b → c → a' }]);
  });

  it('names each of several cycles', () => {
    const issues = issuesOf({
      bots: [
        bot('a', { tier: 'custom', dependsOn: ['b'] }),
        bot('b', { tier: 'custom', dependsOn: ['a'] }),
        bot('c', { tier: 'custom', dependsOn: ['d'] }),
        bot('d', { tier: 'custom', dependsOn: ['c'] }),
      ],
    });
    expect(issues.map((i) => i.message)).toEqual(['dependency cycle: a → b → a', 'dependency cycle: c → d → c']);
  });

  it('requires the tier of a custom bot, and a roster tier to be the roster tier', () => {
    const issues = issuesOf({ bots: [bot('my-lint'), bot('panicbot', { tier: 'finisher' }), bot('glambot', { tier: 'finisher' })] });
    expect(issues).toEqual([
      { path: ['bots', 0, 'tier'], message: 'required for a custom bot (one of engine, verifier, finisher, specialist, executor, custom)' },
      { path: ['bots', 1, 'tier'], message: 'panicbot is a "verifier" bot in the roster, not "finisher": leave "tier" out or set it to "verifier"' },
    ]);
  });

  it('reports every problem at once, in file order, in one error for the file as given', () => {
    const error = planError({
      bots: [
        bot('rhodibot', { dependsOn: ['nope'] }),
        bot('my-lint'),
        bot('rhodibot'),
        bot('a', { tier: 'custom', dependsOn: ['b'] }),
        bot('b', { tier: 'custom', dependsOn: ['a'] }),
      ],
    });
    expect(error.file).toBe(FILE);
    expect(error.issues.map((i) => i.path)).toEqual([
      ['bots', 0, 'dependsOn', 0],
      ['bots', 1, 'tier'],
      ['bots', 2, 'id'],
      ['bots', 3, 'dependsOn'],
    ]);
    expect(error.message).toMatch(/^ci\/fleet\.config\.json: 4 problems:\n {2}bots\[0\]\.dependsOn\[0\]: unknown bot "nope"\n/);
  });

  it('checks run and shell of a config built in code, which zod has not seen', () => {
    const config = parseFleetConfig({ bots: [bot('rhodibot')] }, FILE);
    const forged = { ...config, bots: [{ ...config.bots[0]!, run: 'rhodibot --all' }] };
    expect(() => planFleet(forged, { configFile: FILE })).toThrow(/bots\[0\]\.run: a string is run by a shell/);
  });
});

describe('planFleet: only', () => {
  const fleet = { bots: [bot('rhodibot'), bot('glambot'), bot('finishbot'), bot('sustainabot')] };

  it('plans only the bots selected, without the dependencies left out', () => {
    const p = plan(fleet, ['Finishing-Bot', 'glambot']);
    expect(ids(p)).toEqual(['glambot', 'finishbot']);
    expect(p.bots.map((b) => b.info.dependsOn)).toEqual([[], ['glambot']]);
  });

  it('rejects an id that is not a bot of the file, listing the bots', () => {
    expect(issuesOf(fleet, ['glambot', 'panicbot'])).toEqual([{ path: [], message: '--only: unknown bot "panicbot" (bots: rhodibot, glambot, finishbot, sustainabot)' }]);
    expect(planError(fleet, ['x']).message).toBe('ci/fleet.config.json: --only: unknown bot "x" (bots: rhodibot, glambot, finishbot, sustainabot)');
  });

  it('rejects an empty selection', () => {
    expect(issuesOf(fleet, [])[0]?.message).toMatch(/^--only: no bot given/);
  });
});

describe('loadFleetPlan', () => {
  it('reads, validates and plans a fleet file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fleet-plan-'));
    try {
      const file = path.join(dir, 'fleet.config.json');
      await writeFile(file, JSON.stringify({ bots: [bot('rhodibot'), bot('panicbot')] }));
      const p = await loadFleetPlan(file, { only: ['panicbot'] });
      expect(p.configFile).toBe(file);
      expect(p.repoPath).toBe(dir);
      expect(ids(p)).toEqual(['panicbot']);
      expect(p.bots[0]?.info.dependsOn).toEqual([]);
      await writeFile(file, JSON.stringify({ bots: [bot('panicbot', { dependsOn: ['panicbot'] })] }));
      await expect(loadFleetPlan(file)).rejects.toThrow(/bots\[0\]\.dependsOn\[0\]: a bot cannot depend on itself/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// ── properties ──

/** A fleet of custom bots b0…bn-1 where bot i depends on `deps[i]`. */
const graphFleet = (deps: readonly (readonly number[])[]): Record<string, unknown> => ({
  bots: deps.map((d, i) => bot(`b${i}`, { tier: 'custom', dependsOn: d.map((j) => `b${j}`) })),
});

const index = (id: string): number => Number(id.slice(1));

/** Graphs on up to 9 bots with no self-loops. */
const graphs = fc
  .integer({ min: 1, max: 9 })
  .chain((n) => fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: n }), { minLength: n, maxLength: n }))
  .map((deps) => deps.map((d, i) => d.filter((j) => j !== i)));

/** Acyclic graphs: edges only towards lower ranks of a random ranking. */
const dags = fc
  .integer({ min: 1, max: 9 })
  .chain((n) => fc.tuple(fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }), fc.array(fc.array(fc.nat(), { maxLength: n }), { minLength: n, maxLength: n })))
  .map(([rank, picks]) =>
    picks.map((p, i) => {
      const below = [...rank.keys()].filter((j) => (rank[j] as number) < (rank[i] as number));
      return [...new Set(below.length === 0 ? [] : p.map((x) => below[x % below.length] as number))];
    }),
  );

/** Whether bot `i` reaches itself along dependencies (reference depth-first search). */
function onCycle(deps: readonly (readonly number[])[], i: number): boolean {
  const seen = new Set<number>();
  const stack = [...(deps[i] ?? [])];
  while (stack.length > 0) {
    const at = stack.pop() as number;
    if (at === i) return true;
    if (seen.has(at)) continue;
    seen.add(at);
    stack.push(...(deps[at] ?? []));
  }
  return false;
}

describe('planFleet: properties', () => {
  it('orders every bot of a DAG after its dependencies, taking the earliest ready bot each time', () => {
    fc.assert(
      fc.property(dags, (deps) => {
        const order = ids(plan(graphFleet(deps))).map(index);
        expect([...order].sort((a, b) => a - b)).toEqual([...deps.keys()]);
        const placed = new Set<number>();
        for (const i of order) {
          // Stable: the bot placed is the earliest (in file order) of those whose dependencies are all placed.
          const ready = [...deps.keys()].filter((j) => !placed.has(j) && (deps[j] ?? []).every((d) => placed.has(d)));
          expect(i).toBe(Math.min(...ready));
          placed.add(i);
        }
      }),
    );
  });

  it('keeps file order when it is already a dependency order', () => {
    fc.assert(
      fc.property(graphs, (graph) => {
        const deps = graph.map((d, i) => d.filter((j) => j < i));
        expect(ids(plan(graphFleet(deps))).map(index)).toEqual([...deps.keys()]);
      }),
    );
  });

  it('with only, plans the selected bots in the full order, waiting only for selected dependencies', () => {
    fc.assert(
      fc.property(
        dags.chain((deps) => fc.tuple(fc.constant(deps), fc.subarray([...deps.keys()], { minLength: 1 }))),
        ([deps, only]) => {
          const full = ids(plan(graphFleet(deps)));
          const p = plan(graphFleet(deps), only.map((i) => `b${i}`));
          const selected = new Set(only.map((i) => `b${i}`));
          expect(ids(p)).toEqual(full.filter((id) => selected.has(id)));
          for (const b of p.bots) expect(b.info.dependsOn).toEqual((deps[index(b.id)] ?? []).map((j) => `b${j}`).filter((id) => selected.has(id)));
        },
      ),
    );
  });

  it('rejects a graph exactly when it has a cycle, naming real cycles, each once, covering every bot on one', () => {
    const withCycle = graphs.chain((deps) =>
      fc.shuffledSubarray([...deps.keys()], { minLength: Math.min(2, deps.length) }).map((ring) => {
        const out = deps.map((d) => [...d]);
        // Close a ring through the chosen bots (a ring of one bot adds nothing).
        if (ring.length > 1) ring.forEach((at, k) => out[at]?.push(ring[(k + 1) % ring.length] as number));
        return out.map((d) => [...new Set(d)]);
      }),
    );
    fc.assert(
      fc.property(fc.oneof(graphs, withCycle), (deps) => {
        const cyclic = [...deps.keys()].filter((i) => onCycle(deps, i));
        if (cyclic.length === 0) {
          expect(ids(plan(graphFleet(deps)))).toHaveLength(deps.length);
          return;
        }
        const issues = issuesOf(graphFleet(deps));
        expect(issues.length).toBeGreaterThan(0);
        const covered = new Set<number>();
        const seen = new Set<string>();
        for (const issue of issues) {
          const match = /^dependency cycle: (.+)$/.exec(issue.message);
          expect(match, issue.message).not.toBeNull();
          const cycle = (match?.[1] ?? '').split(' → ').map(index);
          expect(cycle[0]).toBe(cycle.at(-1));
          const ring = cycle.slice(0, -1);
          expect(new Set(ring).size).toBe(ring.length);
          expect(ring[0]).toBe(Math.min(...ring));
          expect(issue.path).toEqual(['bots', ring[0], 'dependsOn']);
          for (let k = 0; k < ring.length; k++) expect(deps[ring[k] as number]).toContain(cycle[k + 1]);
          expect(seen.has(ring.join())).toBe(false);
          seen.add(ring.join());
          for (const i of ring) covered.add(i);
        }
        expect([...covered].sort((a, b) => a - b)).toEqual(cyclic);
      }),
      { numRuns: 300 },
    );
  });
});
