import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commentMarker, Context, importFindings, parseReport } from '@fleetkit/shared-context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, fleet } from './run-fleet.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fleet-report-'));
let ctx: Context;
beforeAll(() => {
  buildCli();
  ctx = new Context('acme/<web>', dir);
  ctx.registerBot('glambot');
  ctx.startBot('glambot');
  ctx.completeBot('glambot', { findings: 3, errors: 1, files: 2 });
  ctx.addFindings([
    { source: 'glambot', ruleId: 'img-alt', severity: 'error', message: 'image <img src=x onerror=alert(1)> has no alt', file: 'index.html', line: 4 },
    { source: 'glambot', ruleId: 'seo-title', severity: 'warning', message: 'title too long', file: 'about.html', line: 1 },
    { source: 'glambot', ruleId: 'seo-title', severity: 'info', message: 'title could be shorter', file: 'docs/x.html', line: 2 },
  ]);
  writeFileSync(path.join(dir, 'session.json'), JSON.stringify(ctx));
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fleet report', () => {
  it('writes Markdown for a PR comment, starting with the marker', () => {
    const r = fleet(['report', '--session', 'session.json', '--target', 'github-comment'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(commentMarker('acme/<web>'))).toBe(true);
    expect(r.stdout).toContain('img-alt');
  });

  it('writes each format to --out; the JSON and SARIF reports read back as the session findings', () => {
    for (const format of ['markdown', 'json', 'html', 'sarif']) {
      const r = fleet(['report', '--session', 'session.json', '--format', format, '--out', `report.${format}`], dir);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
    }
    const json = parseReport(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(json.summary.totalFindings).toBe(3);
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).not.toContain('<img src=x');
    const back = importFindings(readFileSync(path.join(dir, 'report.sarif'), 'utf8'));
    expect(back.findings.map((f) => `${f.ruleId}@${f.file}:${f.line}`).sort()).toEqual(ctx.findings.all().map((f) => `${f.ruleId}@${f.file}:${f.line}`).sort());
  });

  it('limits the findings listed with --max-findings and filters with --min-severity', () => {
    const limited = parseReport(fleet(['report', '--session', 'session.json', '--format', 'json', '--max-findings', '1'], dir).stdout);
    expect(limited.listed).toBe(1);
    const warnings = parseReport(fleet(['report', '--session', 'session.json', '--format', 'json', '--min-severity', 'warning'], dir).stdout);
    expect(warnings.matching).toBe(2);
  });

  it('keeps suppressed findings in the report, marked with their justification', () => {
    writeFileSync(path.join(dir, 'fleet.suppressions.json'), JSON.stringify({ suppressions: [{ rule: 'seo-title', path: 'docs/**', justification: 'docs are generated' }] }));
    const json = parseReport(fleet(['report', '--session', 'session.json', '--format', 'json'], dir).stdout);
    const all = json.groups.flatMap((g) => g.findings);
    expect(all).toHaveLength(3);
    const marked = all.filter((f) => f.metadata.suppressed !== undefined);
    expect(marked.map((f) => [f.file, f.metadata.suppressed])).toEqual([['docs/x.html', { justification: 'docs are generated' }]]);
    rmSync(path.join(dir, 'fleet.suppressions.json'));
  });

  it('exits 2 when the output file cannot be written', () => {
    const r = fleet(['report', '--session', 'session.json', '--out', path.join(dir, 'no', 'such', 'dir', 'r.md')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write report');
  });
});
