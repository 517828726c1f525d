import { describe, expect, it } from 'vitest';
import { Context, ValidationError } from '../src/index.js';

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
});
