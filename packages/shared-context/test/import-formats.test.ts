import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, importFindings } from '../src/index.js';
import type { Finding } from '../src/index.js';
import { requireCorpus } from './support/paths.js';

const corpus = requireCorpus();
const sarif = (name: string): string => readFileSync(path.join(corpus, 'sarif', name), 'utf8');
const fleet = (name: string): string => readFileSync(path.join(corpus, 'gitbot-fleet', 'findings', name), 'utf8');

describe('SARIF import', () => {
  it('reads level, rule, message, first location and partial fingerprints of a real log', () => {
    const r = importFindings(sarif('valid-sarif.sarif'));
    expect(r.format).toBe('sarif');
    expect(r.rejected).toEqual([]);
    const f = r.findings[0] as Finding;
    expect(f).toMatchObject({ ruleId: 'js/unused-local-variable', message: 'Unused variable foo.', file: 'main.js', line: 2, column: 7 });
    expect(f.metadata.partialFingerprints).toEqual({ primaryLocationLineHash: '39fa2ee980eb94b0:1', primaryLocationStartColumnFingerprint: '4' });
    expect(f.metadata.format).toBe('sarif');
  });

  it('names a custom bot after the tool when the tool is not a roster bot', () => {
    const r = importFindings(sarif('valid-sarif.sarif'), { dedupe: false });
    expect(new Set(r.findings.map((f) => f.source))).toEqual(new Set(['lgtm-com', 'codeql-command-line-toolchain']));
    const withOption = importFindings(sarif('valid-sarif.sarif'), { source: 'panicbot' });
    expect(new Set(withOption.findings.map((f) => f.source))).toEqual(new Set(['panicbot']));
  });

  it('rejects a run whose results are not an array, naming the path', () => {
    const r = importFindings(sarif('invalid-sarif.sarif'));
    expect(r.format).toBe('sarif');
    expect(r.findings).toEqual([]);
    expect(r.rejected).toEqual([{ path: ['runs', 0, 'results'], code: 'invalid_shape', reason: '"results" must be an array, got a number' }]);
  });

  it('reads an empty log and a log of runs without results as no findings', () => {
    for (const name of ['empty-sarif.sarif', 'tool-names.sarif']) {
      const r = importFindings(sarif(name));
      expect(r).toMatchObject({ format: 'sarif', findings: [], rejected: [] });
    }
  });

  it('keeps a result whose URI is not valid as it was written', () => {
    const r = importFindings(sarif('with-invalid-uri.sarif'));
    expect(r.findings[0]?.file).toBe('not a valid URI');
  });

  it('maps SARIF levels and falls back to the rule default, then warning', () => {
    const log = {
      version: '2.1.0',
      runs: [{
        tool: { driver: { name: 'Rhodibot', rules: [{ id: 'r1', defaultConfiguration: { level: 'note' } }] } },
        results: [
          { ruleId: 'r1', ruleIndex: 0, message: { text: 'a' } },
          { ruleId: 'r2', message: { text: 'b' } },
          { ruleId: 'r3', level: 'error', message: { text: 'c' } },
          { ruleId: 'r4', level: 'severe', message: { text: 'd' } },
        ],
      }],
    };
    const r = importFindings(log);
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.source])).toEqual([['r1', 'info', 'rhodibot'], ['r2', 'warning', 'rhodibot'], ['r3', 'error', 'rhodibot']]);
    expect(r.rejected).toMatchObject([{ path: ['runs', 0, 'results', 3, 'level'], code: 'unknown_severity' }]);
  });
});

describe('ESLint JSON and reviewdog import', () => {
  it('reads eslint -f json output, making paths relative to the root', () => {
    const out = [{ filePath: '/repo/src/a.ts', messages: [
      { ruleId: 'no-unused-vars', severity: 2, message: "'x' is assigned a value but never used.", line: 3, column: 7 },
      { ruleId: null, fatal: true, severity: 2, message: 'Parsing error: Unexpected token', line: 9, column: 1 },
      { ruleId: 'eqeqeq', severity: 1, message: 'Expected ===', line: 4, column: 9, fix: { range: [1, 2], text: '===' } },
    ], errorCount: 2, warningCount: 1 }];
    const r = importFindings(JSON.stringify(out), { rootDir: '/repo' });
    expect(r.format).toBe('eslint');
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.file, f.line, f.fixable])).toEqual([
      ['no-unused-vars', 'error', 'src/a.ts', 3, false],
      ['eslint/fatal', 'error', 'src/a.ts', 9, false],
      ['eqeqeq', 'warning', 'src/a.ts', 4, true],
    ]);
    expect(r.findings[0]?.source).toBe('eslint');
  });

  it('reads rdjson with its source name and rdjsonl line by line', () => {
    const rd = { source: { name: 'golangci-lint' }, diagnostics: [
      { message: 'unused', location: { path: 'a.go', range: { start: { line: 4, column: 2 } } }, severity: 'WARNING', code: { value: 'unused' } },
      { message: 'no sev', location: { path: 'b.go' } },
    ] };
    const r = importFindings(rd);
    expect(r.format).toBe('rdjson');
    expect(r.findings.map((f) => [f.source, f.ruleId, f.severity, f.file, f.line])).toEqual([
      ['golangci-lint', 'unused', 'warning', 'a.go', 4],
      ['golangci-lint', 'golangci-lint', 'info', 'b.go', undefined],
    ]);
    const lines = rd.diagnostics.map((d) => JSON.stringify(d)).join('\n') + '\n{"message":"x","location":{"path":"c.go"},"severity":"SEVERE"}\n';
    const l = importFindings(lines);
    expect(l.format).toBe('rdjsonl');
    expect(l.findings).toHaveLength(2);
    expect(l.rejected).toMatchObject([{ path: ['line 3', 'severity'], code: 'unknown_severity' }]);
  });
});

describe('the original fleet shapes', () => {
  it('attributes hypatia submissions to hypatia, also from a versioned scanner name', () => {
    expect(new Set(importFindings(fleet('proven/20260206-213729.json')).findings.map((f) => f.source))).toEqual(new Set(['hypatia']));
  });

  it('reads the documented scan report, treating line 0 as no line', () => {
    const r = importFindings(fleet('indieweb2-bastion/2026-02-14T00-00-00Z.json'));
    expect(r.format).toBe('scan-report');
    expect(r.findings[0]).toMatchObject({ ruleId: 'cmd-inject-interactive-tidy', file: 'scripts/interactive_tidy.sh', line: undefined, fixable: true });
    expect((r.findings[0]?.metadata.record as { location: unknown }).location).toEqual({ file: 'scripts/interactive_tidy.sh', line: 0 });
  });

  it('detects each shape from its keys', () => {
    expect(detectFormat(JSON.parse(fleet('hypatia-echidnabot-20260206-213033.json')))).toBe('scanner-array');
    expect(detectFormat({ pattern_id: 'PA1', severity: 'Low' })).toBe('dispatch-record');
    expect(detectFormat({ whatever: 1 })).toBeUndefined();
  });

  it('rejects an unknown severity spelling with the record path and keeps the rest', () => {
    const r = importFindings({ submission_metadata: { scanner: 'hypatia' }, findings: [{ severity: 'HIGH', type: 't', file: 'a' }, { severity: 'urgent', type: 't' }] });
    expect(r.findings).toHaveLength(1);
    expect(r.rejected).toMatchObject([{ path: ['findings', 1, 'severity'], code: 'unknown_severity' }]);
    expect(r.rejected[0]?.reason).toContain('"urgent"');
  });
});

describe('fleetkit JSON import', () => {
  it('reads its own findings back unchanged', () => {
    const finding = { id: 'f1', source: 'rhodibot', ruleId: 'missing-license', ruleName: 'missing-license', severity: 'suggestion', message: 'No LICENSE', category: 'files', fixable: true, fixed: false, createdAt: '2026-01-01T00:00:00.000Z', related: [], metadata: { a: 1 } };
    const r = importFindings([finding], { dedupe: false });
    expect(r.format).toBe('fleetkit-findings');
    expect(r.findings).toHaveLength(1);
    expect({ ...r.findings[0] }).toMatchObject(finding);
  });

  it('names every problem of a bad fleetkit finding', () => {
    const r = importFindings({ source: 'rhodibot', ruleId: 'x', severity: 'fatal', message: 'm', line: 0 });
    expect(r.format).toBe('fleetkit-finding');
    expect(r.rejected[0]?.code).toBe('invalid_finding');
    expect(r.rejected[0]?.reason).toMatch(/severity/);
    expect(r.rejected[0]?.reason).toMatch(/line/);
  });
});

describe('fleetkit session import', () => {
  it('reads the findings of a serialized context back with their ids and fields', async () => {
    const { Context } = await import('../src/index.js');
    const ctx = new Context('acme/web', '/repo');
    ctx.addFindings([
      { source: 'glambot', ruleId: 'alt-text', severity: 'warning', message: 'image without alt', file: 'index.html', line: 3 },
      { source: 'my-linter', ruleId: 'x', severity: 'suggestion', message: 'consider y', metadata: { n: 1 } },
    ]);
    const r = importFindings(JSON.parse(JSON.stringify(ctx)) as unknown, { dedupe: false });
    expect(r.format).toBe('fleetkit-context');
    expect(r.findings.map((f) => ({ ...f }))).toEqual(ctx.findings.all().map((f) => ({ ...f })));
  });
});
