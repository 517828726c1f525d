// Opening a session: resetting the state and loading everything the page shows about it.

import { api, ApiError, sessionUrl } from './api.js';
import { $ } from './dom.js';
import { readFilters } from './filters.js';
import { closeDetail } from './finding-detail.js';
import { loadFindings } from './findings.js';
import { renderSessionMeta } from './health.js';
import { connectLive, stopLive } from './live.js';
import { clearError, showError } from './notify.js';
import { renderAll } from './panels.js';
import { syncPicker } from './picker.js';
import { refreshBotChart, refreshBots, refreshHealth, refreshHistory, refreshStatus } from './refresh.js';
import { sessionState, state } from './state.js';
import { cancelTimers } from './timers.js';

export async function openSession(id) {
  stopLive();
  cancelTimers();
  state.gen++;
  Object.assign(state, sessionState(), { sessionId: id });
  $('f-bot').value = ''; // bots differ between sessions
  state.filters = readFilters();
  state.limit = Number($('f-limit').value) || 50;
  clearError();
  closeDetail(false);
  renderAll();
  const gen = state.gen;
  try {
    state.session = await api(sessionUrl());
  } catch (err) {
    if (gen === state.gen) showError(err instanceof ApiError && err.status === 404 ? `Session "${id}" was not found.` : err);
    return;
  }
  if (gen !== state.gen) return;
  state.completed = state.session.completedAt !== null;
  document.title = `${state.session.repoName} · fleetkit dashboard`;
  renderSessionMeta();
  void syncPicker(state.session.repoName, id);
  connectLive();
  await Promise.all([refreshHealth(), refreshStatus(), refreshBots().then(refreshBotChart), loadFindings(), refreshHistory()]);
}
