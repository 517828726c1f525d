// The dashboard page's entry module: binds the controls and opens the session from the hash (or the latest one).
/*
 * Plain browser ES modules, no build step, no dependencies, no requests to
 * other origins. Everything from the API reaches the DOM only as text (see dom.js).
 */

import { enc } from './api.js';
import { $ } from './dom.js';
import { bindFindings } from './findings.js';
import { showError } from './notify.js';
import { renderAll } from './panels.js';
import { bindPicker, hashSession, loadRepos } from './picker.js';
import { openSession } from './session.js';
import { state } from './state.js';
import { initTheme } from './theme.js';

function bindSkipLink() {
  // The hash holds the session, so the skip link moves focus instead of changing it.
  $('skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    $('findings-heading').focus();
    $('findings-heading').scrollIntoView();
  });
}

async function start() {
  initTheme();
  bindSkipLink();
  bindPicker(openSession);
  bindFindings();
  renderAll();
  try {
    await loadRepos();
  } catch (err) {
    showError(err);
  }
  const fromHash = hashSession();
  if (fromHash !== undefined) return openSession(fromHash);
  const first = state.repos.find((r) => r.latestSessionId !== null);
  if (first === undefined) {
    $('empty-state').hidden = false;
    return;
  }
  window.history.replaceState(null, '', `#session=${enc(first.latestSessionId)}`);
  return openSession(first.latestSessionId);
}

void start();
