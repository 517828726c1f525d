/**
 * A self-contained HTML page: inline CSS, inline SVG charts, a few lines of
 * inline script (allowed by its hash in the Content-Security-Policy; nothing
 * else may run or load). Rendered with a handlebars template kept in
 * `templates/`; every value from a finding goes through handlebars'
 * escaping (the template has no triple-stash on finding data). Suppressed
 * and new findings get a badge in a Status column; a suppression's
 * justification is visible text beside its badge, not only a tooltip.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { locationString } from '../findings/finding.js';
import { SEVERITIES, severityRank } from '../findings/severity.js';
import { wellFormed } from './escape.js';
import type { ReportModel } from './model.js';
import { baselineStateOf, hasStatusColumn, suppressionOf } from './model.js';

interface Compiled {
  readonly template: Handlebars.TemplateDelegate;
  readonly script: string;
  readonly scriptHash: string;
}

let compiled: Compiled | undefined;

// The templates sit at the package root, two levels above both src/report and dist/report.
function load(): Compiled {
  if (compiled !== undefined) return compiled;
  const hbs = Handlebars.create();
  const source = readFileSync(new URL('../../templates/report.hbs', import.meta.url), 'utf8');
  const script = readFileSync(new URL('../../templates/report.js', import.meta.url), 'utf8');
  const scriptHash = `sha256-${createHash('sha256').update(script).digest('base64')}`;
  compiled = { template: hbs.compile(source, { strict: false, noEscape: false }), script, scriptHash };
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

/** Renders a report model as one HTML document. */
export function renderHtml(model: ReportModel): string {
  const { template, script, scriptHash } = load();
  const rows = [];
  const bots = new Set<string>();
  for (const g of model.groups) {
    for (const f of g.findings) {
      bots.add(f.source);
      const suppression = suppressionOf(model, f);
      const state = baselineStateOf(model, f);
      rows.push({
        isNew: state === 'new',
        isUnchanged: state === 'unchanged',
        suppression: suppression === undefined ? null : { justification: wellFormed(suppression.justification), expires: suppression.expires ?? null },
        severity: f.severity,
        rank: severityRank(f.severity),
        source: wellFormed(f.source),
        ruleId: wellFormed(f.ruleId),
        message: wellFormed(f.message),
        location: wellFormed(locationString(f) ?? ''),
        suggestion: wellFormed(f.suggestion ?? ''),
        fixableText: f.fixable ? (f.fixed ? 'fixed' : 'yes') : 'no',
      });
    }
  }
  return template({
    ...model,
    repo: { name: wellFormed(model.repo.name), path: wellFormed(model.repo.path) },
    scoreText: (Math.round(model.health.score * 10) / 10).toString(),
    bots: model.bots.map((b) => ({ ...b, name: wellFormed(b.name), durationText: ms(b.durationMs) })),
    tiers: model.tiers.map((t) => ({ ...t, avgText: ms(t.avgCompletionMs) })),
    health: { ...model.health, alerts: model.health.alerts.map((a) => ({ ...a, message: wellFormed(a.message) })) },
    severityChart: barChart(SEVERITIES.map((s) => [s, model.summary.bySeverity[s]] as const), 90),
    botChart: barChart(model.findingsBySource.slice(0, 20)),
    botNames: [...bots].sort(),
    rows,
    withStatus: hasStatusColumn(model),
    withBaseline: model.newFindings !== null,
    notListed: model.matching - model.listed,
    script,
    scriptHash,
  });
}
