// Live updates: the session's server-sent events (EventSource) applied to the page.

import { sessionUrl } from './api.js';
import { renderSeverityChart, SEVERITIES } from './charts.js';
import { loadFindings } from './findings.js';
import { fmtScore, numberFmt, plural } from './format.js';
import { renderOverview } from './health.js';
import { setLive } from './live-status.js';
import { announce } from './notify.js';
import { renderBots } from './panels.js';
import { refreshBotChart, refreshBots, refreshHistory, refreshStatus } from './refresh.js';
import { state } from './state.js';
import { cancelTimers, coalesce, REFRESH_MS } from './timers.js';

export function stopLive() {
  state.live?.close();
  state.live = undefined;
  clearTimeout(state.liveRetry);
}

export function connectLive() {
  const gen = state.gen;
  const es = new EventSource(sessionUrl('/events'));
  state.live = es;
  setLive('connecting');
  const mine = () => gen === state.gen && state.live === es;
  es.addEventListener('open', () => mine() && setLive('live'));
  es.addEventListener('error', () => {
    if (!mine()) return;
    if (es.readyState !== EventSource.CLOSED) return setLive('reconnecting');
    // The browser gives up on an error answer (e.g. 503 when the server is full): try again later.
    setLive('offline');
    state.liveRetry = setTimeout(() => mine() && connectLive(), 5000);
  });
  const on = (type, apply) =>
    es.addEventListener(type, (e) => {
      if (!mine()) return;
      let data;
      try {
        data = JSON.parse(e.data);
      } catch {
        return;
      }
      if (data?.sessionId === state.sessionId) apply(data);
    });
  on('snapshot', (s) => applyLive(s, true));
  on('update', (d) => applyLive(d, false));
  // The session is no longer stored (removed by a cleanup elsewhere): stop, rather than reconnect to a 404.
  on('deleted', () => {
    stopLive();
    cancelTimers(); // refreshes already scheduled would only meet 404s
    setLive('deleted');
  });
}

/** A snapshot (everything) or an update (only what changed). */
function applyLive(d, snapshot) {
  // A snapshot after a reconnection may follow changes that were missed: fetch everything again.
  if (snapshot && ++state.snapshots > 1) {
    for (const [key, fn] of [['findings', loadFindings], ['charts', refreshBotChart], ['status', refreshStatus], ['bots', refreshBots], ['history', refreshHistory]]) coalesce(key, REFRESH_MS, fn);
  }
  state.liveSeen = true;
  state.liveVersion = Math.max(state.liveVersion, d.version);
  if (d.health !== undefined) applyLiveHealth(d.health, snapshot);
  if (d.bots !== undefined) applyLiveBots(d.bots, snapshot);
  if (d.findings !== undefined) applyLiveFindings(d.findings, snapshot);
  if (d.completed !== undefined && d.completed !== state.completed) {
    state.completed = d.completed;
    if (d.completed) announce('The session completed');
    coalesce('status', REFRESH_MS, refreshStatus);
    coalesce('history', REFRESH_MS, refreshHistory);
  }
}

function applyLiveHealth(health, snapshot) {
  const o = state.overview;
  const changed = o.status !== undefined && o.status !== health.status;
  Object.assign(o, { status: health.status, score: health.score, alerts: health.alerts });
  renderOverview();
  if (changed && !snapshot) announce(`Health is now ${health.status}, score ${fmtScore(health.score)}`);
}

function applyLiveBots(bots, snapshot) {
  let unknown = false;
  for (const [id, live] of Object.entries(bots)) {
    const b = state.bots.find((x) => x.id === id);
    if (b === undefined) {
      unknown = true;
      continue;
    }
    if (b.status !== live.status && !snapshot) announce(`${b.name} ${live.status}`);
    b.status = live.status;
    if (live.durationMs !== null) b.durationMs = live.durationMs;
  }
  renderBots();
  // Details (start times, errors, counts, new bots) come with the full list.
  if (state.botsLoaded && (!snapshot || unknown)) coalesce('bots', REFRESH_MS, refreshBots);
}

function applyLiveFindings(f, snapshot) {
  const o = state.overview;
  const changed = o.total !== f.total || o.fixed !== f.fixed || SEVERITIES.some((s) => o.bySeverity?.[s] !== f.bySeverity[s]);
  if (!snapshot && o.total !== undefined && f.total > o.total) announce(`${plural(f.total - o.total, 'new finding')}, ${numberFmt.format(f.total)} in all`);
  Object.assign(o, { total: f.total, fixed: f.fixed, bySeverity: f.bySeverity });
  renderOverview();
  renderSeverityChart();
  if (!changed) return;
  // Refetch the page shown (same cursor: paging stays put), the per-bot totals and the release verdict.
  coalesce('findings', REFRESH_MS, loadFindings);
  coalesce('charts', REFRESH_MS, refreshBotChart);
  coalesce('status', REFRESH_MS, refreshStatus);
}
