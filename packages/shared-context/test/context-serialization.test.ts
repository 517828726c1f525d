import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Context, createFinding, STANDARD_BOTS, ValidationError, botInfo } from '../src/index.js';
import type { FindingInput } from '../src/index.js';

function issuesOf(fn: () => unknown): ValidationError['issues'] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

function sample(): Context {
  const clock = { t: Date.UTC(2026, 10, 24) };
  const ctx = new Context('repo', '/repo', { now: () => clock.t, sessionId: 's-1' });
  ctx.registerAllBots();
  ctx.registerBot('my-bot', { name: 'Mine', tier: 'executor', dependsOn: ['rhodibot'] });
  ctx.startBot('rhodibot');
  clock.t += 100;
  ctx.completeBot('rhodibot', { findings: 2, errors: 1, files: 3 });
  ctx.startBot('echidnabot');
  ctx.failBot('echidnabot', 'x');
  ctx.skipBot('hypatia', 'y');
  ctx.startBot('sustainabot');
  ctx.addFindings([
    { id: 'f1', source: 'rhodibot', ruleId: 'r', severity: 'error', message: 'e', file: 'a.ts', line: 1, metadata: JSON.parse('{"__proto__":{"p":1},"k":[1,2]}') },
    { id: 'f2', source: 'rhodibot', ruleId: 'r', severity: 'warning', message: 'w', fixable: true },
  ]);
  ctx.markFixed('f1');
  ctx.setData('shared', { a: 1 });
  clock.t += 50;
  ctx.completeSession();
  return ctx;
}

describe('Context.toJSON / fromJSON', () => {
  it('round-trips every part of a session', () => {
    const ctx = sample();
    const json = JSON.parse(JSON.stringify(ctx)) as unknown;
    const back = Context.fromJSON(json);
    expect(back.toJSON()).toEqual(ctx.toJSON());
    expect(JSON.stringify(back)).toBe(JSON.stringify(ctx));
    expect(back.summary()).toEqual(ctx.summary());
    expect(back.readyBots()).toEqual(ctx.readyBots());
    expect(back.findings.get('f1')?.fixed).toBe(true);
    expect(back.blocksRelease()).toBe(false);
    expect(back.bot('my-bot')).toEqual(ctx.bot('my-bot'));
    expect(Object.keys(back.findings.get('f1')!.metadata)).toEqual(['__proto__', 'k']);
  });

  it('rejects what is not a serialized context, naming each problem', () => {
    const good = JSON.parse(JSON.stringify(sample())) as Record<string, unknown>;
    const cases: Array<[unknown, RegExp]> = [
      [null, /expected object/],
      [[], /expected object/],
      [{ ...good, schemaVersion: 2 }, /schemaVersion/],
      [{ ...good, findings: [{ source: 'x' }] }, /findings\[0\]\.ruleId/],
      [{ ...good, executions: [{ bot: 'rhodibot', status: 'exploded' }] }, /executions\[0\]\.status/],
      [{ ...good, executions: [...(good.executions as unknown[]), { bot: 'ghost', status: 'pending' }] }, /ghost/],
      [{ ...good, startedAt: 'yesterday' }, /startedAt/],
      [{ ...good, extra: 1 }, /extra/],
    ];
    for (const [value, message] of cases) {
      expect(() => Context.fromJSON(value, { source: 'file.json' })).toThrow(ValidationError);
      expect(() => Context.fromJSON(value, { source: 'file.json' })).toThrow(message);
      expect(() => Context.fromJSON(value, { source: 'file.json' })).toThrow(/^file\.json: /);
    }
  });

  it('reports a duplicate finding id inside the file', () => {
    const good = JSON.parse(JSON.stringify(sample())) as { findings: unknown[] };
    const dup = { ...good, findings: [...good.findings, good.findings[0]] };
    expect(() => Context.fromJSON(dup)).toThrow(/findings\[2\]\.id/);
  });

  it('stores findings without the fields at their defaults, and reads them back equal', () => {
    const ctx = sample();
    const stored = ctx.toJSON().findings;
    expect(Object.keys(stored[1]!)).toEqual(['id', 'source', 'ruleId', 'severity', 'message', 'fixable', 'createdAt']);
    expect(Object.keys(stored[0]!)).toEqual(['id', 'source', 'ruleId', 'severity', 'message', 'file', 'line', 'fixed', 'createdAt', 'metadata']);
    const back = Context.fromJSON(JSON.parse(JSON.stringify(ctx)));
    expect([...back.findings]).toEqual([...ctx.findings]);
  });

  it('reads back any finding as it was (property)', () => {
    const text = fc.string({ maxLength: 12 });
    const input = fc.record(
      {
        source: fc.constantFrom('rhodibot', 'my-bot'),
        ruleId: fc.string({ minLength: 1, maxLength: 8 }),
        ruleName: text,
        severity: fc.constantFrom('error', 'warning', 'info', 'suggestion'),
        message: text,
        category: text,
        file: text,
        line: fc.integer({ min: 1, max: 10_000 }),
        column: fc.integer({ min: 1, max: 200 }),
        element: text,
        suggestion: text,
        fixable: fc.boolean(),
        fixed: fc.boolean(),
        related: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
        metadata: fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.boolean())),
        recipeId: text,
        confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      },
      { requiredKeys: ['source', 'ruleId', 'severity', 'message'] },
    );
    fc.assert(
      fc.property(fc.array(input, { maxLength: 6 }), (inputs) => {
        const ctx = new Context('repo', '/repo');
        ctx.addFindings(inputs as FindingInput[]);
        const back = Context.fromJSON(JSON.parse(JSON.stringify(ctx)));
        expect([...back.findings]).toEqual([...ctx.findings]);
        for (const f of back.findings) expect(createFinding({ ...f })).toEqual(f);
      }),
      { numRuns: 300 },
    );
  });

  it('reads sessions written with every field of each finding (the earlier form)', () => {
    const ctx = sample();
    const full = { ...ctx.toJSON(), findings: ctx.findings.all().map((f) => ({ ...f })) };
    const back = Context.fromJSON(JSON.parse(JSON.stringify(full)));
    expect([...back.findings]).toEqual([...ctx.findings]);
  });

  it('names a finding that is not an object, or a bad bot, by its index', () => {
    const good = JSON.parse(JSON.stringify(sample())) as { findings: unknown[]; bots: Array<Record<string, unknown>> };
    const notObjects = { ...good, findings: [good.findings[0], null, 3] };
    expect(() => Context.fromJSON(notObjects, { source: 'f.json' })).toThrow(ValidationError);
    expect(() => Context.fromJSON(notObjects, { source: 'f.json' })).toThrow(/^f\.json: (.|\n)*findings\[1\](.|\n)*findings\[2\]/);
    const bots = good.bots.map((b, i) => (i === 2 ? { ...b, tier: 'boss' } : b));
    expect(() => Context.fromJSON({ ...good, bots }, { source: 'f.json' })).toThrow(/f\.json: .*bots\[2\]\.tier/s);
    // The bad bot is named once; its execution is not reported as one of an unknown bot.
    expect(issuesOf(() => Context.fromJSON({ ...good, bots })).map((i) => i.path.join('.'))).toEqual(['bots.2.tier']);
    const extra = good.bots.map((b, i) => (i === 0 ? { ...b, colour: 'red' } : b));
    expect(() => Context.fromJSON({ ...good, bots: extra })).toThrow(/bots\[0\]/);
  });

  it('names every problem of a file at once: the envelope, the bots and the findings', () => {
    const good = JSON.parse(JSON.stringify(sample())) as { findings: Array<Record<string, unknown>>; bots: Array<Record<string, unknown>> };
    const findings = good.findings.map((f, i) => (i === 1 ? { ...f, severity: 'fatal' } : f));
    const paths = (v: unknown) => issuesOf(() => Context.fromJSON(v)).map((i) => i.path.join('.'));
    expect(paths({ ...good, startedAt: 'yesterday', findings })).toEqual(['startedAt', 'findings.1.severity']);
    expect(paths({ ...good, bots: good.bots.map((b, i) => (i === 0 ? { ...b, canFix: 'yes' } : b)), findings })).toEqual(['bots.0.canFix', 'findings.1.severity']);
    expect(paths({ ...good, findings })).toEqual(['findings.1.severity']);
  });

  it('copies findings given as records of another set: marking one fixed does not touch the other', () => {
    const ctx = sample();
    const back = Context.fromJSON({ ...ctx.toJSON(), findings: ctx.findings.all() });
    back.markFixed('f2');
    expect(back.findings.get('f2')!.fixed).toBe(true);
    expect(ctx.findings.get('f2')!.fixed).toBe(false);
    expect(ctx.findings.unfixed().map((f) => f.id)).toEqual(['f2']);
  });

  it('keeps a roster bot as the roster entry, and a changed one as it was stored', () => {
    const ctx = new Context('repo', '/repo');
    ctx.registerAllBots();
    const json = JSON.parse(JSON.stringify(ctx)) as { bots: Array<Record<string, unknown>> };
    expect(Context.fromJSON(json).bot('rhodibot')).toBe(botInfo('rhodibot'));
    json.bots[0] = { ...json.bots[0], name: 'Renamed' };
    const back = Context.fromJSON(json);
    expect(back.bot('rhodibot')).toMatchObject({ id: 'rhodibot', name: 'Renamed' });
    expect(Object.isFrozen(back.bot('rhodibot')!.categories)).toBe(true);
    expect([...back.bots()].map((b) => b.id)).toEqual([...STANDARD_BOTS]);
  });
});
