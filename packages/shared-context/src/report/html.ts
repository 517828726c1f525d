/**
 * A self-contained HTML page: inline CSS, inline SVG charts, a few lines of
 * inline script (allowed by its hash in the Content-Security-Policy; nothing
 * else may run or load). Rendered with a handlebars template kept in
 * `templates/`; every value from a finding goes through handlebars'
 * escaping (`escapeExpression`: the template's triple-stashes are the inline
 * script, which is the package's own file, and the findings table, whose rows
 * findingRow writes with it). Suppressed
 * and new findings get a badge in a Status column; a suppression's
 * justification is visible text beside its badge, not only a tooltip.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type HandlebarsModule from 'handlebars';
import { locationString } from '../findings/finding.js';
import type { Finding } from '../findings/finding.js';
import { SEVERITIES, severityRank } from '../findings/severity.js';
import { wellFormed } from './escape.js';
import type { ReportModel } from './model.js';
import { baselineStateOf, hasStatusColumn, suppressionOf } from './model.js';

interface Compiled {
  readonly template: HandlebarsModule.TemplateDelegate;
  readonly script: string;
  readonly scriptHash: string;
}

let compiled: Compiled | undefined;
// Handlebars is loaded with the template, on the first HTML report, not at import (a start most processes do not need to pay).
const requireCjs = createRequire(import.meta.url);

// The templates sit at the package root, two levels above both src/report and dist/report.
function load(): Compiled {
  if (compiled !== undefined) return compiled;
  const handlebars = requireCjs('handlebars') as typeof HandlebarsModule;
  esc = handlebars.escapeExpression;
  const hbs = handlebars.create();
  const source = readFileSync(new URL('../../templates/report.hbs', import.meta.url), 'utf8');
  const script = readFileSync(new URL('../../templates/report.js', import.meta.url), 'utf8');
  const scriptHash = `sha256-${createHash('sha256').update(script).digest('base64')}`;
  // knownHelpersOnly: the template uses only built-in block helpers, so each
  // `{{field}}` compiles to a property read instead of a helper-or-property
  // check; data: false, as it reads no `@index`-style data.
  compiled = { template: hbs.compile(source, { strict: false, noEscape: false, knownHelpersOnly: true, data: false }), script, scriptHash };
  return compiled;
}

interface Bar {
  label: string;
  value: number;
  x: number;
  y: number;
  w: number;
  h: number;
  textY: number;
  valueX: number;
}

function barChart(data: ReadonlyArray<readonly [string, number]>, labelWidth = 150): { width: number; height: number; bars: Bar[] } {
  const rowH = 22;
  const plot = 260;
  const max = Math.max(1, ...data.map(([, v]) => v));
  const bars = data.map(([label, value], i) => {
    const w = Math.round((value / max) * plot);
    return { label: wellFormed(label).slice(0, 40), value, x: labelWidth, y: i * rowH + 4, w, h: rowH - 8, textY: i * rowH + 16, valueX: labelWidth + w + 6 };
  });
  return { width: labelWidth + plot + 60, height: Math.max(rowH, data.length * rowH), bars };
}

const ms = (v: number | null): string => (v === null ? '–' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`);

// Handlebars' escaping, set by load(), which renderHtml calls before any row is rendered (never an unescaped value).
let esc: (s: string) => string = () => {
  throw new Error('html report: rows rendered before the template was loaded');
};

/**
 * One `<tr>` of the findings table, with its newline. Rows are written here
 * rather than by an `{{#each}}` in the template: a template expression per
 * cell cost most of a report's time. Every value from the finding still
 * passes through handlebars' own escaping (`escapeExpression`, what `{{x}}`
 * applies), so the page is byte for byte what the template wrote.
 */
function findingRow(model: ReportModel, f: Finding, withStatus: boolean): string {
  const severity = esc(f.severity);
  const source = esc(wellFormed(f.source));
  const ruleId = esc(wellFormed(f.ruleId));
  const location = esc(wellFormed(locationString(f) ?? ''));
  let status = '';
  if (withStatus) {
    const state = baselineStateOf(model, f);
    const s = suppressionOf(model, f);
    status = '<td class="finding-status">';
    if (state === 'new') status += '<span class="badge badge-new">new</span> ';
    if (state === 'unchanged') status += '<span class="muted">unchanged</span> ';
    if (s !== undefined) {
      status += '<span class="badge badge-suppressed">suppressed</span>';
      // `{{#if}}` semantics: an empty expiry is left out like a missing one.
      if (s.expires) status += ` <span class="muted">(expires ${esc(s.expires)})</span>`;
      status += `<span class="justification">${esc(wellFormed(s.justification))}</span>`;
    }
    status += '</td>';
  }
  return `<tr data-severity="${severity}" data-rank="${severityRank(f.severity)}" data-bot="${source}" data-rule="${ruleId}" data-location="${location}">${status}<td class="sev-${severity}">${severity}</td><td>${source}</td><td><code>${ruleId}</code></td><td class="msg">${esc(
    wellFormed(f.message),
  )}</td><td><code>${location}</code></td><td class="msg">${esc(wellFormed(f.suggestion ?? ''))}</td><td>${f.fixable ? (f.fixed ? 'fixed' : 'yes') : 'no'}</td></tr>\n`;
}

/** Renders a report model as one HTML document. */
export function renderHtml(model: ReportModel): string {
  const { template, script, scriptHash } = load();
  const withStatus = hasStatusColumn(model);
  let findingRows = '';
  const bots = new Set<string>();
  for (const g of model.groups) {
    for (const f of g.findings) {
      bots.add(f.source);
      findingRows += findingRow(model, f, withStatus);
    }
  }
  // The template's context names each field it reads: spreading the model and
  // its rows into copies cost more than rendering them.
  return template({
    generatedAt: model.generatedAt,
    session: model.session,
    summary: model.summary,
    releaseBlocked: model.releaseBlocked,
    listed: model.listed,
    repo: { name: wellFormed(model.repo.name), path: wellFormed(model.repo.path) },
    scoreText: (Math.round(model.health.score * 10) / 10).toString(),
    bots: model.bots.map((b) => ({ name: wellFormed(b.name), tier: b.tier, status: b.status, findings: b.findings, errors: b.errors, durationText: ms(b.durationMs) })),
    tiers: model.tiers.map((t) => ({ tier: t.tier, status: t.status, botCount: t.botCount, healthyCount: t.healthyCount, failedCount: t.failedCount, avgText: ms(t.avgCompletionMs), totalFindings: t.totalFindings })),
    health: { status: model.health.status, alerts: model.health.alerts.map((a) => ({ severity: a.severity, category: a.category, bot: a.bot, message: wellFormed(a.message) })) },
    severityChart: barChart(SEVERITIES.map((s) => [s, model.summary.bySeverity[s]] as const), 90),
    botChart: barChart(model.findingsBySource.slice(0, 20)),
    botNames: [...bots].sort(),
    findingRows,
    withStatus,
    withBaseline: model.newFindings !== null,
    notListed: model.matching - model.listed,
    script,
    scriptHash,
  });
}
