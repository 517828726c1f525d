import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CASES } from '../src/cases/index.js';
import { healthFixture, queryFixture, readyBotsFixture, reportFixture, serializationFixture, summaryFixture, testRule } from '../src/cases/original.js';
import { readReference, referenceMarkdown, referenceRows } from '../src/reference.js';
import type { CaseResult } from '../src/result.js';

const completed = (name: string, medianNs: number, ciLowNs: number, ciHighNs: number): CaseResult => ({
  name,
  description: name,
  state: 'completed',
  stats: { medianNs, meanNs: medianNs, p75Ns: medianNs, p99Ns: medianNs, minNs: ciLowNs, maxNs: ciHighNs, ciLowNs, ciHighNs, samples: 100, batch: 1 },
});

describe('the Rust original as a reference column', () => {
  it('names an existing benchmark in every row of the repository file', () => {
    const ref = readReference();
    const names = new Set(ALL_CASES.map((c) => c.name));
    for (const row of ref.rows) expect(names.has(row.benchmark), row.benchmark).toBe(true);
    expect(ref.source).toMatch(/15ec2e61605c2f6c9c03b117f409ae273121b7f7/);
  });

  it('judges a row by its target, else by the lower of the original runs, from the interval', () => {
    const ref = readReference();
    const rows = referenceRows(ref, [
      completed('context/create', 150, 140, 160),
      completed('lifecycle/start-complete', 700, 690, 710),
      completed('serialization/serialize', 62_000, 60_000, 64_000),
    ]);
    const by = new Map(rows.map((r) => [r.benchmark, r]));
    expect(by.get('context/create')).toMatchObject({ targetNs: 446, status: 'met' });
    expect(by.get('context/create')!.ratio).toBeCloseTo(150 / 446);
    expect(by.get('lifecycle/start-complete')).toMatchObject({ targetNs: 650, status: 'missed' });
    expect(by.get('serialization/serialize')).toMatchObject({ targetNs: 62_000, status: 'unsure' });
    expect(by.get('health/uncached')!.status).toBe('not run');
  });

  it('prints the original beside fleetkit, marks unequal work, and leaves out rows not run', () => {
    const md = referenceMarkdown(referenceRows(readReference(), [completed('context/create', 150, 140, 160), completed('reports/markdown-100', 40_000, 39_000, 41_000)]));
    expect(md).toContain('original (Rust, measured here)');
    expect(md).toContain('| context/create | 150 ns (140 ns–160 ns) | 446 ns–452 ns | 0.34× | ≤ 446 ns | ✅ |');
    expect(md).toMatch(/reports\/markdown-100 .* 15\.7 µs–15\.8 µs ¹/);
    expect(md).toContain('¹ Not equal work');
    expect(md).not.toContain('health/uncached');
  });

  it('rejects a malformed file naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fk-ref-'));
    const bad = join(dir, 'ref.json');
    writeFileSync(bad, JSON.stringify({ schemaVersion: 1, source: 'x', rows: [{ benchmark: 'a', original: 'b', runsNs: [-1] }] }));
    expect(() => readReference(bad)).toThrow(/ref\.json: rows\.0\.runsNs\.0/);
    writeFileSync(bad, JSON.stringify({ schemaVersion: 1, source: 'x', rows: [{ benchmark: 'a', original: null, runsNs: null }] }));
    expect(() => readReference(bad)).toThrow(/rows\.0: a row without the original's figures needs targetNs/);
    writeFileSync(bad, '{');
    expect(() => readReference(bad)).toThrow(/cannot read the reference figures/);
  });
});

describe("the original's fixtures", () => {
  it('match fleet_benchmarks.rs', () => {
    expect(testRule(7)).toBe('TEST-007');
    expect(testRule(42)).toBe('TEST-042');
    const q = queryFixture();
    expect(q.findings.size).toBe(1000);
    expect(q.findingsFrom('rhodibot')).toHaveLength(334);
    expect(q.findingsByCategory('test-category')).toHaveLength(0);
    expect(q.findings.all()[0]!.severity).toBe('error');
    expect(q.botCount).toBe(0);
    const h = healthFixture();
    expect(h.findings.size).toBe(50);
    expect(h.findings.errors()).toHaveLength(5);
    expect(h.executions().filter((e) => e.status === 'completed').map((e) => e.bot)).toEqual(['rhodibot', 'echidnabot']);
    const r = reportFixture();
    expect(r.findings.size).toBe(100);
    expect(r.findings.errors()).toHaveLength(25);
    expect(r.executions().filter((e) => e.status === 'completed')).toHaveLength(3);
    expect(readyBotsFixture().executions().filter((e) => e.status === 'completed').map((e) => e.bot)).toEqual(['rhodibot']);
    const s = summaryFixture();
    expect(s.summary()).toMatchObject({ botsRun: 11, botsFailed: 0, totalFindings: 0, totalFilesAnalyzed: 11 * 75 });
    const ser = serializationFixture();
    expect(ser.findings.size).toBe(100);
    expect(ser.botCount).toBe(11);
    expect(ser.executions().every((e) => e.status === 'pending')).toBe(true);
  });
});
