import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Context, generateReport, parseReport } from '../src/index.js';
import { corpusSession } from './support/corpus-session.js';
import { sarifValidator } from './support/sarif.js';

const now = () => Date.UTC(2026, 1, 6, 22, 0, 0);


describe('reports of a realistic session (golden files)', () => {
  it.each([
    ['markdown', 'report.md'],
    ['json', 'report.json'],
    ['html', 'report.html'],
    ['sarif', 'report.sarif'],
  ] as const)('renders %s as in the golden file', async (format, file) => {
    const text = generateReport(corpusSession(), format, { now });
    await expect(text).toMatchFileSnapshot(join('fixtures', 'golden', file));
  });

  it('lists findings grouped by severity (error first) then bot, with rule, message, location, suggestion and fixable', () => {
    const md = generateReport(corpusSession(), 'markdown', { now });
    const errors = md.indexOf('### ❌ Errors');
    const warnings = md.indexOf('### ⚠️ Warnings');
    expect(errors).toBeGreaterThan(0);
    expect(warnings === -1 || warnings > errors).toBe(true);
    expect(md).toContain('| Bot | Rule | Message | Location | Suggestion | Fixable |');
    expect(md).toContain('| rhodibot | `unwrap_without_check` | unsafe\\_panic: unwrap\\_without\\_check \\(CWE-754\\) | `src/adapters/bitbucket.rs:75` | Replace unwrap\\(\\) with ? operator or match | no |');
    const errorSection = md.slice(errors, md.indexOf('\n### ', errors + 1));
    const bots = [...errorSection.matchAll(/^\| (\w+) \|/gm)].map((m) => m[1]).filter((b) => b !== 'Bot');
    expect(bots).toEqual([...bots].sort((a, b) => ['rhodibot', 'echidnabot', 'panicbot'].indexOf(a!) - ['rhodibot', 'echidnabot', 'panicbot'].indexOf(b!)));
  });

  it('uses the health check for status and score, in every format', () => {
    const ctx = corpusSession();
    const h = ctx.healthCheck();
    const json = parseReport(generateReport(ctx, 'json', { now }));
    expect(json.health.status).toBe(h.status);
    expect(json.health.score).toBe(h.healthScore);
    expect(generateReport(ctx, 'markdown', { now })).toContain(`${h.status} (score ${Math.round(h.healthScore * 10) / 10}/100)`);
    expect(generateReport(ctx, 'html', { now })).toContain(`>${h.status}</b>`);
    expect(JSON.parse(generateReport(ctx, 'sarif', { now })).runs[0].properties['fleetkit/healthScore']).toBe(h.healthScore);
  });

  it('JSON round-trips through parseReport with every finding', () => {
    const ctx = corpusSession();
    const report = parseReport(generateReport(ctx, 'json', { now }));
    expect(report.schemaVersion).toBe(1);
    const ids = report.groups.flatMap((g) => g.findings.map((f) => f.id)).sort();
    expect(ids).toEqual([...ctx.findings].map((f) => f.id).sort());
    const f = report.groups.flatMap((g) => g.findings).find((x) => x.id === 'f-900');
    expect(f).toMatchObject({ source: 'glambot', severity: 'suggestion', file: 'docs/index.html', line: 12, column: 5 });
    expect(() => parseReport('{"schemaVersion":1}')).toThrow(/generator/);
    expect(() => parseReport('nope')).toThrow(/not valid JSON/);
  });

  it('SARIF validates against the official 2.1.0 schema and meets GitHub code scanning rules', () => {
    const log = JSON.parse(generateReport(corpusSession(), 'sarif', { now })) as {
      runs: Array<{ automationDetails: { id: string }; tool: { driver: { rules: Array<Record<string, { text: string }>> } }; results: Array<Record<string, unknown>> }>;
    };
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const run = log.runs[0]!;
    expect(run.automationDetails.id).toBe('fleetkit/echidnabot/');
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription?.text.length).toBeGreaterThan(0);
      expect(rule.fullDescription?.text.length).toBeGreaterThan(0);
      expect(rule.help?.text.length).toBeGreaterThan(0);
    }
    const levels = new Set(run.results.map((r) => r.level));
    expect([...levels].every((l) => ['error', 'warning', 'note'].includes(l as string))).toBe(true);
    const uris = run.results.flatMap((r) => (r.locations as Array<{ physicalLocation: { artifactLocation: { uri: string } } }> | undefined) ?? []).map((l) => l.physicalLocation.artifactLocation.uri);
    expect(uris.every((u) => !u.startsWith('/') && !u.startsWith('./'))).toBe(true);
  });

  it('gives a finding the same SARIF fingerprint in another run, whatever its id', () => {
    const fp = (text: string) => (JSON.parse(text) as { runs: Array<{ results: Array<{ partialFingerprints: Record<string, string>; message: { text: string } }> }> }).runs[0]!.results.map((r) => r.partialFingerprints['fleetkit/v1']);
    const a = corpusSession();
    const b = corpusSession();
    // Same findings under new ids in a second session.
    const c = corpusSession();
    const renamed = [...c.findings].map((f) => ({ ...f, id: `other-${f.id}` }));
    const d = new Context('echidnabot', '/x', { now });
    d.registerAllBots();
    d.addFindings(renamed);
    expect(fp(generateReport(a, 'sarif', { now }))).toEqual(fp(generateReport(b, 'sarif', { now })));
    expect(new Set(fp(generateReport(d, 'sarif', { now })))).toEqual(new Set(fp(generateReport(a, 'sarif', { now }))));
  });
});
