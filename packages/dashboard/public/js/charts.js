// The SVG charts: findings by severity, findings by bot and the repository's history.

import { $, cls, fill, h, svg } from './dom.js';
import { dayFmt, fmtDate, numberFmt, plural, shortDateFmt, timeFmt, truncate } from './format.js';
import { state } from './state.js';

export const SEVERITIES = ['error', 'warning', 'info', 'suggestion'];

/** A horizontal bar chart; rows are { label, value, cls }. */
function barChart(id, title, rows) {
  const labelW = 150, barW = 250, valueW = 60, rowH = 26, pad = 6;
  const width = labelW + barW + valueW;
  const height = Math.max(1, rows.length) * rowH + pad * 2;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const summary = `${title}: ${rows.length === 0 ? 'none' : rows.map((r) => `${r.label} ${r.value}`).join(', ')}`;
  return svg(
    'svg',
    { id, class: 'chart', viewBox: `0 0 ${width} ${height}`, width, role: 'img', 'aria-label': summary },
    svg('title', {}, summary),
    rows.map((r, i) => {
      const y = pad + i * rowH;
      const w = r.value > 0 ? Math.max(2, (r.value / max) * barW) : 0;
      return svg(
        'g',
        { class: 'bar-row', 'data-label': r.label, 'data-value': r.value },
        svg('text', { x: labelW - 8, y: y + rowH / 2, class: 'label', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, truncate(r.label, 20)),
        svg('rect', { x: labelW, y: y + 4, width: w, height: rowH - 8, rx: 3, class: `bar ${r.cls}` }, svg('title', {}, `${r.label}: ${r.value}`)),
        svg('text', { x: labelW + w + 6, y: y + rowH / 2, class: 'value', 'dominant-baseline': 'middle' }, numberFmt.format(r.value)),
      );
    }),
  );
}

export function renderSeverityChart() {
  const by = state.overview.bySeverity;
  if (by === undefined) return fill($('chart-severity'), h('p', { class: 'muted' }, 'Loading…'));
  fill($('chart-severity'), barChart('severity-chart', 'Findings by severity', SEVERITIES.map((s) => ({ label: s, value: by[s] ?? 0, cls: `sev-${s}` }))));
}

export function renderBotChart() {
  if (state.botTotals.size === 0) return fill($('chart-bots'), h('p', { class: 'muted' }, state.botsLoaded && state.bots.length === 0 ? 'No bots.' : 'Loading…'));
  const rows = state.bots.map((b) => ({ label: b.name, value: state.botTotals.get(b.id) ?? 0, cls: `bar-bot tier-${cls(b.tier)}` })).sort((a, b) => b.value - a.value);
  fill($('chart-bots'), barChart('bot-chart', 'Findings by bot', rows));
}

/** A round upper bound for an axis (1, 2 or 5 × 10^k per quarter). */
function niceMax(v) {
  const raw = Math.max(1, v) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  return Math.max(4, Math.ceil(step) * 4);
}

export function renderHistoryChart() {
  const box = $('chart-history');
  const hist = state.history;
  $('history-trend').textContent = hist?.trend ? `(trend: ${hist.trend})` : '';
  if (hist === undefined) return fill(box, h('p', { class: 'muted' }, state.session === undefined ? '' : 'Loading…'));
  const list = hist.sessions;
  if (list.length === 0) return fill(box, h('p', { class: 'muted' }, 'No completed sessions in this repository’s history yet.'));
  const W = 900, H = 260, L = 46, R = 14, T = 28, B = 44;
  const pw = W - L - R, ph = H - T - B;
  const max = niceMax(Math.max(...list.map((s) => Math.max(s.totalFindings ?? 0, s.errors ?? 0))));
  const band = pw / list.length;
  const bw = Math.max(2, Math.min(42, band * 0.6));
  const x = (i) => L + band * i + band / 2;
  const y = (v) => T + ph - (v / max) * ph;
  const every = Math.ceil(list.length / 10);
  const last = list[list.length - 1];
  const summary = `History of ${hist.repoName}: ${plural(list.length, 'completed session')}, oldest first. ${list
    .slice(-12)
    .map((s) => `${fmtDate(s.startedAt, shortDateFmt)}: ${s.totalFindings} findings, ${s.errors} errors`)
    .join('; ')}. Latest: ${last.totalFindings} findings, ${last.errors} errors${hist.trend ? `; trend ${hist.trend}` : ''}.`;
  fill(
    box,
    svg(
      'svg',
      { id: 'history-chart', class: 'chart', viewBox: `0 0 ${W} ${H}`, width: W, role: 'img', 'aria-label': summary },
      svg('title', {}, summary),
      [0, 1, 2, 3, 4].map((k) => {
        const v = (max / 4) * k;
        return svg('g', { class: 'tick' }, svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }), svg('text', { x: L - 6, y: y(v), 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'label' }, numberFmt.format(v)));
      }),
      list.map((s, i) =>
        svg(
          'rect',
          { x: x(i) - bw / 2, y: y(s.totalFindings ?? 0), width: bw, height: Math.max(0, T + ph - y(s.totalFindings ?? 0)), class: `bar hist-findings${s.sessionId === state.sessionId ? ' current' : ''}`, 'data-session': s.sessionId },
          svg('title', {}, `${fmtDate(s.startedAt)}: ${s.totalFindings} findings, ${s.errors} errors, ${s.warnings} warnings${s.blocksRelease ? ' (blocks release)' : ''}`),
        ),
      ),
      svg('polyline', { points: list.map((s, i) => `${x(i)},${y(s.errors ?? 0)}`).join(' '), class: 'line hist-errors' }),
      list.map((s, i) => svg('circle', { cx: x(i), cy: y(s.errors ?? 0), r: 3.5, class: 'dot hist-errors' }, svg('title', {}, `${fmtDate(s.startedAt)}: ${s.errors} errors`))),
      list.map((s, i) =>
        (list.length - 1 - i) % every === 0
          ? svg(
              'text',
              { x: x(i), y: H - B + 16, 'text-anchor': 'middle', class: 'label' },
              svg('tspan', { x: x(i) }, fmtDate(s.startedAt, dayFmt)),
              svg('tspan', { x: x(i), dy: 14 }, fmtDate(s.startedAt, timeFmt)),
            )
          : null,
      ),
      svg(
        'g',
        { class: 'legend-svg' },
        svg('rect', { x: L, y: 6, width: 12, height: 12, class: 'bar hist-findings' }),
        svg('text', { x: L + 18, y: 12, 'dominant-baseline': 'middle', class: 'label' }, 'findings'),
        svg('line', { x1: L + 90, x2: L + 110, y1: 12, y2: 12, class: 'line hist-errors' }),
        svg('text', { x: L + 116, y: 12, 'dominant-baseline': 'middle', class: 'label' }, 'errors'),
      ),
    ),
  );
}
