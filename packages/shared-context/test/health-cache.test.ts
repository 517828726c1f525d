import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Context, HealthCacheRegistry, STANDARD_BOTS, ValidationError, checkHealthNow } from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

function registered(ttl?: number): Context {
  const ctx = new Context('repo', '/repo', ttl === undefined ? {} : { healthTtlMs: ttl });
  ctx.registerAllBots();
  return ctx;
}

describe('health cache', () => {
  it('serves the same result within the TTL and counts a hit', () => {
    vi.useFakeTimers();
    const ctx = registered();
    const first = ctx.healthCheck();
    vi.advanceTimersByTime(4999);
    expect(ctx.healthCheck()).toBe(first);
    expect(ctx.healthCacheStats()).toEqual({ hits: 1, misses: 1, invalidations: 0, ageMs: 4999 });
  });

  it('recomputes once the TTL has passed', () => {
    vi.useFakeTimers();
    const ctx = registered();
    const first = ctx.healthCheck();
    vi.advanceTimersByTime(5000);
    const second = ctx.healthCheck();
    expect(second).not.toBe(first);
    expect(ctx.healthCacheStats()).toMatchObject({ hits: 0, misses: 2 });
  });

  it('uses the TTL set on the context, and 0 disables caching', () => {
    vi.useFakeTimers();
    const short = registered(100);
    const a = short.healthCheck();
    vi.advanceTimersByTime(100);
    expect(short.healthCheck()).not.toBe(a);
    const off = registered(0);
    const b = off.healthCheck();
    expect(off.healthCheck()).not.toBe(b);
    expect(off.healthCacheStats()).toEqual({ hits: 0, misses: 2, invalidations: 0, ageMs: null });
  });

  it('rejects a negative or NaN TTL and a bad window', () => {
    expect(() => new Context('r', '/r', { healthTtlMs: -1 })).toThrow(ValidationError);
    expect(() => new Context('r', '/r', { healthTtlMs: Number.NaN })).toThrow(ValidationError);
    const ctx = registered();
    expect(() => ctx.healthCheck({ window: 0 })).toThrow(/options\.window/);
    expect(() => ctx.healthCheck({ window: Number.NaN })).toThrow(ValidationError);
    expect(() => ctx.healthCheck({ window: 1.5 })).toThrow(ValidationError);
  });

  const mutations: ReadonlyArray<[string, (ctx: Context) => void]> = [
    ['a finding added through the context', (c) => c.addFinding({ source: 'rhodibot', ruleId: 'r', severity: 'error', message: 'm' })],
    ['a finding added straight to the set', (c) => c.findings.add({ source: 'rhodibot', ruleId: 'r', severity: 'error', message: 'm' })],
    ['a batch of findings', (c) => c.addFindings([{ source: 'rhodibot', ruleId: 'r', severity: 'info', message: 'm' }])],
    ['a finding marked fixed', (c) => c.markFixed(c.findings.all()[0]!.id)],
    ['a bot started', (c) => c.startBot('echidnabot')],
    ['a bot completed', (c) => c.completeBot('rhodibot', { findings: 1, errors: 0, files: 1 })],
    ['a bot failed', (c) => c.failBot('rhodibot', 'x')],
    ['a bot skipped', (c) => c.skipBot('hypatia', 'not today')],
    ['a bot registered', (c) => c.registerBot('my-bot', { name: 'Mine' })],
    ['the session completed', (c) => c.completeSession()],
    ['shared data set', (c) => c.setData('k', 1)],
  ];

  it.each(mutations)('is invalidated at once by %s', (_name, mutate) => {
    const ctx = new Context('repo', '/repo', { healthTtlMs: 60_000, now: () => 1_700_000_000_000 });
    ctx.registerAllBots();
    ctx.addFinding({ source: 'rhodibot', ruleId: 'seed', severity: 'warning', message: 'seed' });
    ctx.startBot('rhodibot');
    const before = ctx.healthCheck();
    mutate(ctx);
    const after = ctx.healthCheck();
    expect(after).not.toBe(before);
    expect(after).toEqual(checkHealthNow(ctx));
    expect(ctx.healthCacheStats().invalidations).toBe(1);
  });

  it('never serves a result that differs from a fresh computation (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('check' as const) }),
      fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 400_000 }) }),
      fc.record({ kind: fc.constant('add' as const), bot: fc.constantFrom(...STANDARD_BOTS), sev: fc.constantFrom('error', 'warning', 'info', 'suggestion') }),
      fc.record({ kind: fc.constant('start' as const), bot: fc.constantFrom(...STANDARD_BOTS), force: fc.boolean() }),
      fc.record({ kind: fc.constant('complete' as const), bot: fc.constantFrom(...STANDARD_BOTS), n: fc.nat(20), e: fc.nat(20) }),
      fc.record({ kind: fc.constant('fail' as const), bot: fc.constantFrom(...STANDARD_BOTS) }),
      fc.record({ kind: fc.constant('skip' as const), bot: fc.constantFrom(...STANDARD_BOTS) }),
      fc.record({ kind: fc.constant('fix' as const), i: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 0, max: 10_000 }), (ops, ttl) => {
        const clock = { t: 1_000_000 };
        const ctx = new Context('p', '/p', { now: () => clock.t, healthTtlMs: ttl });
        ctx.registerAllBots();
        let i = 0;
        for (const o of ops) {
          try {
            switch (o.kind) {
              case 'check': {
                const cached = ctx.healthCheck();
                // A served result is never older than the TTL, and it equals a fresh
                // computation of the current state at the moment it was computed:
                // only time has moved, never the data.
                const age = ctx.healthCacheStats().ageMs ?? 0;
                if (ttl === 0) expect(age).toBe(0);
                else expect(age).toBeLessThan(ttl);
                const saved = clock.t;
                clock.t -= age;
                const fresh = checkHealthNow(ctx);
                clock.t = saved;
                expect(JSON.stringify(cached)).toBe(JSON.stringify(fresh));
                break;
              }
              case 'tick':
                clock.t += o.ms;
                break;
              case 'add':
                ctx.addFinding({ source: o.bot, ruleId: 'r', severity: o.sev as 'error', message: `m${i++}` });
                break;
              case 'start':
                ctx.startBot(o.bot, { force: o.force });
                break;
              case 'complete':
                ctx.completeBot(o.bot, { findings: o.n, errors: Math.min(o.e, o.n), files: 1 });
                break;
              case 'fail':
                ctx.failBot(o.bot, 'x');
                break;
              case 'skip':
                ctx.skipBot(o.bot, 'y');
                break;
              case 'fix': {
                const all = ctx.findings.all();
                if (all.length > 0) ctx.markFixed(all[o.i % all.length]!.id);
                break;
              }
            }
          } catch (err) {
            // Illegal transitions and starts ahead of dependencies are part of the random walk; they must not change anything.
            if (!(err instanceof Error) || !('code' in err) || (err.code !== 'FK_INVALID_TRANSITION' && err.code !== 'FK_DEPENDENCIES_NOT_DONE')) throw err;
          }
        }
        // A mutation-free second call at the same instant is exactly a fresh computation.
        ctx.setData('end', true);
        expect(JSON.stringify(ctx.healthCheck())).toBe(JSON.stringify(checkHealthNow(ctx)));
      }),
      { numRuns: 150 },
    );
  });
});

describe('health cache registry (many contexts)', () => {
  it('is bounded: the least recently used context is evicted beyond max', () => {
    const reg = new HealthCacheRegistry({ max: 2, ttlMs: 60_000 });
    const [a, b, c] = [registered(), registered(), registered()];
    reg.get(a);
    reg.get(b);
    reg.get(c);
    expect(reg.size).toBe(2);
    reg.get(a);
    expect(reg.stats()).toEqual({ hits: 0, misses: 4, invalidations: 0 });
  });

  it('hits while the context is unchanged and recomputes after a change', () => {
    const reg = new HealthCacheRegistry({ max: 10, ttlMs: 60_000 });
    const ctx = registered();
    const first = reg.get(ctx);
    expect(reg.get(ctx)).toBe(first);
    ctx.startBot('rhodibot');
    const after = reg.get(ctx);
    expect(after).not.toBe(first);
    expect(after.botHealth.rhodibot?.executionStatus).toBe('running');
    expect(reg.stats()).toEqual({ hits: 1, misses: 2, invalidations: 1 });
  });

  it('expires entries after its TTL', () => {
    vi.useFakeTimers();
    const reg = new HealthCacheRegistry({ max: 10, ttlMs: 1000 });
    const ctx = registered();
    const first = reg.get(ctx);
    vi.advanceTimersByTime(1001);
    expect(reg.get(ctx)).not.toBe(first);
  });

  it('rejects a bad size or TTL', () => {
    expect(() => new HealthCacheRegistry({ max: 0 })).toThrow(ValidationError);
    expect(() => new HealthCacheRegistry({ ttlMs: -5 })).toThrow(ValidationError);
  });
});
