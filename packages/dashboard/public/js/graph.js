// The bot dependency graph: an SVG with tiers as columns and arrows from a dependency to its dependant.

import { botsByTier } from './bots.js';
import { $, cls, fill, svg } from './dom.js';
import { fmtDuration, plural, truncate } from './format.js';
import { state } from './state.js';

const G = { colW: 196, nodeW: 156, nodeH: 40, rowH: 54, padX: 34, padY: 16, head: 22 };

export function renderBotGraph() {
  const tiers = botsByTier();
  const box = $('bot-graph');
  if (tiers.length === 0) return fill(box);
  const pos = new Map();
  tiers.forEach(([, bots], c) => bots.forEach((b, r) => pos.set(b.id, { x: G.padX + c * G.colW, y: G.padY + G.head + r * G.rowH, c })));
  const rows = Math.max(...tiers.map(([, bots]) => bots.length));
  const width = G.padX * 2 + (tiers.length - 1) * G.colW + G.nodeW;
  const height = G.padY * 2 + G.head + (rows - 1) * G.rowH + G.nodeH;
  const summary = state.bots
    .map((b) => `${b.name}: ${b.tier}, ${b.status}${b.dependsOn.length > 0 ? `, depends on ${b.dependsOn.join(' and ')}` : ''}`)
    .join('; ');
  fill(
    box,
    svg(
      'svg',
      { id: 'bot-graph-svg', class: 'chart graph', viewBox: `0 0 ${width} ${height}`, width, role: 'img', 'aria-label': `Bot dependency graph, ${plural(state.bots.length, 'bot')}. ${summary}` },
      svg('title', {}, 'Bot dependency graph'),
      svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0 0L10 5L0 10z', class: 'arrow-head' }))),
      tiers.map(([tier], c) => svg('text', { x: G.padX + c * G.colW + G.nodeW / 2, y: G.padY + 8, class: 'tier-label', 'text-anchor': 'middle' }, tier)),
      svg('g', { class: 'edges' }, state.bots.flatMap((b) => b.dependsOn.filter((d) => pos.has(d)).map((d) => graphEdge(pos.get(d), pos.get(b.id), d, b.id)))),
      state.bots.map((b) => graphNode(b, pos.get(b.id))),
    ),
  );
}

/** A curve from a dependency to its dependant: right side to left side across columns, looping left within one. */
function graphEdge(from, to, fromId, toId) {
  const fy = from.y + G.nodeH / 2;
  const ty = to.y + G.nodeH / 2;
  let d;
  if (from.c === to.c) {
    const bend = Math.max(14, Math.min(30, Math.abs(ty - fy) / 3));
    d = `M${from.x} ${fy}C${from.x - bend} ${fy} ${to.x - bend} ${ty} ${to.x} ${ty}`;
  } else if (from.c < to.c) {
    const fx = from.x + G.nodeW;
    const mx = (fx + to.x) / 2;
    d = `M${fx} ${fy}C${mx} ${fy} ${mx} ${ty} ${to.x} ${ty}`;
  } else {
    const tx = to.x + G.nodeW;
    const mx = (from.x + tx) / 2;
    d = `M${from.x} ${fy}C${mx} ${fy} ${mx} ${ty} ${tx} ${ty}`;
  }
  return svg('path', { d, class: 'edge', 'marker-end': 'url(#arrow)', 'data-from': fromId, 'data-to': toId }, svg('title', {}, `${toId} depends on ${fromId}`));
}

function graphNode(b, p) {
  return svg(
    'g',
    { class: `node st-${cls(b.status)}`, 'data-bot': b.id, 'data-status': b.status },
    svg('title', {}, `${b.name} (${b.id}) — ${b.tier}, ${b.status}${b.dependsOn.length > 0 ? `; depends on ${b.dependsOn.join(', ')}` : ''}`),
    svg('rect', { x: p.x, y: p.y, width: G.nodeW, height: G.nodeH, rx: 7, class: 'node-box' }),
    svg('text', { x: p.x + 10, y: p.y + 16, class: 'node-name' }, truncate(b.name, 21)),
    svg('text', { x: p.x + 10, y: p.y + 31, class: 'node-status' }, b.status === 'running' || b.durationMs === undefined ? b.status : `${b.status} · ${fmtDuration(b.durationMs)}`),
  );
}
