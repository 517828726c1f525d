import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Context, generateReport, parseReport } from '../src/index.js';
import type { FindingInput, ReportOptions } from '../src/index.js';
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

/**
 * A small triaged session, from literal findings (no corpus): t-1 is new and
 * suppressed with an expiry, t-3 is new, t-4 is suppressed, t-2 is unchanged.
 */
function triagedSession(): Context {
  const clock = { t: Date.UTC(2026, 1, 6, 21, 0, 0) };
  const ctx = new Context('acme/web', '/var/repos/acme-web', { now: () => clock.t, sessionId: '00000000-0000-4000-8000-000000000002', healthTtlMs: 0 });
  const createdAt = '2026-02-06T21:00:10.000Z';
  const findings: FindingInput[] = [
    { id: 't-1', source: 'rhodibot', ruleId: 'unwrap_without_check', ruleName: 'unsafe_panic', severity: 'error', message: 'unwrap() on a Result', category: 'unsafe_panic', file: 'src/lib.rs', line: 42, suggestion: 'Use ? or match', createdAt },
    { id: 't-2', source: 'rhodibot', ruleId: 'todo-left', severity: 'warning', message: 'TODO left in code', file: 'src/main.rs', line: 7, createdAt },
    { id: 't-3', source: 'glambot', ruleId: 'missing-alt', severity: 'warning', message: 'Image without alt text', file: 'docs/index.html', line: 12, column: 5, fixable: true, createdAt },
    { id: 't-4', source: 'glambot', ruleId: 'seo-title', severity: 'info', message: 'Title longer than 60 characters', file: 'docs/about.html', line: 1, createdAt },
  ];
  for (const bot of ['rhodibot', 'glambot']) {
    ctx.registerBot(bot);
    ctx.startBot(bot);
    clock.t += 1500;
    const mine = findings.filter((f) => f.source === bot);
    ctx.addFindings(mine);
    ctx.completeBot(bot, { findings: mine.length, errors: mine.filter((f) => f.severity === 'error').length, files: 10 });
  }
  return ctx;
}

const triage: ReportOptions = {
  now,
  suppressions: new Map([
    ['t-1', { justification: 'value is checked above', expires: '2026-12-31' }],
    ['t-4', { justification: 'docs are generated' }],
    ['gone', { justification: 'a finding this session does not have' }],
  ]),
  newFindings: new Set(['t-1', 't-3', 'gone-too']),
};

describe('reports with suppressed and new findings (golden files)', () => {
  // Update the golden files with `vitest run -u` after an intended change, and review the diff.
  it.each([
    ['markdown', 'report-suppressed.md'],
    ['json', 'report-suppressed.json'],
    ['html', 'report-suppressed.html'],
    ['sarif', 'report-suppressed.sarif'],
  ] as const)('renders %s as in the golden file', async (format, file) => {
    await expect(generateReport(triagedSession(), format, triage)).toMatchFileSnapshot(join('fixtures', 'golden', file));
  });

  it('Markdown: a Status column marks new, unchanged and suppressed findings (with justification and expiry); the summary counts them', () => {
    const md = generateReport(triagedSession(), 'markdown', triage);
    expect(md).toContain('| Suppressed | 2 |');
    expect(md).toContain('| New since baseline | 2 (2 unchanged) |');
    expect(md).toContain('| Status | Bot | Rule | Message | Location | Suggestion | Fixable |\n|---|---|---|---|---|---|---|');
    const row = (rule: string) => md.split('\n').find((l) => l.includes(`\`${rule}\``));
    expect(row('unwrap_without_check')).toMatch(/^\| 🆕 \*\*new\*\*<br>🔇 \*\*suppressed\*\* \(expires 2026-12-31\): value is checked above \| rhodibot \|/);
    expect(row('todo-left')).toMatch(/^\| unchanged \| rhodibot \|/);
    expect(row('missing-alt')).toMatch(/^\| 🆕 \*\*new\*\* \| glambot \|/);
    expect(row('seo-title')).toMatch(/^\| unchanged<br>🔇 \*\*suppressed\*\*: docs are generated \| glambot \|/);
  });

  it('JSON: findings keep their suppression and baseline state, and read back', () => {
    const report = parseReport(generateReport(triagedSession(), 'json', triage));
    expect(report.summary).toMatchObject({ totalFindings: 4, suppressed: 2, new: 2 });
    const byId = new Map(report.groups.flatMap((g) => g.findings).map((f) => [f.id, f]));
    expect(byId.get('t-1')).toMatchObject({ suppression: { justification: 'value is checked above', expires: '2026-12-31' }, baselineState: 'new' });
    expect(byId.get('t-2')).toMatchObject({ baselineState: 'unchanged' });
    expect(byId.get('t-2')).not.toHaveProperty('suppression');
    expect(byId.get('t-3')).toMatchObject({ baselineState: 'new' });
    expect(byId.get('t-4')).toMatchObject({ suppression: { justification: 'docs are generated' }, baselineState: 'unchanged' });
    expect(byId.get('t-4')?.suppression).not.toHaveProperty('expires');
  });

  it('HTML: badges with the justification as visible text', () => {
    const html = generateReport(triagedSession(), 'html', triage);
    expect(html).toContain('<th>Status</th><th><button type="button" data-key="severity">');
    expect(html.match(/<span class="badge badge-new">new<\/span>/g)).toHaveLength(2);
    expect(html.match(/<span class="badge badge-suppressed">suppressed<\/span>/g)).toHaveLength(2);
    expect(html).toContain('<span class="badge badge-suppressed">suppressed</span> <span class="muted">(expires 2026-12-31)</span><span class="justification">value is checked above</span>');
    expect(html).toContain('<span class="justification">docs are generated</span>');
    expect(html).toContain('<span id="suppressed-count">2</span> suppressed, <span id="new-count">2</span> new');
  });

  it('SARIF: suppressed results carry an external, accepted suppression; every result has a baseline state; the log validates', () => {
    const log = JSON.parse(generateReport(triagedSession(), 'sarif', triage)) as { runs: Array<{ results: Array<{ ruleId: string; suppressions?: unknown; baselineState?: string }> }> };
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const byRule = new Map(log.runs[0]!.results.map((r) => [r.ruleId, r]));
    expect(byRule.get('unwrap_without_check')).toMatchObject({
      baselineState: 'new',
      suppressions: [{ kind: 'external', status: 'accepted', justification: 'value is checked above', properties: { expires: '2026-12-31' } }],
    });
    expect(byRule.get('seo-title')).toMatchObject({ baselineState: 'unchanged', suppressions: [{ kind: 'external', status: 'accepted', justification: 'docs are generated' }] });
    expect(byRule.get('missing-alt')).toMatchObject({ baselineState: 'new' });
    expect(byRule.get('missing-alt')).not.toHaveProperty('suppressions');
    expect(byRule.get('todo-left')).toMatchObject({ baselineState: 'unchanged' });
  });

  it('marks nothing without the options: no Status column, no suppression or baseline fields', () => {
    const ctx = triagedSession();
    expect(generateReport(ctx, 'markdown', { now })).not.toMatch(/\| Status \| Bot \||suppressed|🆕/);
    expect(generateReport(ctx, 'html', { now })).not.toMatch(/<th>Status<\/th><th><button|class="badge|id="(suppressed|new)-count"/);
    const json = parseReport(generateReport(ctx, 'json', { now }));
    expect(json.summary.suppressed).toBe(0);
    expect(json.summary).not.toHaveProperty('new');
    expect(json.groups.flatMap((g) => g.findings).every((f) => f.suppression === undefined && f.baselineState === undefined)).toBe(true);
    const sarif = generateReport(ctx, 'sarif', { now });
    expect(sarif).not.toMatch(/"suppressions"|"baselineState"/);
  });
});
