// Fetching the session's health, status, bots, per-bot totals and history from the API and showing them.

import { api, enc, forSession, sessionUrl } from './api.js';
import { renderBotTiers } from './bots.js';
import { renderBotChart, renderHistoryChart, renderSeverityChart } from './charts.js';
import { renderCategoryList } from './filters.js';
import { renderOverview, renderSessionMeta } from './health.js';
import { showError } from './notify.js';
import { renderBots } from './panels.js';
import { state } from './state.js';
import { coalesce, REFRESH_MS } from './timers.js';

export function refreshHealth() {
  return forSession(
    () => api(sessionUrl('/health')),
    (health) => {
      if (state.liveSeen) return; // live events are fresher than the health cache
      Object.assign(state.overview, { status: health.status, score: health.healthScore, alerts: health.alerts });
      renderOverview();
    },
  );
}

export function refreshStatus() {
  return forSession(
    () => api(sessionUrl('/status')),
    (s) => {
      const o = state.overview;
      o.blocksRelease = s.blocksRelease;
      if (!state.liveSeen) Object.assign(o, { status: s.healthStatus, score: s.healthScore });
      if (s.version >= state.liveVersion) Object.assign(o, { total: s.totalFindings, fixed: s.fixedFindings, bySeverity: s.findingsBySeverity });
      state.completed = s.completedAt !== null;
      if (state.session !== undefined) state.session = { ...state.session, completedAt: s.completedAt };
      renderOverview();
      renderSessionMeta();
      renderSeverityChart();
    },
  );
}

export function refreshBots() {
  const asked = state.liveVersion;
  return forSession(
    () => api(sessionUrl('/bots')),
    ({ bots }) => {
      const grew = bots.length !== state.bots.length;
      // A live update that came while this list was loading may be newer than
      // the list (responses can also arrive out of order): keep the statuses
      // the live updates set. Where the list was the newer, the live update
      // for that change is still on its way and will set it.
      if (state.liveVersion > asked) {
        const live = new Map(state.bots.map((b) => [b.id, b]));
        for (const b of bots) {
          const known = live.get(b.id);
          if (known !== undefined) Object.assign(b, { status: known.status, durationMs: known.durationMs });
        }
      }
      state.bots = bots;
      state.botsLoaded = true;
      for (const b of bots) for (const c of b.categories) state.categories.add(c);
      renderBots();
      renderCategoryList();
      if (grew && state.botTotals.size > 0) coalesce('charts', REFRESH_MS, refreshBotChart);
    },
  );
}

export function refreshHistory() {
  const repo = state.session?.repoName;
  if (repo === undefined) return Promise.resolve();
  return forSession(
    () => api(`/api/repos/${enc(repo)}/history`),
    (history) => {
      state.history = history;
      renderHistoryChart();
    },
  );
}

/** Findings per bot, counted by the server's index (one request for all bots). */
export async function refreshBotChart() {
  const gen = state.gen;
  try {
    const status = await api(sessionUrl('/status'));
    if (gen !== state.gen) return;
    state.botTotals = new Map(state.bots.map((b) => [b.id, status.findingsBySource[b.id] ?? 0]));
    renderBotChart();
    renderBotTiers();
  } catch (err) {
    if (gen === state.gen) showError(err);
  }
}
