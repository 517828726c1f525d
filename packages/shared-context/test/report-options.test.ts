import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Context, ValidationError, baselineStateOf, buildReport, generateReport, parseReport, suppressionOf, writeReport } from '../src/index.js';
import type { ReportFormat } from '../src/index.js';
import { corpusSession } from './support/corpus-session.js';

const now = () => Date.UTC(2026, 0, 1);

describe('report options', () => {
  it('rejects an unknown format and bad options, naming them', () => {
    const ctx = new Context('r', '/r');
    expect(() => generateReport(ctx, 'pdf' as ReportFormat)).toThrow(ValidationError);
    expect(() => generateReport(ctx, 'pdf' as ReportFormat)).toThrow(/format/);
    expect(() => generateReport(ctx, 'markdown', { maxFindings: -1 })).toThrow(/options\.maxFindings/);
    expect(() => generateReport(ctx, 'markdown', { groupBy: 'colour' as never })).toThrow(/options\.groupBy/);
    expect(() => generateReport(ctx, 'markdown', { minSeverity: 'fatal' as never })).toThrow(/options\.minSeverity/);
    expect(() => generateReport(ctx, 'markdown', { target: 'slack' as never })).toThrow(/options\.target/);
    expect(() => generateReport(ctx, 'markdown', { colour: true } as never)).toThrow(/colour/);
  });

  it('rejects bad suppressions and newFindings, naming the option', () => {
    const ctx = new Context('r', '/r');
    const bad: Array<[unknown, RegExp]> = [
      [{ suppressions: { f1: { justification: 'x' } } }, /options\.suppressions: must be a Map/],
      [{ suppressions: new Map([['f1', { justification: '  ' }]]) }, /options\.suppressions\.f1\.justification: must not be blank/],
      [{ suppressions: new Map([['f1', { reason: 'x' }]]) }, /options\.suppressions\.f1\.justification/],
      [{ suppressions: new Map([['f1', { justification: 'x', expires: 'next year' }]]) }, /options\.suppressions\.f1\.expires: must be a date/],
      [{ suppressions: new Map([[1, { justification: 'x' }]]) }, /options\.suppressions\[1\]/],
      [{ newFindings: ['f1'] }, /options\.newFindings: must be a Set/],
      [{ newFindings: new Set([1]) }, /options\.newFindings/],
    ];
    for (const [options, message] of bad) {
      expect(() => generateReport(ctx, 'markdown', options as never)).toThrow(ValidationError);
      expect(() => generateReport(ctx, 'markdown', options as never)).toThrow(message);
    }
    expect(() => generateReport(ctx, 'markdown', { suppressions: new Map([['f1', { justification: 'x', expires: '2026-12-31T10:00:00Z' }]]), newFindings: new Set() })).not.toThrow();
  });

  it('puts suppressions and baseline states in the model, looked up by id; counts only findings of the session', () => {
    const ctx = new Context('r', '/r');
    ctx.addFindings([
      { id: 'a', source: 'rhodibot', ruleId: 'x', severity: 'error', message: 'a' },
      { id: 'b', source: 'rhodibot', ruleId: 'x', severity: 'warning', message: 'b' },
      { id: 'c', source: 'rhodibot', ruleId: 'x', severity: 'info', message: 'c' },
    ]);
    const [a, b, c] = ['a', 'b', 'c'].map((id) => ctx.findings.get(id)!);
    const plain = buildReport(ctx);
    expect(plain.summary.suppressed).toBe(0);
    expect(plain.summary).not.toHaveProperty('new');
    expect([suppressionOf(plain, a!), baselineStateOf(plain, a!)]).toEqual([undefined, undefined]);

    const m = buildReport(ctx, {
      suppressions: new Map([['b', { justification: 'accepted', expires: '2027-01-01' }], ['gone', { justification: 'not in the session' }]]),
      newFindings: new Set(['a', 'gone']),
    });
    expect(m.summary).toMatchObject({ suppressed: 1, new: 1 });
    expect(suppressionOf(m, b!)).toEqual({ justification: 'accepted', expires: '2027-01-01' });
    expect(suppressionOf(m, a!)).toBeUndefined();
    expect([a, b, c].map((f) => baselineStateOf(m, f!))).toEqual(['new', 'unchanged', 'unchanged']);
    // Findings are still referenced, not copied.
    expect(m.groups.flatMap((g) => g.findings)).toEqual([a, b, c]);
    expect(m.groups[0]!.findings[0]).toBe(a);
    // An empty baseline makes every finding unchanged.
    expect(baselineStateOf(buildReport(ctx, { newFindings: new Set() }), a!)).toBe('unchanged');
  });

  it('blocks the release only on unfixed errors that no suppression accepts, as the gate does', () => {
    const ctx = new Context('r', '/r');
    ctx.addFindings([
      { id: 'e1', source: 'rhodibot', ruleId: 'x', severity: 'error', message: 'one' },
      { id: 'e2', source: 'rhodibot', ruleId: 'x', severity: 'error', message: 'two' },
      { id: 'w', source: 'rhodibot', ruleId: 'x', severity: 'warning', message: 'w' },
    ]);
    const accept = (...ids: string[]) => ({ suppressions: new Map(ids.map((id) => [id, { justification: 'accepted' }] as const)), now });
    expect(buildReport(ctx).releaseBlocked).toBe(true);
    expect(generateReport(ctx, 'markdown', { now })).toContain('| Release | ❌ blocked (2 unfixed errors) |');
    const one = buildReport(ctx, accept('e1', 'w'));
    expect([one.releaseBlocked, one.blockingErrors]).toEqual([true, 1]);
    expect(generateReport(ctx, 'markdown', accept('e1', 'w'))).toContain('| Release | ❌ blocked (1 unfixed error; 1 more suppressed) |');
    const both = buildReport(ctx, accept('e1', 'e2'));
    expect([both.releaseBlocked, both.blockingErrors]).toEqual([false, 0]);
    expect(generateReport(ctx, 'markdown', accept('e1', 'e2'))).toContain('| Release | ✅ not blocked (2 unfixed errors, all suppressed) |');
    expect((JSON.parse(generateReport(ctx, 'json', accept('e1', 'e2'))) as { releaseBlocked: boolean }).releaseBlocked).toBe(false);
    // A suppressed error that is fixed is not subtracted twice: e1 still blocks.
    ctx.markFixed('e2');
    expect(buildReport(ctx, accept('e2')).blockingErrors).toBe(1);
  });

  it('lists at most maxFindings and summarises the rest', () => {
    const ctx = corpusSession();
    const md = generateReport(ctx, 'markdown', { maxFindings: 5, now });
    expect(md.split('\n').filter((l) => /^\| (rhodibot|echidnabot|panicbot|glambot) \|/.test(l))).toHaveLength(5);
    expect(md).toContain(`… and ${ctx.findings.size - 5 - 1} more`);
    const json = parseReport(generateReport(ctx, 'json', { maxFindings: 5, now }));
    expect(json.listed).toBe(5);
    expect(json.groups.reduce((a, g) => a + g.omitted, 0)).toBe(ctx.findings.size - 5);
    const sarif = JSON.parse(generateReport(ctx, 'sarif', { maxFindings: 5, now }));
    expect(sarif.runs[0].results).toHaveLength(5);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toMatch(/left out/);
  });

  it('groups by severity, bot, category or file', () => {
    const ctx = corpusSession();
    expect(buildReport(ctx, { groupBy: 'severity' }).groups.map((g) => g.key)).toEqual(['error', 'suggestion']);
    expect(buildReport(ctx, { groupBy: 'bot' }).groups.map((g) => g.key)).toEqual(['rhodibot', 'echidnabot', 'panicbot', 'glambot']);
    const byFile = buildReport(ctx, { groupBy: 'file' });
    expect(byFile.groups.every((g) => g.findings.every((f) => (f.file ?? '') === g.key))).toBe(true);
    const byCat = buildReport(ctx, { groupBy: 'category' });
    expect(byCat.groups.reduce((a, g) => a + g.findings.length, 0)).toBe(ctx.findings.size);
    expect(generateReport(ctx, 'markdown', { groupBy: 'bot', now })).toContain('| Severity | Bot | Rule |');
  });

  it('leaves out findings below minSeverity', () => {
    const ctx = corpusSession();
    const m = buildReport(ctx, { minSeverity: 'warning' });
    expect(m.matching).toBe(ctx.findings.countBySeverity().error + ctx.findings.countBySeverity().warning);
    expect(generateReport(ctx, 'markdown', { minSeverity: 'error', now })).toContain('Findings less severe than error are not listed');
  });

  it('is also a method of the context', () => {
    const ctx = corpusSession();
    expect(ctx.generateReport('markdown', { now })).toBe(generateReport(ctx, 'markdown', { now }));
  });
});

describe('writeReport (streaming)', () => {
  class SlowSink extends Writable {
    chunks: string[] = [];
    writes = 0;
    constructor() {
      super({ highWaterMark: 16 });
    }
    override _write(chunk: Buffer, _enc: string, cb: (e?: Error | null) => void): void {
      this.chunks.push(chunk.toString('utf8'));
      this.writes++;
      setImmediate(cb);
    }
  }

  it.each(['markdown', 'json', 'sarif', 'html'] as const)('streams %s with backpressure and writes what generateReport returns', async (format) => {
    const ctx = new Context('stream', '/s', { now, sessionId: 's' });
    ctx.registerAllBots();
    ctx.addFindings(Array.from({ length: 3000 }, (_, i) => ({ id: `f${i}`, source: 'rhodibot', ruleId: `r${i % 9}`, severity: (['error', 'warning'] as const)[i % 2]!, message: `message ${i}`, file: `src/${i}.ts`, line: i + 1, createdAt: '2026-01-01T00:00:00.000Z' })));
    const sink = new SlowSink();
    await writeReport(ctx, format, sink, { now });
    expect(sink.chunks.join('')).toBe(generateReport(ctx, format, { now }));
    if (format !== 'html') expect(sink.writes).toBeGreaterThan(1);
  });

  it('rejects an unknown format before writing anything', async () => {
    const sink = new SlowSink();
    await expect(writeReport(new Context('r', '/r'), 'xml' as ReportFormat, sink)).rejects.toThrow(ValidationError);
    expect(sink.writes).toBe(0);
  });
});
