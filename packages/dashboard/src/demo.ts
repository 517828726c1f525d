/**
 * The demo fleet: a simulated run of every standard bot in dependency order
 * on a dashboard's storage, with findings arriving over about a minute and
 * one bot failing, after a few earlier sessions that give the history chart
 * something to show. Everything goes through the same store as the HTTP
 * writes, so the page moves exactly as it would for a real fleet.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Context, STANDARD_BOTS, updateRepoState } from '@fleetkit/shared-context';
import type { FindingInput, Severity } from '@fleetkit/shared-context';
import type { Dashboard } from './server.js';

/** Options of {@link runDemoFleet}. */
export interface DemoOptions {
  /** Repository name shown. @default 'demo/acme-web' */
  readonly repoName?: string;
  /** Length of the simulated run, ms. @default 60000 */
  readonly durationMs?: number;
  /** Bot that fails. @default 'seambot' */
  readonly failingBot?: string;
  /** Earlier sessions to put in the history first. @default 6 */
  readonly previousSessions?: number;
  /** Seed of the pseudo-random findings (the same seed gives the same run). @default 7 */
  readonly seed?: number;
  /** Stops the run early. */
  readonly signal?: AbortSignal;
}

const RULES: ReadonlyArray<readonly [rule: string, category: string, message: string, suggestion: string]> = [
  ['SEC-001', 'security', 'Hard-coded credential in source', 'Move the secret to the environment or a vault'],
  ['SEC-014', 'security', 'User input reaches a shell command unescaped', 'Pass arguments as an array, never through a shell'],
  ['A11Y-003', 'accessibility', 'Image without alternative text', 'Add an alt attribute describing the image'],
  ['A11Y-021', 'accessibility', 'Form field without a label', 'Associate a <label> with the field'],
  ['DOC-002', 'docs', 'Public function has no documentation comment', 'Add a short JSDoc comment'],
  ['PERF-010', 'performance', 'Array copied inside a hot loop', 'Hoist the copy out of the loop'],
  ['REL-004', 'release', 'CHANGELOG has no entry for this version', 'Add the release notes'],
  ['DEP-007', 'dependencies', 'Dependency pinned to a version with a known advisory', 'Upgrade to a patched release'],
  ['STYLE-001', 'style', 'Line longer than 120 characters', 'Wrap the line'],
  ['TEST-003', 'testing', 'Test has no assertion', 'Assert on the behaviour under test'],
];
const FILES = ['src/server.ts', 'src/routes/users.ts', 'src/auth/session.ts', 'web/components/Avatar.tsx', 'web/pages/settings.tsx', 'README.md', 'package.json', 'scripts/deploy.sh'];
const SEVERITY_WEIGHTS: ReadonlyArray<readonly [Severity, number]> = [
  ['error', 0.12],
  ['warning', 0.38],
  ['info', 0.3],
  ['suggestion', 0.2],
];

/** A small seeded generator (Numerical Recipes LCG), so a demo run can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => (a = (Math.imul(a, 1664525) + 1013904223) >>> 0) / 4294967296;
}

function finding(rand: () => number, source: string): FindingInput {
  const [ruleId, category, message, suggestion] = RULES[Math.floor(rand() * RULES.length)]!;
  let r = rand();
  let severity: Severity = 'info';
  for (const [s, w] of SEVERITY_WEIGHTS) {
    if ((r -= w) < 0) {
      severity = s;
      break;
    }
  }
  return {
    source,
    ruleId,
    severity,
    category,
    message,
    suggestion,
    file: FILES[Math.floor(rand() * FILES.length)]!,
    line: 1 + Math.floor(rand() * 400),
    fixable: rand() < 0.3,
  };
}

/** Writes `count` completed sessions, an hour apart, into the repository's history. */
async function seedHistory(d: Dashboard, repoName: string, count: number, slotMs: number, rand: () => number): Promise<void> {
  let state = await d.store.storage.loadRepoState(repoName);
  const start = Date.now() - (count + 1) * 3_600_000;
  for (let s = 0; s < count; s++) {
    let t = start + s * 3_600_000;
    const ctx = new Context(repoName, '.', { now: () => t });
    ctx.registerAllBots();
    for (const bot of STANDARD_BOTS) {
      ctx.startBot(bot);
      t += Math.round(slotMs * (0.7 + rand() * 0.6));
      const n = Math.max(0, Math.round((count - s) * 2 + rand() * 6));
      const batch = Array.from({ length: n }, () => finding(rand, bot));
      ctx.addFindings(batch);
      ctx.completeBot(bot, { findings: n, errors: batch.filter((f) => f.severity === 'error').length, files: 40 });
    }
    ctx.completeSession();
    state = updateRepoState(state, ctx);
    await d.store.storage.saveSession(ctx);
  }
  if (state !== undefined) await d.store.storage.saveRepoState(state);
}

/**
 * Starts a demo fleet run on a dashboard. Resolves with the new session's id
 * once it exists; `done` settles when the run ends (or is aborted).
 */
export async function runDemoFleet(d: Dashboard, options: DemoOptions = {}): Promise<{ sessionId: string; done: Promise<void> }> {
  const repoName = options.repoName ?? 'demo/acme-web';
  const duration = options.durationMs ?? 60_000;
  const failing = options.failingBot ?? 'seambot';
  const rand = random(options.seed ?? 7);
  const signal = options.signal;
  const slot = duration / STANDARD_BOTS.length;
  await seedHistory(d, repoName, options.previousSessions ?? 6, slot, rand);
  const ctx = await d.store.create(repoName, '/srv/acme-web', [...STANDARD_BOTS]);
  const id = ctx.sessionId;

  const runBot = async (bot: string): Promise<void> => {
    await d.store.mutate(id, (c) => c.startBot(bot));
    const batches = 4;
    let made = 0;
    let errors = 0;
    for (let b = 0; b < batches; b++) {
      await sleep(slot / (batches + 1), undefined, { signal });
      const batch = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => finding(rand, bot));
      await d.store.appendFindings(id, batch);
      made += batch.length;
      errors += batch.filter((f) => f.severity === 'error').length;
    }
    await sleep(slot / (batches + 1), undefined, { signal });
    if (bot === failing) await d.store.mutate(id, (c) => c.failBot(bot, 'analysis crashed: out of memory while parsing web/pages/settings.tsx'));
    else await d.store.mutate(id, (c) => c.completeBot(bot, { findings: made, errors, files: 40 + Math.floor(rand() * 80) }));
  };

  const done = (async () => {
    try {
      for (;;) {
        const c = await d.store.get(id);
        const ready = c.readyBots();
        if (ready.length === 0) break;
        // allSettled, not all: on abort every bot's write in flight has ended
        // before `done` settles, so a caller can remove the storage after it.
        const results = await Promise.allSettled(ready.map(runBot));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed !== undefined) throw failed.reason;
      }
      // Bots whose dependency failed never become ready: skip them, as a fleet would.
      const c = await d.store.get(id);
      for (const e of c.executions()) if (e.status === 'pending') await d.store.mutate(id, (x) => x.skipBot(e.bot, `a dependency failed (${failing})`));
      await d.store.complete(id);
    } catch (err) {
      if (!(err instanceof Error && err.name === 'AbortError')) throw err;
    }
  })();
  return { sessionId: id, done };
}
