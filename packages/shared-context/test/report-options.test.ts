import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Context, ValidationError, buildReport, generateReport, parseReport, writeReport } from '../src/index.js';
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
