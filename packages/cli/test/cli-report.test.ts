import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('keeps suppressed findings in the report, marked with their justification, and leaves the findings themselves alone', () => {
    writeFileSync(path.join(dir, 'fleet.suppressions.json'), JSON.stringify({ suppressions: [{ rule: 'seo-title', path: 'docs/**', justification: 'docs are generated' }] }));
    const json = parseReport(fleet(['report', '--session', 'session.json', '--format', 'json'], dir).stdout);
    const all = json.groups.flatMap((g) => g.findings);
    expect(all).toHaveLength(3);
    expect(json.summary.suppressed).toBe(1);
    const marked = all.filter((f) => f.suppression !== undefined);
    expect(marked.map((f) => [f.file, f.suppression])).toEqual([['docs/x.html', { justification: 'docs are generated' }]]);
    expect(all.every((f) => f.metadata.suppressed === undefined && f.baselineState === undefined)).toBe(true);
    const md = fleet(['report', '--session', 'session.json'], dir).stdout;
    expect(md).toContain('| 🔇 **suppressed**: docs are generated | glambot | `seo-title` | title could be shorter |');
    rmSync(path.join(dir, 'fleet.suppressions.json'));
  });

  it('writes SARIF suppressions for --suppressions FILE, and names expired entries on stderr without applying them', () => {
    writeFileSync(
      path.join(dir, 'triage.json'),
      JSON.stringify({
        suppressions: [
          { rule: 'img-alt', justification: 'decorative images', expires: '2099-12-31' },
          { rule: 'seo-title', path: 'about.html', justification: 'old rule', expires: '2020-01-01' },
        ],
      }),
    );
    const r = fleet(['report', '--session', 'session.json', '--suppressions', 'triage.json', '--format', 'sarif'], dir);
    expect(r.code, r.stderr).toBe(0);
    const results = (JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ ruleId: string; suppressions?: unknown; baselineState?: string }> }> }).runs[0]!.results;
    expect(results.find((x) => x.ruleId === 'img-alt')?.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'decorative images', properties: { expires: '2099-12-31' } }]);
    expect(results.filter((x) => x.suppressions !== undefined)).toHaveLength(1);
    expect(results.every((x) => x.baselineState === undefined)).toBe(true);
    expect(r.stderr).toContain('fleet report: expired suppression no longer applied: seo-title in about.html, expired 2020-01-01 (old rule)');
  });

  it('marks findings new or unchanged against --baseline OLD_SESSION', () => {
    // An older session of the same repository with two of the three findings (a moved line is still the same finding); img-alt is new.
    const old = new Context('acme/<web>', dir, { now: () => Date.UTC(2020, 0, 1) });
    old.addFindings([
      { source: 'glambot', ruleId: 'seo-title', severity: 'warning', message: 'title too long', file: 'about.html', line: 3 },
      { source: 'glambot', ruleId: 'seo-title', severity: 'info', message: 'title could be shorter', file: 'docs/x.html', line: 2 },
      { source: 'glambot', ruleId: 'gone', severity: 'error', message: 'fixed since', file: 'x.html' },
    ]);
    writeFileSync(path.join(dir, 'old.json'), JSON.stringify(old));
    const json = parseReport(fleet(['report', '--session', 'session.json', '--baseline', 'old.json', '--format', 'json'], dir).stdout);
    expect(json.summary.new).toBe(1);
    expect(Object.fromEntries(json.groups.flatMap((g) => g.findings).map((f) => [f.ruleId + '@' + f.file, f.baselineState]))).toEqual({
      'img-alt@index.html': 'new',
      'seo-title@about.html': 'unchanged',
      'seo-title@docs/x.html': 'unchanged',
    });
    const sarif = JSON.parse(fleet(['report', '--session', 'session.json', '--baseline', 'old.json', '--format', 'sarif'], dir).stdout) as { runs: Array<{ results: Array<{ ruleId: string; baselineState?: string }> }> };
    expect(sarif.runs[0]!.results.map((x) => [x.ruleId, x.baselineState])).toEqual([['img-alt', 'new'], ['seo-title', 'unchanged'], ['seo-title', 'unchanged']]);
    const md = fleet(['report', '--session', 'session.json', '--baseline', 'old.json'], dir).stdout;
    expect(md).toContain('| New since baseline | 1 (2 unchanged) |');
    expect(md).toMatch(/^\| 🆕 \*\*new\*\* \| glambot \| `img-alt` \|/m);
  });

  it('exits 2 without writing a report when --baseline is missing or is not an older session of the repository', () => {
    const missing = fleet(['report', '--session', 'session.json', '--baseline', 'no-such.json'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('cannot read session no-such.json: no such file');
    const other = new Context('acme/other', dir, { now: () => Date.UTC(2020, 0, 1) });
    writeFileSync(path.join(dir, 'other.json'), JSON.stringify(other));
    const wrongRepo = fleet(['report', '--session', 'session.json', '--baseline', 'other.json', '--out', 'never.md'], dir);
    expect(wrongRepo.code).toBe(2);
    expect(wrongRepo.stderr).toContain('baseline other.json');
    expect(existsSync(path.join(dir, 'never.md'))).toBe(false);
  });

  it('exits 2 when the output file cannot be written', () => {
    const r = fleet(['report', '--session', 'session.json', '--out', path.join(dir, 'no', 'such', 'dir', 'r.md')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write report');
  });
});
