// The bots panel's tables: bots grouped by tier, with status, duration, findings and dependencies.

import { $, cls, fill, h } from './dom.js';
import { fmtDuration, numberFmt } from './format.js';
import { state } from './state.js';

const TIERS = ['engine', 'verifier', 'finisher', 'specialist', 'executor', 'custom'];

export function botsByTier() {
  const out = new Map(TIERS.map((t) => [t, []]));
  for (const b of state.bots) {
    if (!out.has(b.tier)) out.set(b.tier, []);
    out.get(b.tier).push(b);
  }
  return [...out].filter(([, bots]) => bots.length > 0);
}

function botDuration(b) {
  if (b.status === 'running') return b.startedAt === undefined ? 'running' : `running for ${fmtDuration(Date.now() - Date.parse(b.startedAt))}`;
  return fmtDuration(b.durationMs);
}

export function renderBotTiers() {
  const tiers = botsByTier();
  fill(
    $('bot-tiers'),
    tiers.length === 0 ? h('p', { class: 'muted' }, state.botsLoaded ? 'No bots are registered in this session.' : 'Loading…') : null,
    tiers.map(([tier, bots]) =>
      h(
        'section',
        { class: 'tier', 'aria-labelledby': `tier-${cls(tier)}` },
        h('h3', { id: `tier-${cls(tier)}` }, `${tier} `, h('span', { class: 'muted' }, `(${bots.length})`)),
        h(
          'table',
          { class: 'bots-table' },
          h('caption', { class: 'sr-only' }, `Bots of the ${tier} tier`),
          h('thead', {}, h('tr', {}, ['Bot', 'Status', 'Duration', 'Findings', 'Depends on'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, bots.map(botRow)),
        ),
      ),
    ),
  );
}

function botRow(b) {
  const note = b.status === 'failed' ? b.error : b.status === 'skipped' ? b.reason : undefined;
  return h(
    'tr',
    { 'data-bot': b.id, 'data-status': b.status },
    h('th', { scope: 'row' }, h('span', { class: 'bot-name' }, b.name), b.name === b.id ? null : h('span', { class: 'muted mono bot-id' }, b.id)),
    h('td', {}, h('span', { class: `badge st-${cls(b.status)}` }, b.status), note === undefined ? null : h('span', { class: 'muted note' }, note)),
    h('td', { class: 'num' }, botDuration(b)),
    h('td', { class: 'num' }, numberFmt.format(state.botTotals.get(b.id) ?? b.findingsCount ?? 0)),
    h('td', { class: 'mono' }, b.dependsOn.length === 0 ? '—' : b.dependsOn.join(', ')),
  );
}
