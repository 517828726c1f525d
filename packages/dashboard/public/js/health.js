// The health panel: session line, status, score, release verdict, finding counts, bot summary and alerts.

import { $, cls, fill, h } from './dom.js';
import { fmtDate, fmtScore, numberFmt } from './format.js';
import { state } from './state.js';

export function renderSessionMeta() {
  const s = state.session;
  if (s === undefined) return fill($('session-meta'), state.sessionId === undefined ? '' : `Session ${state.sessionId}`);
  fill(
    $('session-meta'),
    h('span', { class: 'mono' }, s.repoName),
    ` · session `,
    h('span', { class: 'mono', id: 'session-id' }, s.sessionId),
    ` · started ${fmtDate(s.startedAt)} · `,
    s.completedAt === null ? h('span', { class: 'badge st-running' }, 'running') : `completed ${fmtDate(s.completedAt)}`,
  );
}

export function renderOverview() {
  const o = state.overview;
  const status = $('health-status');
  status.textContent = o.status ?? '—';
  status.className = `badge health-${cls(o.status)}`;
  status.setAttribute('data-status', o.status ?? '');

  const score = $('health-score');
  score.textContent = o.score === undefined ? '—' : fmtScore(o.score);
  score.setAttribute('data-score', o.score === undefined ? '' : String(o.score));
  $('health-meter').value = o.score ?? 0;

  const verdict = $('release-verdict');
  verdict.textContent = o.blocksRelease === undefined ? '—' : o.blocksRelease ? 'Blocks release' : 'Does not block release';
  verdict.className = `badge ${o.blocksRelease === undefined ? '' : o.blocksRelease ? 'verdict-block' : 'verdict-ok'}`;
  verdict.setAttribute('data-blocks-release', o.blocksRelease === undefined ? '' : String(o.blocksRelease));

  $('findings-total').textContent = o.total === undefined ? '—' : numberFmt.format(o.total);
  $('findings-fixed').textContent = o.fixed === undefined ? '' : `(${numberFmt.format(o.fixed)} fixed)`;
  renderBotsSummary();
  renderAlerts();
}

export function renderBotsSummary() {
  const counts = new Map();
  for (const b of state.bots) counts.set(b.status, (counts.get(b.status) ?? 0) + 1);
  const order = ['running', 'completed', 'failed', 'skipped', 'pending'];
  const parts = order.filter((s) => counts.has(s)).map((s) => h('span', { class: `badge st-${s}` }, `${counts.get(s)} ${s}`));
  fill($('bots-summary'), parts.length === 0 ? '—' : parts);
}

function renderAlerts() {
  const alerts = state.overview.alerts ?? [];
  fill(
    $('alerts'),
    alerts.length === 0
      ? h('li', { class: 'muted' }, 'No alerts.')
      : alerts.map((a) =>
          h(
            'li',
            { class: `alert alert-${cls(a.severity)}` },
            h('span', { class: `badge alert-sev alert-${cls(a.severity)}` }, a.severity),
            ' ',
            h('span', { class: 'alert-category' }, a.category.replaceAll('_', ' ')),
            a.bot === null ? null : [' · ', h('span', { class: 'mono' }, a.bot)],
            ' — ',
            h('span', { class: 'alert-message' }, a.message),
            ' ',
            h('time', { datetime: a.timestamp, class: 'muted' }, fmtDate(a.timestamp)),
          ),
        ),
  );
}
