import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BotNotRegisteredError, Context, InvalidTransitionError, STANDARD_BOTS, ValidationError } from '../src/index.js';
import type { ContextEvent, ExecutionStatus } from '../src/index.js';

function clocked() {
  const clock = { t: Date.UTC(2026, 10, 24, 12, 0, 0) };
  const ctx = new Context('repo', '/work/repo', { now: () => clock.t, sessionId: 'session-1' });
  return { ctx, clock };
}

describe('Context basics', () => {
  it('has an id, repo, start time and a findings set', () => {
    const { ctx } = clocked();
    expect(ctx.sessionId).toBe('session-1');
    expect(ctx.repoName).toBe('repo');
    expect(ctx.repoPath).toBe('/work/repo');
    expect(ctx.startedAt).toBe('2026-11-24T12:00:00.000Z');
    expect(ctx.completedAt).toBeNull();
    expect(ctx.findings.size).toBe(0);
    expect(new Context('r', '/r').sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects a missing repo name and bad options', () => {
    expect(() => new Context('', '/r')).toThrow(ValidationError);
    expect(() => new Context('r', '/r', { healthTtlMs: -1 })).toThrow(/healthTtlMs/);
  });
});

describe('bot registration', () => {
  it('registers roster bots with their roster info and custom bots with theirs (tier custom by default)', () => {
    const { ctx } = clocked();
    expect(ctx.registerBot('glambot').tier).toBe('finisher');
    const custom = ctx.registerBot('my-linter', { name: 'My Linter', categories: ['style'], dependsOn: ['glambot'] });
    expect(custom).toMatchObject({ id: 'my-linter', name: 'My Linter', tier: 'custom', canFix: false, dependsOn: ['glambot'] });
    expect(ctx.registerBot('my-engine', { tier: 'engine' }).tier).toBe('engine');
    expect(ctx.execution('my-linter')).toEqual({ bot: 'my-linter', status: 'pending' });
    expect([...ctx.bots()].map((b) => b.id)).toEqual(['glambot', 'my-linter', 'my-engine']);
    expect(ctx.botCount).toBe(3);
  });

  it('registering twice changes nothing', () => {
    const { ctx } = clocked();
    ctx.registerBot('rhodibot');
    ctx.startBot('rhodibot');
    ctx.registerAllBots();
    expect(ctx.execution('rhodibot')?.status).toBe('running');
    expect(ctx.botCount).toBe(11);
  });

  it('registers all eleven standard bots', () => {
    const { ctx } = clocked();
    ctx.registerAllBots();
    expect([...ctx.bots()].map((b) => b.id)).toEqual([...STANDARD_BOTS]);
    expect(ctx.bot('oikosbot')).toBeUndefined();
  });

  it('rejects bad bot ids and bad custom info', () => {
    const { ctx } = clocked();
    expect(() => ctx.registerBot('')).toThrow(ValidationError);
    expect(() => ctx.registerBot('a\u0000b')).toThrow(ValidationError);
    expect(() => ctx.registerBot('x', { tier: 'boss' as never })).toThrow(/info\.tier/);
    expect(() => ctx.registerBot('x', { id: 'y' })).toThrow(/info\.id/);
  });
});

describe('bot lifecycle', () => {
  const legal: ReadonlyArray<[ExecutionStatus, ExecutionStatus]> = [
    ['pending', 'running'],
    ['pending', 'skipped'],
    ['running', 'completed'],
    ['running', 'failed'],
  ];
  const all: ExecutionStatus[] = ['pending', 'running', 'completed', 'failed', 'skipped'];

  function toState(ctx: Context, bot: string, state: ExecutionStatus): void {
    if (state === 'pending') return;
    if (state === 'skipped') return ctx.skipBot(bot, 'why');
    ctx.startBot(bot);
    if (state === 'completed') ctx.completeBot(bot, { findings: 1, errors: 0, files: 2 });
    if (state === 'failed') ctx.failBot(bot, 'boom');
  }
  function attempt(ctx: Context, bot: string, to: ExecutionStatus): void {
    if (to === 'running') ctx.startBot(bot);
    else if (to === 'completed') ctx.completeBot(bot, { findings: 0, errors: 0, files: 0 });
    else if (to === 'failed') ctx.failBot(bot, 'x');
    else if (to === 'skipped') ctx.skipBot(bot, 'y');
  }

  for (const from of all) {
    for (const to of all.filter((s) => s !== 'pending')) {
      const ok = legal.some(([a, b]) => a === from && b === to);
      it(`${from} → ${to} is ${ok ? 'allowed' : 'rejected with InvalidTransitionError'}`, () => {
        const { ctx } = clocked();
        ctx.registerBot('rhodibot');
        toState(ctx, 'rhodibot', from);
        const before = ctx.execution('rhodibot');
        if (ok) {
          attempt(ctx, 'rhodibot', to);
          expect(ctx.execution('rhodibot')?.status).toBe(to);
        } else {
          let err: unknown;
          try {
            attempt(ctx, 'rhodibot', to);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(InvalidTransitionError);
          expect(err).toMatchObject({ code: 'FK_INVALID_TRANSITION', bot: 'rhodibot', from, to });
          expect((err as Error).message).toBe(`bot "rhodibot" cannot go from "${from}" to "${to}"`);
          expect(ctx.execution('rhodibot')).toBe(before);
        }
      });
    }
  }

  it('records times, durations and counts', () => {
    const { ctx, clock } = clocked();
    ctx.registerBot('rhodibot');
    ctx.startBot('rhodibot');
    clock.t += 1500;
    ctx.completeBot('rhodibot', { findings: 4, errors: 1, files: 30 });
    expect(ctx.execution('rhodibot')).toEqual({
      bot: 'rhodibot', status: 'completed', startedAt: '2026-11-24T12:00:00.000Z', completedAt: '2026-11-24T12:00:01.500Z',
      durationMs: 1500, findingsCount: 4, errorsCount: 1, filesAnalyzed: 30,
    });
    ctx.registerBot('glambot');
    ctx.startBot('glambot');
    clock.t += 10;
    ctx.failBot('glambot', 'disk full');
    expect(ctx.execution('glambot')).toMatchObject({ status: 'failed', durationMs: 10, error: 'disk full' });
    ctx.registerBot('seambot');
    ctx.skipBot('seambot', 'no seams');
    expect(ctx.execution('seambot')).toMatchObject({ status: 'skipped', reason: 'no seams' });
    expect(ctx.executions().map((e) => e.status)).toEqual(['completed', 'failed', 'skipped']);
  });

  it('rejects transitions of an unregistered bot and bad completion counts', () => {
    const { ctx } = clocked();
    expect(() => ctx.startBot('ghost')).toThrow(BotNotRegisteredError);
    expect(() => ctx.skipBot('ghost', 'x')).toThrow(/"ghost" is not registered/);
    ctx.registerBot('rhodibot');
    ctx.startBot('rhodibot');
    expect(() => ctx.completeBot('rhodibot', { findings: -1, errors: 0, files: 0 })).toThrow(/counts\.findings/);
    expect(ctx.execution('rhodibot')?.status).toBe('running');
  });
});

describe('dependency readiness', () => {
  it('runs the whole roster in dependency order: tier order, then roster order', () => {
    const { ctx } = clocked();
    ctx.registerAllBots();
    const waves: string[][] = [];
    for (let guard = 0; guard < 20 && ctx.readyBots().length > 0; guard++) {
      const ready = ctx.readyBots();
      waves.push(ready);
      for (const b of ready) {
        ctx.startBot(b);
        ctx.completeBot(b, { findings: 1, errors: 0, files: 1 });
      }
    }
    expect(waves).toEqual([
      ['hypatia', 'rhodibot', 'echidnabot', 'sustainabot', 'robot-repo-automaton'],
      ['panicbot', 'glambot', 'seambot', 'cipherbot'],
      ['finishbot', 'accessibilitybot'],
    ]);
    expect(STANDARD_BOTS.every((b) => ctx.botCompleted(b))).toBe(true);
  });

  it('counts skipped bots as done, and failed or running ones as not done', () => {
    const { ctx } = clocked();
    ctx.registerAllBots();
    ctx.skipBot('rhodibot', 'no');
    expect(ctx.readyBots()).toEqual(expect.arrayContaining(['panicbot', 'glambot']));
    expect(ctx.readyBots()).not.toContain('seambot');
    ctx.startBot('echidnabot');
    expect(ctx.readyBots()).not.toContain('seambot');
    ctx.failBot('echidnabot', 'x');
    expect(ctx.readyBots()).not.toContain('seambot');
    expect(ctx.botCompleted('echidnabot')).toBe(false);
    expect(ctx.botCompleted('rhodibot')).toBe(true);
    expect(ctx.botCompleted('not-registered')).toBe(false);
  });

  it('never lists a bot whose dependency is not registered', () => {
    const { ctx } = clocked();
    ctx.registerBot('panicbot');
    expect(ctx.readyBots()).toEqual([]);
  });

  it('places custom bots after the roster, honouring their own dependencies', () => {
    const { ctx } = clocked();
    ctx.registerBot('zz-custom', { dependsOn: ['rhodibot'] });
    ctx.registerBot('aa-custom');
    ctx.registerBot('rhodibot');
    expect(ctx.readyBots()).toEqual(['rhodibot', 'aa-custom']);
    ctx.startBot('rhodibot');
    ctx.completeBot('rhodibot', { findings: 0, errors: 0, files: 0 });
    expect(ctx.readyBots()).toEqual(['zz-custom', 'aa-custom']);
  });

  it('knows when every registered verifier is done', () => {
    const { ctx } = clocked();
    ctx.registerBot('rhodibot');
    ctx.registerBot('sustainabot');
    ctx.registerBot('glambot');
    expect(ctx.verifiersComplete()).toBe(false);
    ctx.skipBot('sustainabot', 'n/a');
    ctx.startBot('rhodibot');
    expect(ctx.verifiersComplete()).toBe(false);
    ctx.completeBot('rhodibot', { findings: 0, errors: 0, files: 0 });
    expect(ctx.verifiersComplete()).toBe(true);
  });
});

describe('findings, data and the session', () => {
  it('queries findings by bot, tier and category, and blocks the release on an unfixed error', () => {
    const { ctx } = clocked();
    ctx.registerBot('my-bot', { tier: 'specialist' });
    ctx.addFinding({ id: 'a', source: 'rhodibot', ruleId: 'r', severity: 'warning', message: 'm', category: 'structure' });
    ctx.addFindings([
      { id: 'b', source: 'glambot', ruleId: 'r', severity: 'error', message: 'm' },
      { id: 'c', source: 'my-bot', ruleId: 'r', severity: 'info', message: 'm' },
      { id: 'd', source: 'echidnabot', ruleId: 'r', severity: 'info', message: 'm', category: 'structure' },
    ]);
    expect(ctx.findingsFrom('rhodibot').map((f) => f.id)).toEqual(['a']);
    expect(ctx.findingsFromTier('verifier').map((f) => f.id).sort()).toEqual(['a', 'd']);
    expect(ctx.findingsFromTier('specialist').map((f) => f.id)).toEqual(['c']);
    expect(ctx.findingsFromTier('finisher').map((f) => f.id)).toEqual(['b']);
    expect(ctx.findingsByCategory('structure').map((f) => f.id)).toEqual(['a', 'd']);
    expect(ctx.hasErrors()).toBe(true);
    expect(ctx.blocksRelease()).toBe(true);
    ctx.markFixed('b');
    expect(ctx.blocksRelease()).toBe(false);
    expect(ctx.hasErrors()).toBe(true);
  });

  it('stores shared JSON data, validates it on read with a schema, and keeps __proto__ as data', () => {
    const { ctx } = clocked();
    ctx.setData('plan', { steps: ['a', 'b'] });
    expect(ctx.getData('plan')).toEqual({ steps: ['a', 'b'] });
    expect(ctx.getData('plan', z.object({ steps: z.array(z.string()) }))).toEqual({ steps: ['a', 'b'] });
    expect(() => ctx.getData('plan', z.object({ steps: z.number() }))).toThrow(/steps/);
    expect(ctx.getData('missing')).toBeUndefined();
    ctx.setData('__proto__', JSON.parse('{"__proto__":{"polluted":1}}'));
    ctx.setData('constructor', { prototype: { x: 1 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(ctx.getData('__proto__'))).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(ctx.toJSON().data))).toEqual(JSON.parse('{"plan":{"steps":["a","b"]},"__proto__":{"__proto__":{"polluted":1}},"constructor":{"prototype":{"x":1}}}'));
    expect(() => ctx.setData('f', () => 1)).toThrow(ValidationError);
    expect(() => ctx.setData('u', undefined)).toThrow(ValidationError);
    expect([...ctx.dataKeys()]).toEqual(['plan', '__proto__', 'constructor']);
  });

  it('completes the session once and measures it', () => {
    const { ctx, clock } = clocked();
    expect(ctx.durationMs()).toBeNull();
    clock.t += 2500;
    expect(ctx.elapsedMs()).toBe(2500);
    ctx.completeSession();
    expect(ctx.completedAt).toBe('2026-11-24T12:00:02.500Z');
    expect(ctx.durationMs()).toBe(2500);
    expect(() => ctx.completeSession()).toThrow(InvalidTransitionError);
  });

  it('summarises the session', () => {
    const { ctx, clock } = clocked();
    ctx.registerAllBots();
    ctx.startBot('rhodibot');
    ctx.completeBot('rhodibot', { findings: 2, errors: 1, files: 40 });
    ctx.startBot('echidnabot');
    ctx.completeBot('echidnabot', { findings: 0, errors: 0, files: 2 });
    ctx.startBot('hypatia');
    ctx.failBot('hypatia', 'x');
    ctx.addFindings([
      { source: 'rhodibot', ruleId: 'r', severity: 'error', message: 'm' },
      { source: 'rhodibot', ruleId: 'r', severity: 'warning', message: 'm' },
    ]);
    clock.t += 100;
    ctx.completeSession();
    expect(ctx.summary()).toEqual({
      sessionId: 'session-1', repoName: 'repo', durationMs: 100, botsRun: 2, botsFailed: 1,
      totalFindings: 2, totalErrors: 1, totalWarnings: 1, totalFilesAnalyzed: 42, blocksRelease: true,
    });
  });

  it('tells subscribers what changed', () => {
    const { ctx } = clocked();
    const events: ContextEvent[] = [];
    const off = ctx.subscribe((e) => events.push(e));
    ctx.registerBot('rhodibot');
    ctx.startBot('rhodibot');
    ctx.addFinding({ id: 'x', source: 'rhodibot', ruleId: 'r', severity: 'info', message: 'm' });
    ctx.findings.add({ source: 'rhodibot', ruleId: 'r', severity: 'info', message: 'm' });
    ctx.markFixed('x');
    ctx.setData('k', 1);
    ctx.completeSession();
    off();
    ctx.addFinding({ source: 'rhodibot', ruleId: 'r', severity: 'info', message: 'late' });
    expect(events).toEqual([
      { type: 'bot-registered', bot: 'rhodibot' },
      { type: 'bot-transition', bot: 'rhodibot', from: 'pending', to: 'running' },
      { type: 'findings-added', count: 1 },
      { type: 'findings-added', count: 1 },
      { type: 'finding-fixed', id: 'x' },
      { type: 'data-set', key: 'k' },
      { type: 'session-completed' },
    ]);
  });

  it('changes its version on every mutation and on none of the reads', () => {
    const { ctx } = clocked();
    const v0 = ctx.version;
    ctx.summary();
    ctx.readyBots();
    ctx.healthCheck();
    expect(ctx.version).toBe(v0);
    ctx.registerBot('rhodibot');
    const v1 = ctx.version;
    ctx.findings.add({ source: 'rhodibot', ruleId: 'r', severity: 'info', message: 'm' });
    expect(ctx.version).toBeGreaterThan(v1);
  });
});
