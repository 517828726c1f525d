import { describe, expect, it } from 'vitest';
import { BotNotRegisteredError, Context, DependenciesNotDoneError, FleetError, InvalidTransitionError } from '../src/index.js';
import type { ContextEvent } from '../src/index.js';
import { pendingDependencies } from '../src/context/lifecycle.js';

function session(bots: readonly string[] = []): Context {
  const ctx = new Context('repo', '/work/repo', { now: () => Date.UTC(2026, 10, 24, 12), sessionId: 'session-1' });
  for (const b of bots) ctx.registerBot(b);
  return ctx;
}

function done(ctx: Context, bot: string): void {
  ctx.startBot(bot);
  ctx.completeBot(bot, { findings: 0, errors: 0, files: 1 });
}

function refusal(start: () => void): DependenciesNotDoneError {
  try {
    start();
  } catch (err) {
    if (err instanceof DependenciesNotDoneError) return err;
    throw err;
  }
  throw new Error('the start was not refused');
}

describe('startBot and the dependencies of the bot', () => {
  it('refuses a bot whose registered dependencies are not done, naming exactly those, in dependsOn order', () => {
    const ctx = session(['echidnabot', 'rhodibot', 'sustainabot', 'seambot']);
    const err = refusal(() => ctx.startBot('seambot'));
    expect(err.bot).toBe('seambot');
    expect(err.pending).toEqual(['rhodibot', 'echidnabot']);
    expect(err.message).toBe('bot "seambot" cannot start: its dependencies "rhodibot", "echidnabot" have not completed (pass { force: true } to start it anyway)');
  });

  it('names only the dependencies still not done', () => {
    const ctx = session(['rhodibot', 'echidnabot', 'seambot']);
    done(ctx, 'rhodibot');
    ctx.startBot('echidnabot');
    const err = refusal(() => ctx.startBot('seambot'));
    expect(err.pending).toEqual(['echidnabot']);
    expect(err.message).toBe('bot "seambot" cannot start: its dependency "echidnabot" has not completed (pass { force: true } to start it anyway)');
  });

  it('is a FleetError with the stable code FK_DEPENDENCIES_NOT_DONE', () => {
    const ctx = session(['rhodibot', 'glambot']);
    const err = refusal(() => ctx.startBot('glambot'));
    expect(err).toBeInstanceOf(FleetError);
    expect(err).toMatchObject({ name: 'DependenciesNotDoneError', code: 'FK_DEPENDENCIES_NOT_DONE', bot: 'glambot', pending: ['rhodibot'] });
    expect(Object.isFrozen(err.pending)).toBe(true);
  });

  it('counts completed and skipped dependencies as done', () => {
    const ctx = session(['rhodibot', 'echidnabot', 'seambot']);
    done(ctx, 'rhodibot');
    ctx.skipBot('echidnabot', 'no proofs in this repository');
    ctx.startBot('seambot');
    expect(ctx.execution('seambot')?.status).toBe('running');
  });

  it('is held back by a failed dependency, as by a running one', () => {
    const ctx = session(['rhodibot', 'glambot']);
    ctx.startBot('rhodibot');
    expect(refusal(() => ctx.startBot('glambot')).pending).toEqual(['rhodibot']);
    ctx.failBot('rhodibot', 'crashed');
    expect(refusal(() => ctx.startBot('glambot')).pending).toEqual(['rhodibot']);
  });

  it('is not held back by a dependency this session does not register', () => {
    const ctx = session(['glambot', 'finishbot']);
    ctx.registerBot('my-linter', { dependsOn: ['not-in-this-fleet'] });
    ctx.startBot('glambot');
    ctx.startBot('my-linter');
    // finishbot depends on rhodibot (not registered) and glambot (registered, running).
    expect(refusal(() => ctx.startBot('finishbot')).pending).toEqual(['glambot']);
  });

  it('holds a bot back whichever of it and its dependency was registered first', () => {
    const ctx = session(['glambot', 'rhodibot']);
    expect(refusal(() => ctx.startBot('glambot')).pending).toEqual(['rhodibot']);
  });

  it("honours a custom bot's own dependencies, over the roster's, each named once", () => {
    const ctx = session(['rhodibot', 'echidnabot']);
    ctx.registerBot('glambot', { dependsOn: ['echidnabot', 'rhodibot', 'echidnabot'] });
    ctx.registerBot('my-linter', { dependsOn: ['glambot'] });
    expect(refusal(() => ctx.startBot('glambot')).pending).toEqual(['echidnabot', 'rhodibot']);
    done(ctx, 'echidnabot');
    expect(refusal(() => ctx.startBot('glambot')).pending).toEqual(['rhodibot']);
    expect(refusal(() => ctx.startBot('my-linter')).pending).toEqual(['glambot']);
  });

  it('starts the bot anyway with { force: true }', () => {
    const ctx = session(['rhodibot', 'glambot']);
    ctx.startBot('glambot', { force: true });
    expect(ctx.execution('glambot')?.status).toBe('running');
    expect(ctx.execution('rhodibot')?.status).toBe('pending');
    ctx.registerBot('seambot');
    expect(() => ctx.startBot('seambot', { force: false })).toThrow(DependenciesNotDoneError);
  });

  it('changes nothing when it refuses: the execution, the version, no event', () => {
    const ctx = session(['rhodibot', 'glambot']);
    const events: ContextEvent[] = [];
    ctx.subscribe((e) => events.push(e));
    const before = ctx.execution('glambot');
    const version = ctx.version;
    const executions = ctx.executions();
    expect(() => ctx.startBot('glambot')).toThrow(DependenciesNotDoneError);
    expect(ctx.execution('glambot')).toBe(before);
    expect(ctx.execution('glambot')).toEqual({ bot: 'glambot', status: 'pending' });
    expect(ctx.version).toBe(version);
    expect(ctx.executions()).toBe(executions);
    expect(events).toEqual([]);
  });

  it('checks registration first, then the transition, then the dependencies', () => {
    const ctx = session(['rhodibot', 'glambot']);
    expect(() => ctx.startBot('ghost')).toThrow(BotNotRegisteredError);
    ctx.startBot('glambot', { force: true });
    // Running already, with rhodibot still pending: the transition is what is wrong.
    expect(() => ctx.startBot('glambot')).toThrow(InvalidTransitionError);
    ctx.registerBot('seambot');
    ctx.skipBot('seambot', 'n/a');
    expect(() => ctx.startBot('seambot')).toThrow(InvalidTransitionError);
  });

  it('holds after the session is read back from JSON and after syncState', () => {
    const ctx = session(['rhodibot']);
    ctx.registerBot('my-linter', { dependsOn: ['rhodibot'] });
    const read = Context.fromJSON(JSON.parse(JSON.stringify(ctx)));
    expect(refusal(() => read.startBot('my-linter')).pending).toEqual(['rhodibot']);

    const replica = session();
    replica.syncState(ctx);
    expect(refusal(() => replica.startBot('my-linter')).pending).toEqual(['rhodibot']);
    done(replica, 'rhodibot');
    replica.startBot('my-linter');
    expect(replica.execution('my-linter')?.status).toBe('running');
  });
});

describe('pendingDependencies', () => {
  it('hands back one shared empty list when nothing is pending, and a new list only for a refusal', () => {
    const ctx = session(['rhodibot', 'glambot']);
    const executions = new Map(ctx.executions().map((e) => [e.bot, e]));
    const none = pendingDependencies([], executions);
    expect(none).toEqual([]);
    expect(pendingDependencies(['not-registered'], executions)).toBe(none);
    expect(pendingDependencies(['rhodibot', 'not-registered', 'rhodibot'], executions)).toEqual(['rhodibot']);
    executions.set('rhodibot', { bot: 'rhodibot', status: 'skipped', completedAt: '2026-11-24T12:00:00.000Z', reason: 'n/a' });
    expect(pendingDependencies(['rhodibot'], executions)).toBe(none);
  });
});
