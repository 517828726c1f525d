/**
 * GitHub-flavoured Markdown. Rendered as a sequence of chunks so a report of
 * 100,000 findings can be streamed; every value from a finding is escaped.
 * With `target: 'github-comment'` the text stays under GitHub's comment limit,
 * each group folds into `<details>`, and a hidden marker lets a CI step find
 * and update its own earlier comment. When findings are suppressed or a
 * baseline was given, a Status column marks each one (`🆕 new`, `unchanged`,
 * `🔇 suppressed` with its justification).
 */
import { locationString } from '../findings/finding.js';
import type { Finding } from '../findings/finding.js';
import type { HealthStatus } from '../health/types.js';
import { escapeMarkdown, markdownCode, truncate } from './escape.js';
import type { ReportGroup, ReportModel } from './model.js';
import { baselineStateOf, hasStatusColumn, suppressionOf } from './model.js';

/** GitHub's limit on a comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
// Room kept for the closing lines once findings stop being listed.
const RESERVE = 1_024;
// Longest cell of a github-comment report (one 1 MB message must not eat the budget).
const COMMENT_CELL_MAX = 1_000;

const STATUS_ICON: Readonly<Record<HealthStatus, string>> = { healthy: '🟢', degraded: '🟡', unhealthy: '🟠', critical: '🔴' };
const SEVERITY_TITLE: Readonly<Record<string, string>> = { error: '❌ Errors', warning: '⚠️ Warnings', info: 'ℹ️ Info', suggestion: '💡 Suggestions' };

/** The marker by which a CI step finds its own comment. */
export function commentMarker(repo: string): string {
  // `--` would end the HTML comment early; the repo name is outside data.
  return `<!-- fleetkit-report:${repo.replace(/--+/g, '-').replace(/[<>\r\n]/g, '_')} -->`;
}

const ms = (v: number | null): string => (v === null ? '–' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`);
const score = (v: number): string => (Math.round(v * 10) / 10).toString();

function groupTitle(g: ReportGroup, model: ReportModel): string {
  const total = g.findings.length + g.omitted;
  const name =
    model.groupBy === 'severity' ? (SEVERITY_TITLE[g.key] ?? g.key) : g.key === '' ? `(no ${model.groupBy})` : escapeMarkdown(g.key);
  return `${name} (${total})`;
}

/** The Status cell: baseline state and suppression; the justification and expiry came from input, so they are escaped. */
function statusCell(model: ReportModel, f: Finding, cell: (s: string) => string): string {
  const state = baselineStateOf(model, f);
  const s = suppressionOf(model, f);
  const parts: string[] = [];
  if (state !== undefined) parts.push(state === 'new' ? '🆕 **new**' : 'unchanged');
  if (s !== undefined) parts.push(`🔇 **suppressed**${s.expires === undefined ? '' : ` (expires ${cell(s.expires)})`}: ${cell(s.justification)}`);
  return parts.length === 0 ? '–' : parts.join('<br>');
}

function findingRow(f: Finding, cell: (s: string) => string, bySeverity: boolean, status: string | undefined): string {
  const loc = locationString(f);
  return `| ${status === undefined ? '' : `${status} | `}${bySeverity ? `${cell(f.source)} | ` : `${f.severity} | ${cell(f.source)} | `}${markdownCode(truncateForCell(f.ruleId))} | ${cell(f.message)} | ${
    loc === undefined ? '–' : markdownCode(truncateForCell(loc))
  } | ${f.suggestion === undefined ? '–' : cell(f.suggestion)} | ${f.fixable ? (f.fixed ? 'fixed' : 'yes') : 'no'} |\n`;
}

function truncateForCell(s: string): string {
  return truncate(s, 300);
}

/** Renders a report model as Markdown, chunk by chunk. */
export function* markdownChunks(model: ReportModel, target?: 'github-comment'): Generator<string> {
  const comment = target === 'github-comment';
  const cell = comment ? (s: string) => escapeMarkdown(truncate(s, COMMENT_CELL_MAX)) : escapeMarkdown;
  let used = 0;
  const emit = (s: string): string => {
    used += s.length;
    return s;
  };
  const s = model.summary;
  let head = '';
  if (comment) head += `${commentMarker(model.repo.name)}\n`;
  head += `# Fleet report: ${escapeMarkdown(model.repo.name)}\n\n`;
  head += `| | |\n|---|---|\n`;
  head += `| Repository | ${markdownCode(model.repo.name)} |\n`;
  head += `| Session | ${markdownCode(model.session.id)} |\n`;
  head += `| Generated | ${model.generatedAt} |\n`;
  head += `| Health | ${STATUS_ICON[model.health.status]} ${model.health.status} (score ${score(model.health.score)}/100) |\n`;
  head += `| Release | ${releaseLine(model)} |\n\n`;
  head += `## Summary\n\n| Metric | Value |\n|---|---|\n`;
  head += `| Bots | ${s.totalBots} (${s.completed} completed, ${s.inProgress} running, ${s.pending} pending, ${s.failed} failed, ${s.skipped} skipped) |\n`;
  head += `| Files analysed | ${s.filesAnalyzed} |\n`;
  head += `| Findings | ${s.totalFindings} |\n`;
  head += `| Errors / warnings / info / suggestions | ${s.bySeverity.error} / ${s.bySeverity.warning} / ${s.bySeverity.info} / ${s.bySeverity.suggestion} |\n`;
  head += `| Fixable / fixed | ${s.fixable} / ${s.fixed} |\n`;
  if (s.suppressed > 0) head += `| Suppressed | ${s.suppressed} |\n`;
  if (s.new !== undefined) head += `| New since baseline | ${s.new} (${s.totalFindings - s.new} unchanged) |\n`;
  head += `| Overall health | ${model.health.status} |\n\n`;
  yield emit(head);

  if (model.bots.length > 0) {
    let t = `## Bot executions\n\n| Bot | Tier | Status | Findings | Errors | Duration |\n|---|---|---|---:|---:|---:|\n`;
    for (const b of model.bots) t += `| ${escapeMarkdown(b.name)} | ${b.tier} | ${b.status} | ${b.findings} | ${b.errors} | ${ms(b.durationMs)} |\n`;
    t += `\n## Tier performance\n\n| Tier | Status | Bots | Completed | Failed | Avg duration | Findings |\n|---|---|---:|---:|---:|---:|---:|\n`;
    for (const tier of model.tiers) t += `| ${tier.tier} | ${tier.status} | ${tier.botCount} | ${tier.healthyCount} | ${tier.failedCount} | ${ms(tier.avgCompletionMs)} | ${tier.totalFindings} |\n`;
    yield emit(`${t}\n`);
  }

  if (model.health.alerts.length > 0) {
    let a = `## Alerts\n\n`;
    for (const al of model.health.alerts) a += `- **${al.severity}** (${al.category})${al.bot === null ? '' : ` ${escapeMarkdown(al.bot)}`}: ${cell(al.message)}\n`;
    yield emit(`${a}\n`);
  }

  const bySeverity = model.groupBy === 'severity';
  const withStatus = hasStatusColumn(model);
  const header = `|${withStatus ? ' Status |' : ''}${bySeverity ? '' : ' Severity |'} Bot | Rule | Message | Location | Suggestion | Fixable |\n|${withStatus ? '---|' : ''}${
    bySeverity ? '' : '---|'
  }---|---|---|---|---|---|\n`;
  yield emit(`## Findings\n\n${model.matching === 0 ? 'No findings.\n\n' : ''}`);
  // Rows left out because the comment budget ran out (maxFindings cuts are told per group).
  let cut = 0;
  for (const g of model.groups) {
    if (cut > 0) {
      cut += g.findings.length + g.omitted;
      continue;
    }
    yield emit(comment ? `<details${g.key === 'error' ? ' open' : ''}>\n<summary>${groupTitle(g, model)}</summary>\n\n${header}` : `### ${groupTitle(g, model)}\n\n${header}`);
    for (let i = 0; i < g.findings.length; i++) {
      const f = g.findings[i] as Finding;
      const row = findingRow(f, cell, bySeverity, withStatus ? statusCell(model, f, cell) : undefined);
      if (comment && used + row.length > GITHUB_COMMENT_LIMIT - RESERVE) {
        cut = g.findings.length - i + g.omitted;
        break;
      }
      yield emit(row);
    }
    if (cut === 0 && g.omitted > 0) yield emit(`\n… and ${g.omitted} more\n`);
    yield emit(comment ? '\n</details>\n\n' : '\n');
  }
  if (cut > 0) yield emit(`… and ${cut} more finding${cut === 1 ? '' : 's'} not shown (GitHub comment limit); see the full report artifact.\n\n`);
  if (model.minSeverity !== 'suggestion') yield emit(`_Findings less severe than ${model.minSeverity} are not listed._\n`);
}

function releaseLine(model: ReportModel): string {
  const { blockingErrors: blocking } = model;
  const accepted = model.summary.unfixedErrors - blocking;
  const more = accepted > 0 ? `; ${accepted} more suppressed` : '';
  if (blocking > 0) return `❌ blocked (${blocking} unfixed error${blocking === 1 ? '' : 's'}${more})`;
  return accepted > 0 ? `✅ not blocked (${accepted} unfixed error${accepted === 1 ? '' : 's'}, all suppressed)` : '✅ not blocked';
}
